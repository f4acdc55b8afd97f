-- grain: payment of a customer in $customer_ids (the ledger's customer ids, as the workspace
-- records them) dated in ($start, $as_of], for judging promises to pay and payment plans (spec
-- §13). Every payment counts, applied to an invoice or on account; amount_rc = the amount in
-- reporting currency at the rate in force on the payment date. invoice_id NULL = on account.
-- $customer_ids arrive as the view selected_customer_ids.
-- parts: rate_ranges
with paid as (
    select customer_id, payment_id, payment_date, amount, currency, invoice_id
    from payments
    where customer_id in (select customer_id from selected_customer_ids)
        and payment_date > $start
        and payment_date <= $as_of
),

final as (
    select
        paid.customer_id,
        paid.payment_id,
        paid.payment_date,
        paid.amount * r.rate as amount_rc,
        paid.invoice_id
    from paid
    left join rate_ranges as r
        on r.currency = paid.currency
        and paid.payment_date >= r.valid_from and paid.payment_date < r.valid_to
)

select * from final
order by customer_id, payment_date, payment_id;
