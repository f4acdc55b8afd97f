-- grain: calibration month-end × aging bucket at it × aging bucket at the next month-end
-- (spec §9: loss rates and roll rates). The book at month-end m in $month_ends: positive,
-- undisputed documents whose open amount at m is positive (credits, unapplied cash and
-- disputed items are left out), aged by days past due at m ($edges = [0, e1, e2, ...],
-- numbered as in open_by_customer_bucket.sql). Amounts in reporting currency at m's
-- closing rate:
--   open_amount: open at m;
--   lost_amount: still open at m + $horizon_days, plus write-off credit notes (spec §8)
--     applied in (m, m + $horizon_days], never more than open_amount (never below 0);
--   next_open_amount: the part still open at the next month-end, in next_bucket (NULL: the
--     document was no longer open then); next_written_off_amount: write-offs applied by the
--     next month-end; the rest of open_amount was collected (paid or credited).
-- A write-off note reduces its invoice from the later of the two documents' dates, converted
-- at that day's rates when the currencies differ (as data/sql/02_applications.sql).
-- The as-of route: engines/sql/risk_calibration_outcomes.sql gives the same rows from the
-- load-time month_end_outcomes (data/sql/10) for the default 365-day horizon at month-ends the
-- load covers; this query answers any other horizon, and ledgers loaded before that table.
with calendar as (
    select
        m as month_end,
        last_day(m + 1) as next_month_end,
        m + $horizon_days::integer as outcome_date
    from (select unnest($month_ends)::date as m)
),

month_end_rates as (
    select c.month_end, r.currency, arg_max(r.rate, r.rate_date) as rate
    from calendar as c
    inner join rates as r on r.rate_date <= c.month_end
    group by all
),

book as (
    select
        invoice_key,
        invoice_date,
        due_date,
        amount,
        currency,
        n_apply_dates,
        first_apply_date,
        last_apply_date,
        final_open_amount,
        amount - final_open_amount as applied_amount
    from documents
    where amount > 0 and not is_disputed
),

pairs as (
    -- a document at each calibration month-end it is dated by and not yet settled at
    select b.*, c.*
    from book as b
    inner join calendar as c
        on b.invoice_date <= c.month_end
        and (
            b.last_apply_date is null
            or b.last_apply_date > c.month_end
            or b.final_open_amount >= 0.005
        )
),

applied_on_several_dates as (
    -- NULL where nothing was applied by that date
    select
        p.invoice_key,
        p.month_end,
        sum(a.applied_amount) filter (where a.apply_date <= p.month_end) as by_month_end,
        sum(a.applied_amount) filter (where a.apply_date <= p.next_month_end) as by_next,
        sum(a.applied_amount) as by_outcome
    from pairs as p
    inner join partial_applications as a
        on a.document_key = p.invoice_key and a.apply_date <= p.outcome_date
    where p.n_apply_dates > 1
    group by all
),

write_off_notes as (
    select
        note.applies_to_key as invoice_key,
        greatest(note.invoice_date, target.invoice_date) as apply_date,
        -note.amount as note_amount,
        note.currency as note_currency,
        target.currency
    from invoices as note
    inner join invoices as target on target.invoice_key = note.applies_to_key
    where note.write_off
),

write_offs as (
    select
        w.invoice_key,
        w.apply_date,
        case
            when w.note_currency = w.currency then w.note_amount
            else w.note_amount * note_rate.rate / target_rate.rate
        end as written_off_amount
    from write_off_notes as w
    asof left join rates as note_rate
        on note_rate.currency = w.note_currency and w.apply_date >= note_rate.rate_date
    asof left join rates as target_rate
        on target_rate.currency = w.currency and w.apply_date >= target_rate.rate_date
),

written_off as (
    select
        p.invoice_key,
        p.month_end,
        coalesce(sum(w.written_off_amount) filter (where w.apply_date <= p.next_month_end), 0)
            as by_next,
        sum(w.written_off_amount) as by_outcome
    from pairs as p
    inner join write_offs as w
        on w.invoice_key = p.invoice_key
        and w.apply_date > p.month_end
        and w.apply_date <= p.outcome_date
    group by all
),

opened as (
    -- a document applied on at most one date has its whole applied amount from that date on
    select
        p.month_end,
        p.currency,
        p.month_end - p.due_date as days_past_due,
        p.next_month_end - p.due_date as next_days_past_due,
        p.amount - coalesce(s.by_month_end, if(p.first_apply_date <= p.month_end, p.applied_amount, 0))
            as open_amount,
        p.amount - coalesce(s.by_next, if(p.first_apply_date <= p.next_month_end, p.applied_amount, 0))
            as next_open_amount,
        p.amount - coalesce(s.by_outcome, if(p.first_apply_date <= p.outcome_date, p.applied_amount, 0))
            as outcome_open_amount,
        coalesce(w.by_next, 0) as written_off_by_next,
        coalesce(w.by_outcome, 0) as written_off_by_outcome
    from pairs as p
    left join applied_on_several_dates as s
        on s.invoice_key = p.invoice_key and s.month_end = p.month_end
    left join written_off as w
        on w.invoice_key = p.invoice_key and w.month_end = p.month_end
),

outcomes as (
    select
        month_end,
        currency,
        days_past_due,
        open_amount,
        case when next_open_amount >= 0.005 then next_days_past_due end as next_days_past_due,
        case when next_open_amount >= 0.005 then least(next_open_amount, open_amount) else 0 end
            as staying_amount,
        written_off_by_next,
        greatest(0, least(open_amount, outcome_open_amount + written_off_by_outcome)) as lost_amount
    from opened
    where open_amount >= 0.005
),

final as (
    select
        o.month_end,
        len(list_filter($edges, lambda e: o.days_past_due > e)) as bucket,
        case
            when o.next_days_past_due is not null
                then len(list_filter($edges, lambda e: o.next_days_past_due > e))
        end as next_bucket,
        sum(o.open_amount * r.rate) as open_amount,
        sum(o.lost_amount * r.rate) as lost_amount,
        sum(o.staying_amount * r.rate) as next_open_amount,
        sum(least(o.open_amount - o.staying_amount, o.written_off_by_next) * r.rate)
            as next_written_off_amount,
        count(*) as n_documents,
        count_if(r.rate is null) as n_missing_rate
    from outcomes as o
    left join month_end_rates as r on r.month_end = o.month_end and r.currency = o.currency
    group by all
)

select * from final
order by month_end, bucket, next_bucket nulls last;
