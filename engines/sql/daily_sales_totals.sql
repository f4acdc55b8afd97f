-- grain: day with credit sales in ($start, $as_of], total over the customers in
-- $customer_keys (the view selected_customers; $all_customers = every customer) (spec §4).
select sales_date, sum(sales_amount) as sales_amount
from daily_sales
where sales_date > $start and sales_date <= $as_of
    and ($all_customers or customer_key in (select customer_key from selected_customers))
group by sales_date
order by sales_date;
