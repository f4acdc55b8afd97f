-- grain: currency × date in $days (the view selected_days): the closing rate in force on
-- each date (spec §2).
-- parts: rate_ranges
select r.currency, d.day, r.rate
from rate_ranges as r
inner join selected_days as d on d.day >= r.valid_from and d.day < r.valid_to;
