-- grain: one application event = (document, date, amount that reduces its open amount).
-- Spec §2: a payment reduces its invoice from its payment_date; a credit note with
-- applies_to reduces that invoice from the later of the two documents' dates and, from
-- that same date, stops being an open item of its own (it is consumed).
-- Amounts are in the currency of the document being reduced; a payment or credit note in
-- another currency is converted at the rates in force on the application date.
-- `entity` is the reduced document's (spec §8).
-- parts: rate_ranges
create or replace table applications as
with payments_applied as (
    select
        p.invoice_key as document_key,
        p.payment_date as apply_date,
        p.amount as source_amount,
        p.currency as source_currency,
        'payment' as source
    from payments as p
    where p.invoice_key is not null
),

credit_notes_applied as (
    select
        cn.applies_to_key as document_key,
        greatest(cn.invoice_date, target.invoice_date) as apply_date,
        -cn.amount as source_amount,
        cn.currency as source_currency,
        'credit_note' as source
    from invoices as cn
    inner join invoices as target on target.invoice_key = cn.applies_to_key
    where cn.applies_to_key is not null
),

credit_notes_consumed as (
    select
        cn.invoice_key as document_key,
        greatest(cn.invoice_date, target.invoice_date) as apply_date,
        cn.amount as source_amount,
        cn.currency as source_currency,
        'credit_note_consumed' as source
    from invoices as cn
    inner join invoices as target on target.invoice_key = cn.applies_to_key
    where cn.applies_to_key is not null
),

events as (
    select * from payments_applied
    union all
    select * from credit_notes_applied
    union all
    select * from credit_notes_consumed
),

with_document_currency as (
    select events.*, d.currency as document_currency, d.entity
    from events
    inner join invoices as d on d.invoice_key = events.document_key
),

cross_currency_days as (
    -- the (currency, day) pairs a cross-currency application needs a rate for: few, so the
    -- range join to rate_ranges is small and the events join the result on equality
    select source_currency as currency, apply_date as day
    from with_document_currency
    where source_currency <> document_currency
    union
    select document_currency as currency, apply_date as day
    from with_document_currency
    where source_currency <> document_currency
),

day_rates as (
    select d.currency, d.day, r.rate
    from cross_currency_days as d
    inner join rate_ranges as r
        on r.currency = d.currency and d.day >= r.valid_from and d.day < r.valid_to
),

cross_currency as (
    select
        e.document_key,
        e.apply_date,
        e.source_amount * src.rate / doc.rate as applied_amount,
        e.source,
        e.entity
    from with_document_currency as e
    left join day_rates as src on src.currency = e.source_currency and src.day = e.apply_date
    left join day_rates as doc on doc.currency = e.document_currency and doc.day = e.apply_date
    where e.source_currency <> e.document_currency
),

final as (
    select document_key, apply_date, source_amount as applied_amount, source, entity
    from with_document_currency
    where source_currency = document_currency
    union all
    select * from cross_currency
)

select * from final
order by apply_date, document_key;
