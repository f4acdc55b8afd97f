-- grain: calendar month (through $as_of) from $start: credit sales for countback DSO (spec §4).
select date_trunc('month', sales_date)::date as month, sum(sales_amount) as sales_amount
from daily_sales
where sales_date > $start and sales_date <= $as_of
group by all
order by month;
