-- grain: one row: the closing rate of $currency in force on $as_of (NULL when none).
-- parts: closing_rates
select rate from closing_rates where currency = $currency;
