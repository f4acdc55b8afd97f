-- grain: document of one customer ($customer_key) open at $as_of (spec §2), with its days past
-- due (spec §3: $as_of − due_date) and its open amount in the document currency and in the
-- reporting currency at the closing rate. Most overdue first.
-- parts: open_items
with open_documents as (
    select * from open_items
    where customer_key = $customer_key
),

final as (
    select
        i.invoice_id,
        o.invoice_date,
        o.due_date,
        date_diff('day', o.due_date, $as_of::date) as days_past_due,
        o.amount,
        o.currency,
        o.open_amount,
        o.open_amount_rc,
        o.is_disputed,
        o.amount < 0 as is_credit_note,
        i.applies_to
    from open_documents as o
    inner join invoices as i on i.invoice_key = o.invoice_key
)

select * from final
order by days_past_due desc, invoice_id;
