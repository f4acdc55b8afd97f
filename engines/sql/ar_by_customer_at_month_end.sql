-- grain: customer with a balance at the month-end $month_end: open amounts from the load-time
-- month-end balances, translated at that day's closing rates, less unapplied cash (spec §2).
-- parts: closing_rates($month_end), unapplied_at($month_end)
with open_amounts as (
    select b.customer_key, sum((b.current_amount + b.overdue_amount) * r.rate) as open_amount
    from month_end_balances as b
    inner join closing_rates as r on r.currency = b.currency
    where b.month_end = $month_end
    group by b.customer_key
),

unapplied as (
    select customer_key, unapplied_amount from unapplied_at
)

select
    coalesce(o.customer_key, u.customer_key) as customer_key,
    coalesce(o.open_amount, 0) - coalesce(u.unapplied_amount, 0) as ar_amount
from open_amounts as o
full outer join unapplied as u on u.customer_key = o.customer_key;
