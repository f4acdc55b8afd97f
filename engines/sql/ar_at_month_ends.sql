-- grain: currency × month-end index i (0 = $first_month_end, n = $n month-ends):
-- current and overdue open amounts (document currency) from the load-time month-end balances,
-- and the changes in unapplied cash (to be cumulated), over the customers in $customer_keys
-- (the view selected_customers; $all_customers = all) (spec §2-§3).
with grid as (
    select year($first_month_end::date) * 12 + month($first_month_end::date) - 1 as first_index
),

balances as (
    select b.currency, b.month_index - g.first_index as i,
        sum(b.current_amount) as current_amount, sum(b.overdue_amount) as overdue_amount,
        0.0 as unapplied_change
    from month_end_balances as b
    cross join grid as g
    where b.month_index between g.first_index and g.first_index + $n - 1
        and ($all_customers or b.customer_key in (select customer_key from selected_customers))
    group by b.currency, b.month_index - g.first_index
),

unapplied as (
    select u.currency,
        greatest(0, year(u.payment_date) * 12 + month(u.payment_date) - 1 - g.first_index) as i,
        0.0 as current_amount, 0.0 as overdue_amount, sum(u.amount) as unapplied_change
    from unapplied_cash as u
    cross join grid as g
    where year(u.payment_date) * 12 + month(u.payment_date) - 1 < g.first_index + $n
        and ($all_customers or u.customer_key in (select customer_key from selected_customers))
    group by u.currency,
        greatest(0, year(u.payment_date) * 12 + month(u.payment_date) - 1 - g.first_index)
)

select * from balances
union all
select * from unapplied
order by currency, i;
