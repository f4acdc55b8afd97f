-- grain: one row: the closing rate of $currency in force on $as_of (NULL when none).
select rate from closing_rates($as_of) where currency = $currency;
