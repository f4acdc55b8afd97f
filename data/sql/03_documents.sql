-- grain: one document (invoice or credit note), with what every as-of query needs:
-- first/last application date and the open amount after all applications, so that
-- "open at D" is a range test and only documents part-way through their applications
-- at D need their events summed (see analytics/sql/open_items.sql).
create or replace table documents as
with applied as (
    select
        document_key,
        min(apply_date) as first_apply_date,
        max(apply_date) as last_apply_date,
        sum(applied_amount) as applied_amount,
        count(distinct apply_date) as n_apply_dates
    from applications
    group by document_key
),

converted as (
    select i.invoice_key, r.rate as invoice_date_rate
    from invoices as i
    asof left join rates as r
        on r.currency = i.currency and i.invoice_date >= r.rate_date
),

joined as (
    select
        i.invoice_key,
        i.customer_key,
        i.invoice_date,
        i.due_date,
        i.amount,
        i.currency,
        i.disputed as is_disputed,
        i.amount < 0 as is_credit_note,
        i.amount * c.invoice_date_rate as sales_amount,
        a.first_apply_date,
        a.last_apply_date,
        coalesce(a.n_apply_dates, 0) as n_apply_dates,
        i.amount - coalesce(a.applied_amount, 0) as final_open_amount
    from invoices as i
    inner join converted as c on c.invoice_key = i.invoice_key
    left join applied as a on a.document_key = i.invoice_key
),

final as (
    select
        *,
        -- spec §4: the date its open amount reached 0 (for positive invoices fully applied)
        case
            when amount > 0 and abs(final_open_amount) < 0.005 then last_apply_date
        end as settled_date
    from joined
)

select
    *,
    settled_date - invoice_date as days_to_pay,
    settled_date - due_date as days_late
from final
order by invoice_date, invoice_key;
