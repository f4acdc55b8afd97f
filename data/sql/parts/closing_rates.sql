-- grain: currency. The closing rate in force on $as_of (spec §2: latest rate_date <= as_of).
-- parts: rate_ranges
select currency, rate
from rate_ranges
where valid_from <= $as_of and valid_to > $as_of
