-- grain: customer × entity × currency × month-end: current and overdue open amounts in document
-- currency at every calendar month-end the ledger spans (spec §2-§3), for trends.
-- Every document's life is cut into segments of constant open amount (before its first
-- application, then after each application day); a segment [start, end) is open at the
-- month-ends start <= me < end, current while me <= due_date and overdue after. Month-end k
-- is the last day of month k = year * 12 + month - 1; the first month-end on or after a date
-- d is month_index(d). Same rules as data/sql/parts/open_items.sql, computed once at load.
create or replace table month_end_balances as
with bounds as (
    select year(last_date) * 12 + month(last_date) as end_index  -- one past the last month-end
    from (
        select greatest(max(invoice_date), max(coalesce(last_apply_date, invoice_date))) as last_date
        from documents
    )
),

before_first_application as (
    select customer_key, entity, currency, due_date, invoice_date as start_date,
        first_apply_date as end_date, amount as open_amount
    from documents
),

after_only_application as (
    select customer_key, entity, currency, due_date, greatest(first_apply_date, invoice_date) as start_date,
        null::date as end_date, final_open_amount as open_amount
    from documents
    where n_apply_dates = 1
),

application_days as (
    select document_key, apply_date, sum(applied_amount) as applied_amount
    from partial_applications
    group by document_key, apply_date
),

running as (
    select
        document_key,
        apply_date as start_date,
        lead(apply_date) over (partition by document_key order by apply_date) as end_date,
        sum(applied_amount) over (partition by document_key order by apply_date) as applied_to_date
    from application_days
),

between_applications as (
    select d.customer_key, d.entity, d.currency, d.due_date, greatest(r.start_date, d.invoice_date) as start_date,
        r.end_date, d.amount - r.applied_to_date as open_amount
    from running as r
    inner join documents as d on d.invoice_key = r.document_key
),

segments as (
    select * from before_first_application
    union all
    select * from after_only_application
    union all
    select * from between_applications
),

indexed as (
    select
        s.customer_key,
        s.entity,
        s.currency,
        year(s.start_date) * 12 + month(s.start_date) - 1 as i_start,
        coalesce(year(s.end_date) * 12 + month(s.end_date) - 1, b.end_index) as i_end,
        year(s.due_date + 1) * 12 + month(s.due_date + 1) - 1 as i_overdue,
        s.open_amount
    from segments as s
    cross join bounds as b
    where abs(s.open_amount) >= 0.005 and (s.end_date is null or s.end_date > s.start_date)
),

grouped as (
    select customer_key, entity, currency, i_start, i_end, i_overdue, sum(open_amount) as open_amount
    from indexed
    group by customer_key, entity, currency, i_start, i_end, i_overdue
),

current_months as (
    select customer_key, entity, currency, unnest(range(i_start, least(i_end, i_overdue))) as month_index,
        open_amount as current_amount, 0.0 as overdue_amount
    from grouped
    where i_start < least(i_end, i_overdue)
),

overdue_months as (
    select customer_key, entity, currency, unnest(range(greatest(i_start, i_overdue), i_end)) as month_index,
        0.0 as current_amount, open_amount as overdue_amount
    from grouped
    where greatest(i_start, i_overdue) < i_end
),

final as (
    select customer_key, entity, currency, month_index,
        sum(current_amount) as current_amount, sum(overdue_amount) as overdue_amount
    from (select * from current_months union all select * from overdue_months) as months
    group by customer_key, entity, currency, month_index
)

select
    *,
    last_day(make_date((month_index // 12)::int, (month_index % 12 + 1)::int, 1)) as month_end
from final
order by month_index, customer_key;
