-- grain: customer × is_disputed × due month × days-late bin: how late the cash for positive
-- invoices came, as the ledger knew it at $as_of, over every customer (the pools need them
-- all; Python keeps the filtered ones). Days late = payment date − due date (spec §4, per
-- payment rather than per settled invoice, because a projection of cash needs the timing of
-- each payment: instalments arrive before the invoice is settled). Observations:
--   * each payment applied to the invoice on or before $as_of, at most $max_days days late,
--     with its days late clipped below at $min_days, weighted by the amount paid;
--   * what was still open $max_days days after the due date (that day on or before $as_of),
--     in bin $max_days + 1 ("not paid within $max_days days"), weighted by that amount.
-- Credit notes reduce what is open but are not cash: they are in neither. Amounts are in the
-- reporting currency at the invoice date; each is weighted by 0.5 ^ (age / $half_life_days),
-- age = $as_of − the day it became known (payment date, or due date + $max_days), and only
-- those known in the last $history_days days count. Open invoices less than $max_days days
-- past due say nothing yet about their unpaid part (censored).
with invoices_due as (
    select invoice_key, customer_key, is_disputed, due_date, sales_amount / amount as rate
    from documents
    where amount > 0 and invoice_date <= $as_of
),

paid as (
    select
        i.customer_key,
        i.is_disputed,
        i.due_date,
        a.apply_date as known_date,
        greatest(date_diff('day', i.due_date, a.apply_date), $min_days) as days_late_bin,
        a.applied_amount * i.rate as amount
    from applications as a
    inner join invoices_due as i on i.invoice_key = a.document_key
    where a.source = 'payment'
        and a.apply_date <= $as_of
        and a.apply_date > $as_of - $history_days::int
        and date_diff('day', i.due_date, a.apply_date) <= $max_days
),

applied_in_time as (
    select i.invoice_key, coalesce(sum(a.applied_amount), 0) as applied_amount
    from invoices_due as i
    left join applications as a
        on a.document_key = i.invoice_key and a.apply_date <= i.due_date + $max_days::int
    where i.due_date + $max_days::int <= $as_of
        and i.due_date + $max_days::int > $as_of - $history_days::int
    group by i.invoice_key
),

unpaid as (
    select
        i.customer_key,
        i.is_disputed,
        i.due_date,
        i.due_date + $max_days::int as known_date,
        $max_days + 1 as days_late_bin,
        (d.amount - t.applied_amount) * i.rate as amount
    from applied_in_time as t
    inner join invoices_due as i on i.invoice_key = t.invoice_key
    inner join documents as d on d.invoice_key = t.invoice_key
),

observations as (
    select * from paid
    union all
    select * from unpaid
    where amount >= 0.005
),

weighted as (
    select *, amount * pow(0.5, date_diff('day', known_date, $as_of::date) / $half_life_days) as weight
    from observations
),

final as (
    select
        customer_key,
        is_disputed,
        year(due_date) * 12 + month(due_date) - 1 as due_month,
        days_late_bin,
        count(*) as n_invoices,
        sum(weight) as weight,
        sum(weight * weight) as weight_squared
    from weighted
    group by customer_key, is_disputed, year(due_date) * 12 + month(due_date) - 1, days_late_bin
)

select * from final
order by customer_key, is_disputed, due_month, days_late_bin;
