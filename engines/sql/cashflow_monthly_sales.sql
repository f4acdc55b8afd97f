-- grain: calendar month: credit sales (spec §4: invoices and credit notes at their invoice-date
-- rate) of the months dated in ($start, $end], over the customers in $customer_keys (the view
-- selected_customers; $all_customers = every customer). Months with no sales are absent (Python fills them with 0).
select date_trunc('month', sales_date)::date as month_start, sum(sales_amount) as sales_amount
from daily_sales
where sales_date > $start and sales_date <= $end
    and ($all_customers or customer_key in (select customer_key from selected_customers))
group by date_trunc('month', sales_date)::date
order by month_start;
