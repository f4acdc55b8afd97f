-- grain: payment of one customer ($customer_key) dated on or before $as_of, newest first.
-- amount_rc = amount in the reporting currency at the rate in force on the payment date
-- (what the cash was worth when it arrived); applied_to = the invoice it paid, or
-- 'unapplied' for cash on account (spec §2).
-- parts: rate_ranges
with paid as (
    select payment_id, payment_date, amount, currency, invoice_id
    from payments
    where customer_key = $customer_key and payment_date <= $as_of
),

converted as (
    select paid.*, paid.amount * r.rate as amount_rc
    from paid
    left join rate_ranges as r
        on r.currency = paid.currency
        and paid.payment_date >= r.valid_from and paid.payment_date < r.valid_to
),

final as (
    select
        payment_id,
        payment_date,
        amount,
        currency,
        amount_rc,
        coalesce(invoice_id, 'unapplied') as applied_to
    from converted
)

select * from final
order by payment_date desc, payment_id desc;
