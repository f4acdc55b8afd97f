-- grain: day with credit sales in ($start, $as_of], total over the customers in
-- $customer_keys (NULL = every customer) (spec §4).
select sales_date, sum(sales_amount) as sales_amount
from daily_sales
where sales_date > $start and sales_date <= $as_of
    and ($customer_keys is null or customer_key in (select unnest($customer_keys)))
group by sales_date
order by sales_date;
