-- grain: credit note (negative document) of one customer ($customer_key) dated on or before
-- $as_of, newest first. Spec §2: a credit note with applies_to reduces that invoice from the
-- later of the two documents' dates (applied_date, when that is on or before $as_of); until
-- then, or when it is stand-alone, it is an open item of its own (open_amount, negative).
-- parts: open_items
with notes as (
    select invoice_key, invoice_id, invoice_date, amount, currency, applies_to, applies_to_key
    from invoices
    where customer_key = $customer_key and amount < 0 and invoice_date <= $as_of
),

with_target as (
    select
        notes.*,
        -- greatest() skips NULLs: a stand-alone credit (no target) is never applied
        case
            when target.invoice_key is not null
                then greatest(notes.invoice_date, target.invoice_date)
        end as apply_date
    from notes
    left join invoices as target on target.invoice_key = notes.applies_to_key
),

still_open as (
    select invoice_key, open_amount, open_amount_rc
    from open_items
    where customer_key = $customer_key and amount < 0
),

final as (
    select
        n.invoice_id,
        n.invoice_date,
        n.amount,
        n.currency,
        n.applies_to,
        case when n.apply_date <= $as_of then n.apply_date end as applied_date,
        coalesce(o.open_amount, 0.0) as open_amount,
        case when o.invoice_key is null then 0.0 else o.open_amount_rc end as open_amount_rc
    from with_target as n
    left join still_open as o on o.invoice_key = n.invoice_key
)

select * from final
order by invoice_date desc, invoice_id desc;
