-- grain: month-end × entity × currency × days past due at the month-end × still open at the next
-- month-end (spec §9: the loss-rate calibration's book and its outcomes, computed once at load).
-- The book at every calendar month-end m the ledger spans: positive, undisputed documents whose
-- open amount at m is positive (>= 0.005), in document currency:
--   open_amount: open at m;
--   lost_amount: still open at m + horizon_days (365, the calibration's default outcome
--     horizon) plus write-off credit notes (spec §8) applied in (m, m + 365], each document's
--     never more than its open amount, never below 0;
--   staying_amount: the part still open at the next month-end (0 when it was no longer open);
--   next_written_off_amount: write-offs applied by the next month-end, at most the part that
--     left; the rest of open_amount was collected;
--   n_documents.
-- is_open_next: the document was still open (>= 0.005) at the next month-end n, where its days
-- past due are days_past_due + (n - m). Same rules, document by document, as the as-of route
-- engines/sql/risk_calibration_outcomes_full.sql (any horizon, any month-end), which
-- tests/data/test_month_end_outcomes.py holds it equal to; engines/sql/risk_calibration_outcomes.sql
-- reads it (closing rates, buckets). A write-off note reduces its invoice from the later of the
-- two documents' dates, converted at that day's rates when the currencies differ (as
-- data/sql/02_applications.sql), and counts in its invoice's entity. Month-end k is the last day
-- of month k = year * 12 + month - 1 (as data/sql/09); the month-ends run from the first
-- document's to that of the ledger's last date (last invoice or payment).
-- parts: rate_ranges
create or replace table month_end_outcomes as
with bounds as (
    select year(last_date) * 12 + month(last_date) as end_index  -- one past the last month-end
    from (
        select greatest(
            (select max(invoice_date) from documents), (select max(payment_date) from payments)
        ) as last_date
    ) as last_dates
),

write_off_targets as (
    select distinct applies_to_key as invoice_key
    from invoices
    where write_off
),

book as (
    -- a document is in the book at month-ends k in [first_index, stop_index): from its
    -- invoice date's month-end while not settled (last applied after that month-end, or never
    -- fully applied). is_traced: applied on several dates or written off, followed month-end
    -- by month-end; the others have one application date at most and are grouped first.
    -- (Read twice below, each time with its own filter, so that it is not materialised.)
    select
        d.invoice_key,
        d.entity,
        d.currency,
        d.due_date,
        d.amount,
        d.n_apply_dates,
        d.first_apply_date,
        d.amount - d.final_open_amount as applied_amount,
        year(d.invoice_date) * 12 + month(d.invoice_date) - 1 as first_index,
        case
            when d.last_apply_date is null or d.final_open_amount >= 0.005 then b.end_index
            else year(d.last_apply_date) * 12 + month(d.last_apply_date) - 1
        end as stop_index,
        d.n_apply_dates > 1 or t.invoice_key is not null as is_traced
    from documents as d
    cross join bounds as b
    left join write_off_targets as t on t.invoice_key = d.invoice_key
    where d.amount > 0 and not d.is_disputed
),

calendar as (
    -- every month-end from the first document's to the last date's
    select
        month_index,
        month_end,
        last_day(month_end + 1) as next_month_end,
        month_end + 365 as outcome_date
    from (
        select
            month_index,
            last_day(make_date((month_index // 12)::int, (month_index % 12 + 1)::int, 1)) as month_end
        from (
            select unnest(range(s.first_index, b.end_index)) as month_index
            from (
                select min(year(invoice_date) * 12 + month(invoice_date) - 1) as first_index
                from documents
            ) as s
            cross join bounds as b
            where s.first_index < b.end_index
        ) as indexes
    ) as month_ends
),

-- Documents applied on one date p at most, not written off. Their open amount is the amount
-- a before p and a - (a - final) = g from p on, so at month-end k (m, its next month-end n) the
-- old rules give, by where p falls (month index of p: apply_index; of p - 365: outcome_index):
--   never applied, or p > m + 365 (k < outcome_index): open a, stays a, lost a;
--   n < p <= m + 365 (outcome_index <= k < apply_index - 1): open a, stays a, lost
--     greatest(0, least(a, g));
--   m < p <= n (k = apply_index - 1): open a, lost greatest(0, least(a, g)); still open at n
--     when g >= 0.005, staying least(g, a);
--   p <= m (k >= apply_index): open g, stays g, lost g.
-- A document counts where its open amount at m is >= 0.005; none has a write-off.
single_applied as (
    select
        entity,
        currency,
        due_date,
        first_index,
        stop_index,
        year(first_apply_date) * 12 + month(first_apply_date) - 1 as apply_index,
        year(first_apply_date - 365) * 12 + month(first_apply_date - 365) - 1 as outcome_index,
        amount,
        amount - applied_amount as final_amount
    from book
    where not is_traced
),

single_groups as (
    select
        entity,
        currency,
        due_date,
        first_index,
        stop_index,
        apply_index,
        outcome_index,
        count_if(amount >= 0.005) as n_before,
        sum(case when amount >= 0.005 then amount else 0 end) as before_amount,
        sum(case when amount >= 0.005 then greatest(0, least(amount, final_amount)) else 0 end)
            as before_lost_amount,
        count_if(amount >= 0.005 and final_amount >= 0.005) as n_staying,
        sum(case when amount >= 0.005 and final_amount >= 0.005 then amount else 0 end)
            as staying_open_amount,
        sum(case when amount >= 0.005 and final_amount >= 0.005 then least(final_amount, amount) else 0 end)
            as staying_amount,
        sum(case when amount >= 0.005 and final_amount >= 0.005 then greatest(0, least(amount, final_amount)) else 0 end)
            as staying_lost_amount,
        count_if(amount >= 0.005 and final_amount < 0.005) as n_leaving,
        sum(case when amount >= 0.005 and final_amount < 0.005 then amount else 0 end)
            as leaving_open_amount,
        sum(case when amount >= 0.005 and final_amount < 0.005 then greatest(0, least(amount, final_amount)) else 0 end)
            as leaving_lost_amount,
        count_if(final_amount >= 0.005) as n_after,
        sum(case when final_amount >= 0.005 then final_amount else 0 end) as after_amount
    from single_applied
    group by entity, currency, due_date, first_index, stop_index, apply_index, outcome_index
),

single_unpaid_a_year_on as (
    -- least() passes over NULL: never applied runs to stop_index
    select entity, currency, due_date, true as is_open_next, n_before as n_documents,
        before_amount as open_amount, before_amount as lost_amount, before_amount as staying_amount,
        unnest(range(first_index, least(stop_index, outcome_index))) as month_index
    from single_groups
    where n_before > 0 and first_index < least(stop_index, outcome_index)
),

single_paid_within_the_year as (
    select entity, currency, due_date, true as is_open_next, n_before as n_documents,
        before_amount as open_amount, before_lost_amount as lost_amount,
        before_amount as staying_amount,
        unnest(range(greatest(first_index, outcome_index), least(stop_index, apply_index - 1))) as month_index
    from single_groups
    where n_before > 0 and apply_index is not null
        and greatest(first_index, outcome_index) < least(stop_index, apply_index - 1)
),

single_paid_next_month as (
    select entity, currency, due_date, true as is_open_next, n_staying as n_documents,
        staying_open_amount as open_amount, staying_lost_amount as lost_amount, staying_amount,
        apply_index - 1 as month_index
    from single_groups
    where n_staying > 0 and apply_index - 1 >= first_index and apply_index - 1 < stop_index
    union all
    select entity, currency, due_date, false as is_open_next, n_leaving as n_documents,
        leaving_open_amount as open_amount, leaving_lost_amount as lost_amount,
        0.0::double as staying_amount, apply_index - 1 as month_index
    from single_groups
    where n_leaving > 0 and apply_index - 1 >= first_index and apply_index - 1 < stop_index
),

single_paid_before as (
    select entity, currency, due_date, true as is_open_next, n_after as n_documents,
        after_amount as open_amount, after_amount as lost_amount, after_amount as staying_amount,
        unnest(range(greatest(first_index, apply_index), stop_index)) as month_index
    from single_groups
    where n_after > 0 and apply_index is not null and greatest(first_index, apply_index) < stop_index
),

single_months as (
    select c.month_end, s.entity, s.currency, date_diff('day', s.due_date, c.month_end) as days_past_due,
        s.is_open_next, s.n_documents, s.open_amount, s.lost_amount, s.staying_amount,
        0.0::double as next_written_off_amount
    from (
        select * from single_unpaid_a_year_on
        union all
        select * from single_paid_within_the_year
        union all
        select * from single_paid_next_month
        union all
        select * from single_paid_before
    ) as s
    inner join calendar as c on c.month_index = s.month_index
),

pairs as (
    -- a traced document at each month-end it is in the book at
    select
        b.invoice_key,
        b.entity,
        b.currency,
        b.due_date,
        b.amount,
        b.n_apply_dates,
        b.first_apply_date,
        b.applied_amount,
        c.month_end,
        c.next_month_end,
        c.outcome_date
    from (
        select
            invoice_key, entity, currency, due_date, amount, n_apply_dates, first_apply_date,
            applied_amount, unnest(range(first_index, stop_index)) as month_index
        from book
        where is_traced and first_index < stop_index
    ) as b
    inner join calendar as c on c.month_index = b.month_index
),

applied_on_several_dates as (
    -- NULL where nothing was applied by that date
    select
        p.invoice_key,
        p.month_end,
        sum(case when a.apply_date <= p.month_end then a.applied_amount end) as by_month_end,
        sum(case when a.apply_date <= p.next_month_end then a.applied_amount end) as by_next,
        sum(a.applied_amount) as by_outcome
    from pairs as p
    inner join partial_applications as a
        on a.document_key = p.invoice_key and a.apply_date <= p.outcome_date
    where p.n_apply_dates > 1
    group by p.invoice_key, p.month_end
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
    left join rate_ranges as note_rate
        on note_rate.currency = w.note_currency
        and w.apply_date >= note_rate.valid_from
        and w.apply_date < note_rate.valid_to
    left join rate_ranges as target_rate
        on target_rate.currency = w.currency
        and w.apply_date >= target_rate.valid_from
        and w.apply_date < target_rate.valid_to
),

written_off as (
    select
        p.invoice_key,
        p.month_end,
        coalesce(sum(case when w.apply_date <= p.next_month_end then w.written_off_amount end), 0)
            as by_next,
        sum(w.written_off_amount) as by_outcome
    from pairs as p
    inner join write_offs as w
        on w.invoice_key = p.invoice_key
        and w.apply_date > p.month_end
        and w.apply_date <= p.outcome_date
    group by p.invoice_key, p.month_end
),

opened as (
    -- a document applied on at most one date has its whole applied amount from that date on
    select
        p.month_end,
        p.entity,
        p.currency,
        date_diff('day', p.due_date, p.month_end) as days_past_due,
        p.amount - coalesce(
            s.by_month_end, case when p.first_apply_date <= p.month_end then p.applied_amount else 0 end
        ) as open_amount,
        p.amount - coalesce(
            s.by_next, case when p.first_apply_date <= p.next_month_end then p.applied_amount else 0 end
        ) as next_open_amount,
        p.amount - coalesce(
            s.by_outcome, case when p.first_apply_date <= p.outcome_date then p.applied_amount else 0 end
        ) as outcome_open_amount,
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
        entity,
        currency,
        days_past_due,
        next_open_amount >= 0.005 as is_open_next,
        open_amount,
        case when next_open_amount >= 0.005 then least(next_open_amount, open_amount) else 0 end
            as staying_amount,
        written_off_by_next,
        greatest(0, least(open_amount, outcome_open_amount + written_off_by_outcome)) as lost_amount
    from opened
    where open_amount >= 0.005
),

traced_months as (
    select
        month_end,
        entity,
        currency,
        days_past_due,
        is_open_next,
        1 as n_documents,
        open_amount,
        lost_amount,
        staying_amount,
        least(open_amount - staying_amount, written_off_by_next) as next_written_off_amount
    from outcomes
),

final as (
    select
        month_end,
        entity,
        currency,
        days_past_due,
        is_open_next,
        365 as horizon_days,
        sum(open_amount) as open_amount,
        sum(lost_amount) as lost_amount,
        sum(staying_amount) as staying_amount,
        sum(next_written_off_amount) as next_written_off_amount,
        sum(n_documents)::bigint as n_documents
    from (select * from traced_months union all select * from single_months) as months
    group by month_end, entity, currency, days_past_due, is_open_next
)

select * from final
order by month_end, entity, currency, days_past_due, is_open_next;
