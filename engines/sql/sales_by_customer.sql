-- grain: customer with credit sales in ($start, $as_of] (spec §4), reporting currency.
select customer_key, sum(sales_amount) as sales_amount
from daily_sales
where sales_date > $start and sales_date <= $as_of
group by customer_key;
