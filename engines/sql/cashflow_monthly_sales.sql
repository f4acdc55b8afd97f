-- grain: calendar month: credit sales (spec §4: invoices and credit notes at their invoice-date
-- rate) of the months dated in ($start, $end], over the customers in $customer_keys (NULL =
-- every customer). Months with no sales are absent (Python fills them with 0).
select date_trunc('month', sales_date)::date as month_start, sum(sales_amount) as sales_amount
from daily_sales
where sales_date > $start and sales_date <= $end
    and ($customer_keys is null or customer_key in (select unnest($customer_keys)))
group by all
order by month_start;
