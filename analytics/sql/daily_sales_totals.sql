-- grain: day with credit sales in ($start, $as_of], portfolio total (spec §4).
select sales_date, sum(sales_amount) as sales_amount
from daily_sales
where sales_date > $start and sales_date <= $as_of
group by sales_date
order by sales_date;
