-- grain: customer × period k = 0 .. $n_periods − 1 with credit sales (spec §4: invoices and
-- credit notes at invoice-date rates, write-offs not, §8) dated in
-- ($as_of − (k + 1) × $period_days, $as_of − k × $period_days] (spec §12 purchase_spike:
-- k = 0 is the last 30 days, 1-3 the three preceding periods), reporting currency.
select
    customer_key,
    (date_diff('day', sales_date, $as_of::date) // $period_days)::integer as period,
    sum(sales_amount) as sales_amount
from daily_sales
where sales_date > $as_of - $period_days * $n_periods
    and sales_date <= $as_of
group by customer_key, (date_diff('day', sales_date, $as_of::date) // $period_days)::integer
order by customer_key, period;
