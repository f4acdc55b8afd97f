-- grain: dimension value × calendar month (through $as_of) from $start: credit sales per
-- group for countback DSO of a breakdown (spec §4). $dimension is one of the customer
-- columns below; 'customer' gives one group per customer.
with sales as (
    select customer_key, date_trunc('month', sales_date)::date as month, sum(sales_amount) as sales_amount
    from daily_sales
    where sales_date > $start and sales_date <= $as_of
    group by customer_key, date_trunc('month', sales_date)::date
),

labelled as (
    select
        case $dimension
            when 'segment' then coalesce(c.segment, '(none)')
            when 'region' then coalesce(c.region, '(none)')
            when 'country' then coalesce(c.country, '(none)')
            when 'industry' then coalesce(c.industry, '(none)')
            when 'risk_rating' then coalesce(c.risk_rating, '(none)')
            when 'group_id' then coalesce(c.group_id, c.customer_id)
            else c.customer_id
        end as dimension_value,
        s.month,
        s.sales_amount
    from sales as s
    inner join customers as c on c.customer_key = s.customer_key
)

select dimension_value, month, sum(sales_amount) as sales_amount
from labelled
group by dimension_value, month
order by dimension_value, month;
