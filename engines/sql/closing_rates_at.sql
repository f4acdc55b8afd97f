-- grain: currency × date in $days: the closing rate in force on each date (spec §2).
select r.currency, d.day, arg_max(r.rate, r.rate_date) as rate
from rates as r
inner join (select unnest($days) as day) as d on r.rate_date <= d.day
group by all;
