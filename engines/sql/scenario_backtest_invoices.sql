-- grain: positive invoice dated in ($start, $as_of] of the customers in $customer_keys (NULL =
-- every customer), with what the limit backtest (analytics/limit_backtest.py) replays it
-- against. Every amount is at the document's invoice-date rate (documents.sales_amount /
-- amount), so that exchange-rate moves do not change exposure in the replay.
--   balance_before_amount: the customer's balance just before the invoice (spec §2: every
--     document dated before it, or on its date with a smaller key, less what was applied to
--     them and unapplied cash up to and including its date);
--   is_matured: its due date + 91 days is on or before $as_of, so whether it went more than
--     90 days past due is known;
--   defaulted_amount: for matured invoices, what was still open 91 days after the due date.
with docs as (
    select invoice_key, customer_key, invoice_date, due_date, amount, sales_amount,
        sales_amount / nullif(amount, 0) as rate
    from documents
    where invoice_date <= $as_of
        and ($customer_keys is null or customer_key in (select unnest($customer_keys)))
),

events as (
    select customer_key, invoice_date as event_date, 1 as event_order, invoice_key,
        sales_amount as amount
    from docs
    union all
    select d.customer_key, a.apply_date, 0, null, -a.applied_amount * coalesce(d.rate, 1.0)
    from applications as a
    inner join docs as d on d.invoice_key = a.document_key
    where a.apply_date <= $as_of
    union all
    select u.customer_key, u.payment_date, 0, null, -u.amount * r.rate
    from unapplied_cash as u
    asof inner join rates as r on r.currency = u.currency and u.payment_date >= r.rate_date
    where u.payment_date <= $as_of
        and ($customer_keys is null or u.customer_key in (select unnest($customer_keys)))
),

running as (
    select
        invoice_key,
        sum(amount) over (
            partition by customer_key order by event_date, event_order, invoice_key
            rows between unbounded preceding and 1 preceding
        ) as balance_before_amount
    from events
),

window_invoices as (
    select d.*, coalesce(r.balance_before_amount, 0) as balance_before_amount
    from docs as d
    inner join running as r on r.invoice_key = d.invoice_key
    where d.amount > 0 and d.invoice_date > $start
),

applied_by_day_91 as (
    select w.invoice_key, sum(a.applied_amount) as applied_amount
    from window_invoices as w
    inner join applications as a
        on a.document_key = w.invoice_key and a.apply_date <= w.due_date + 91
    where w.due_date + 91 <= $as_of
    group by w.invoice_key
),

final as (
    select
        w.invoice_key,
        i.invoice_id,
        w.customer_key,
        i.customer_id,
        w.invoice_date,
        w.due_date,
        w.sales_amount as amount,
        w.balance_before_amount,
        w.due_date + 91 <= $as_of as is_matured,
        case
            when w.due_date + 91 <= $as_of
                then greatest(w.amount - coalesce(a.applied_amount, 0), 0) * w.rate
        end as defaulted_amount
    from window_invoices as w
    inner join invoices as i on i.invoice_key = w.invoice_key
    left join applied_by_day_91 as a on a.invoice_key = w.invoice_key
)

select * from final
order by customer_key, invoice_date, invoice_key;
