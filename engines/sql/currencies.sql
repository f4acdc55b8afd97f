-- grain: currency with at least one rate on or before $as_of (display currencies).
select distinct currency from rates where rate_date <= $as_of order by currency;
