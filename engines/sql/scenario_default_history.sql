-- grain: customer: the ledger's own 90+ days-past-due history for the PD table
-- (analytics/economics.py pd_by_rating). Observation window: due dates in ($start, $end],
-- with $end = as_of − 91 days so that every invoice in it has been observable for more than
-- 90 days past its due date by as_of.
--   defaulted_amount: undisputed positive invoices still open (≥ 0.005) at due_date + 91,
--     i.e. more than 90 days past due, counting only applications dated by then; valued at
--     the invoice-date rate (documents.sales_amount / amount). Disputes are a commercial
--     matter, not a credit default, and are left out.
--   month_end_ar_sum: the customer's open items summed over the calendar month-ends in
--     ($start, $end] (load-time month_end_balances), each at that month-end's closing rate;
--   n_month_ends: how many month-ends of the window the ledger spans (the same on every row).
with window_invoices as (
    select invoice_key, customer_key, amount, sales_amount / amount as rate, due_date
    from documents
    where amount > 0 and not is_disputed
        and due_date > $start and due_date <= $end
),

applied_by_day_91 as (
    select i.invoice_key, sum(a.applied_amount) as applied_amount
    from window_invoices as i
    inner join applications as a
        on a.document_key = i.invoice_key and a.apply_date <= i.due_date + 91
    group by i.invoice_key
),

defaulted as (
    select i.customer_key, sum((i.amount - coalesce(a.applied_amount, 0)) * i.rate) as defaulted_amount
    from window_invoices as i
    left join applied_by_day_91 as a on a.invoice_key = i.invoice_key
    where i.amount - coalesce(a.applied_amount, 0) >= 0.005
    group by i.customer_key
),

month_end_ar as (
    select b.customer_key, sum((b.current_amount + b.overdue_amount) * r.rate) as month_end_ar_sum
    from month_end_balances as b
    asof inner join rates as r on r.currency = b.currency and b.month_end >= r.rate_date
    where b.month_end > $start and b.month_end <= $end
    group by b.customer_key
),

n_month_ends as (
    -- calendar month-ends of the window that month_end_balances covers (from the ledger's
    -- first document to its last month); one with nothing open has no row but counts, at 0
    select count(*) as n_month_ends
    from (
        select last_day(m) as month_end
        from range(date_trunc('month', $start::date), $end::date + interval 1 day,
                   interval 1 month) as t(m)
    )
    where month_end > $start and month_end <= $end
        and month_end >= (select min(invoice_date) from documents)
        and month_end <= (select max(month_end) from month_end_balances)
),

final as (
    select
        coalesce(d.customer_key, m.customer_key) as customer_key,
        coalesce(d.defaulted_amount, 0) as defaulted_amount,
        coalesce(m.month_end_ar_sum, 0) as month_end_ar_sum,
        n.n_month_ends
    from defaulted as d
    full outer join month_end_ar as m on m.customer_key = d.customer_key
    cross join n_month_ends as n
)

select * from final
order by customer_key;
