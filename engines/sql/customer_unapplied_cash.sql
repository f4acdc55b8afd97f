-- grain: unapplied payment (cash on account, spec §2) of one customer ($customer_key) dated on
-- or before $as_of, newest first, converted at the closing rate like unapplied_at($as_of), so
-- the rows add up to the unapplied cash subtracted from the customer's balance.
-- parts: closing_rates
with cash as (
    select p.payment_id, u.payment_date, u.amount, u.currency
    from unapplied_cash as u
    inner join payments as p on p.payment_key = u.payment_key
    where u.customer_key = $customer_key and u.payment_date <= $as_of
),

final as (
    select cash.*, cash.amount * r.rate as amount_rc
    from cash
    left join closing_rates as r on r.currency = cash.currency
)

select * from final
order by payment_date desc, payment_id desc;
