-- grain: document open at $as_of (spec §2): the one definition of "open at as_of" that every
-- as-of query reads. Documents untouched by as_of keep their amount; those past their last
-- application carry their final open amount; only documents part-way through their
-- applications (first <= as_of < last) have their events summed.
-- parts: closing_rates
with candidates as (
    select
        invoice_key,
        customer_key,
        invoice_date,
        due_date,
        amount,
        currency,
        is_disputed,
        case
            when first_apply_date is null or first_apply_date > $as_of then amount
            when last_apply_date <= $as_of then final_open_amount
        end as known_open_amount
    from documents
    where invoice_date <= $as_of
        and (
            last_apply_date is null
            or last_apply_date > $as_of
            or abs(final_open_amount) >= 0.005
        )
),

in_progress as (
    select document_key, sum(applied_amount) as applied_amount
    from partial_applications
    where first_apply_date <= $as_of and last_apply_date > $as_of and apply_date <= $as_of
    group by document_key
),

opened as (
    select
        c.invoice_key,
        c.customer_key,
        c.invoice_date,
        c.due_date,
        c.amount,
        c.currency,
        c.is_disputed,
        coalesce(c.known_open_amount, c.amount - p.applied_amount) as open_amount
    from candidates as c
    left join in_progress as p on p.document_key = c.invoice_key
)

select o.*, o.open_amount * r.rate as open_amount_rc
from opened as o
left join closing_rates as r on r.currency = o.currency
where abs(o.open_amount) >= 0.005
