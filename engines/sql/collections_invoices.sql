-- grain: document of the ledger whose invoice_id is in $invoice_ids (the view selected_invoices:
-- the ids the workspace's records name, spec §13), with its customer, dates, whether it is disputed and its open amount
-- at $as_of in reporting currency at the closing rate (0 when settled or not yet issued). An id
-- missing from the result is not in this ledger: its records are orphaned.
-- parts: open_items
with wanted as (
    select invoice_key, invoice_id, customer_id, invoice_date, due_date, amount, currency
    from invoices
    where invoice_id in (select invoice_id from selected_invoices)
),

open_now as (
    select invoice_key, open_amount, open_amount_rc
    from open_items
    where invoice_key in (select invoice_key from wanted)
),

final as (
    select
        w.invoice_id,
        w.customer_id,
        w.invoice_date,
        w.due_date,
        w.amount,
        w.currency,
        d.is_disputed,
        coalesce(o.open_amount, 0) as document_open_amount,
        coalesce(o.open_amount_rc, 0) as open_amount
    from wanted as w
    inner join documents as d on d.invoice_key = w.invoice_key
    left join open_now as o on o.invoice_key = w.invoice_key
)

select * from final
order by invoice_id;
