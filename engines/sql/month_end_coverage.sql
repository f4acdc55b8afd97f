-- grain: one row: the last month-end the load-time month_end_balances cover.
select max(month_end) as last_month_end from month_end_balances;
