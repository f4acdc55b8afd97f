-- grain: customer × countback period (spec §4): credit sales of period k = 0 (first of
-- $as_of's month to $as_of), 1, 2, … ($periods − 1): the k-th full calendar month before it.
-- Over the customers in $customer_keys (the view selected_customers; $all_customers = every
-- customer), reporting currency.
with periods as (
    select
        customer_key,
        (year($as_of) * 12 + month($as_of)) - (year(sales_date) * 12 + month(sales_date)) as period,
        sales_amount
    from daily_sales
    where sales_date <= $as_of
        and year(sales_date) * 12 + month(sales_date)
            >= year($as_of) * 12 + month($as_of) - ($periods - 1)
        and ($all_customers or customer_key in (select customer_key from selected_customers))
)

select customer_key, period, sum(sales_amount) as sales_amount
from periods
group by customer_key, period
order by customer_key, period;
