-- grain: one document (invoice or credit note), with what every as-of query needs:
-- first/last application date and the open amount after all applications, so that
-- "open at D" is a range test and only documents part-way through their applications
-- at D need their events summed (see data/sql/parts/open_items.sql).
-- parts: rate_ranges
create or replace table documents as
with applied as (
    select
        document_key,
        min(apply_date) as first_apply_date,
        max(apply_date) as last_apply_date,
        sum(applied_amount) as applied_amount
    from applications
    group by document_key
),

foreign_days as (
    -- invoice-date rates, looked up only for documents not in the reporting currency: one
    -- range join per (currency, day), then each invoice joins its day's rate on equality
    select distinct currency, invoice_date as day
    from invoices
    where currency <> (select value from ledger_settings where key = 'reporting_currency')
),

foreign_rates as (
    select d.currency, d.day, r.rate
    from foreign_days as d
    inner join rate_ranges as r
        on r.currency = d.currency and d.day >= r.valid_from and d.day < r.valid_to
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
        i.write_off as is_write_off,
        i.entity,
        -- the amount at the invoice-date rate; a write-off's is not a credit sale (spec §8),
        -- so daily_sales and every sum of sales leave is_write_off out
        i.amount * coalesce(f.rate, 1.0) as sales_amount,
        a.first_apply_date,
        a.last_apply_date,
        -- 0 = never applied, 1 = applied on one date, 2 = on two or more dates
        case
            when a.first_apply_date is null then 0
            when a.first_apply_date = a.last_apply_date then 1
            else 2
        end as n_apply_dates,
        i.amount - coalesce(a.applied_amount, 0) as final_open_amount
    from invoices as i
    left join foreign_rates as f on f.currency = i.currency and f.day = i.invoice_date
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
    date_diff('day', invoice_date, settled_date) as days_to_pay,
    date_diff('day', due_date, settled_date) as days_late
from final
order by invoice_date, invoice_key;
