-- grain: customer × observation date in $dates (spec §10): what the behavioural score reads
-- about a customer at a date, from documents dated and applications made on or before that
-- date only (a ledger cut at the date gives the same row). One row per customer with an open
-- document, a non-zero balance or a credit-sales document in the 12 months to the date.
-- Open items follow the open_items macro's rules (08_macros.sql) at every date at once.
-- Amounts in reporting currency: open items and balances at the date's closing rate, sales
-- and settlements at invoice-date rates (documents.sales_amount).
--   balance_amount, balance_3m_amount: spec §2 balance at the date and 3 months before, each
--     at its own day's closing rates;
--   open_amount, overdue_amount: positive open amounts of undisputed positive documents, and
--     of those with dpd >= 1; disputed_open_amount: the same of disputed ones; max_dpd: the
--     largest days past due of an undisputed positive open document (NULL: none open);
--   n_documents_12m, sales_3m_amount, sales_12m_amount: credit-sales documents (spec §4,
--     write-offs left out) in (date − 12 months, date] and their sales in the last 3 and 12
--     months (daily_sales);
--   settled_*_amount, late_*_amount_days: undisputed invoices settled (documents.settled_date,
--     spec §4) in (date − 90, date] (90d), (date − 455, date − 90] (prior: the 12 months
--     before the last 90 days, as spec §12's `slower`) and (date − 365, date] (365d):
--     Σ amount and Σ amount × days late;
--   first_document_date, credit_limit, risk_rating (assigned, may be NULL).
with observation_dates as (
    select distinct unnest($dates::date[]) as as_of
),

balance_dates as (
    -- each observation date, and the day 3 months before it for the balance's growth
    select as_of, as_of as balance_date from observation_dates
    union all
    select as_of, (as_of - interval 3 month)::date from observation_dates
),

valuation_dates as (
    select distinct balance_date from balance_dates
),

documents_open_until as (
    -- a document is open from its date until its last application when that takes it to 0
    select
        invoice_key, customer_key, invoice_date, due_date, amount, currency, is_disputed,
        first_apply_date, last_apply_date, final_open_amount,
        case when abs(final_open_amount) < 0.005 then last_apply_date else date '9999-12-31' end as open_until
    from documents
),

candidates as (
    select
        v.balance_date,
        d.*,
        case
            when d.first_apply_date is null or d.first_apply_date > v.balance_date then d.amount
            when d.last_apply_date <= v.balance_date then d.final_open_amount
        end as known_open_amount
    from documents_open_until as d
    inner join valuation_dates as v
        on d.invoice_date <= v.balance_date and v.balance_date < d.open_until
),

in_progress as (
    select v.balance_date, p.document_key, sum(p.applied_amount) as applied_amount
    from partial_applications as p
    inner join valuation_dates as v
        on p.first_apply_date <= v.balance_date and v.balance_date < p.last_apply_date
    where p.apply_date <= v.balance_date
    group by all
),

closing_rates_at as (
    select v.balance_date, r.currency, r.rate
    from valuation_dates as v
    cross join (select distinct currency from rates) as c
    asof inner join rates as r on r.currency = c.currency and v.balance_date >= r.rate_date
),

open_items_at as (
    select
        c.balance_date, c.customer_key, c.due_date, c.amount, c.is_disputed, c.currency,
        coalesce(c.known_open_amount, c.amount - i.applied_amount) as open_amount
    from candidates as c
    left join in_progress as i
        on i.balance_date = c.balance_date and i.document_key = c.invoice_key
),

open_items_rc as (
    select o.*, o.open_amount * r.rate as open_amount_rc
    from open_items_at as o
    left join closing_rates_at as r on r.balance_date = o.balance_date and r.currency = o.currency
    where abs(o.open_amount) >= 0.005
),

open_by_customer as (
    select
        balance_date as as_of,
        customer_key,
        sum(open_amount_rc) filter (where amount > 0 and open_amount > 0 and not is_disputed)
            as open_amount,
        sum(open_amount_rc) filter (
            where amount > 0 and open_amount > 0 and not is_disputed and balance_date - due_date >= 1
        ) as overdue_amount,
        sum(open_amount_rc) filter (where amount > 0 and open_amount > 0 and is_disputed)
            as disputed_open_amount,
        max(balance_date - due_date) filter (where amount > 0 and open_amount > 0 and not is_disputed)
            as max_dpd
    from open_items_rc
    where balance_date in (select as_of from observation_dates)
    group by all
),

documents_by_customer as (
    select balance_date, customer_key, sum(open_amount_rc) as documents_amount
    from open_items_rc
    group by all
),

unapplied_by_customer as (
    select v.balance_date, u.customer_key, sum(u.amount * r.rate) as unapplied_amount
    from unapplied_cash as u
    inner join valuation_dates as v on u.payment_date <= v.balance_date
    left join closing_rates_at as r on r.balance_date = v.balance_date and r.currency = u.currency
    group by all
),

balances_at as (
    -- spec §2: open documents less unapplied cash, at the valuation date's closing rates
    select
        coalesce(d.balance_date, u.balance_date) as balance_date,
        coalesce(d.customer_key, u.customer_key) as customer_key,
        coalesce(d.documents_amount, 0) - coalesce(u.unapplied_amount, 0) as balance_amount
    from documents_by_customer as d
    full outer join unapplied_by_customer as u
        on u.balance_date = d.balance_date and u.customer_key = d.customer_key
),

balances as (
    select
        b.as_of,
        x.customer_key,
        sum(x.balance_amount) filter (where b.balance_date = b.as_of) as balance_amount,
        coalesce(sum(x.balance_amount) filter (where b.balance_date < b.as_of), 0) as balance_3m_amount
    from balance_dates as b
    inner join balances_at as x on x.balance_date = b.balance_date
    group by all
),

activity as (
    select
        o.as_of,
        s.customer_key,
        sum(s.n_documents) as n_documents_12m,
        coalesce(sum(s.sales_amount) filter (where s.sales_date > (o.as_of - interval 3 month)::date), 0)
            as sales_3m_amount,
        sum(s.sales_amount) as sales_12m_amount
    from daily_sales as s
    inner join observation_dates as o
        on s.sales_date <= o.as_of and s.sales_date > (o.as_of - interval 12 month)::date
    group by all
),

settled as (
    select customer_key, settled_date, sales_amount, sales_amount * days_late as late_amount_days
    from documents
    where amount > 0 and not is_disputed and settled_date is not null
),

settlements as (
    select
        o.as_of,
        s.customer_key,
        coalesce(sum(s.sales_amount) filter (where s.settled_date > o.as_of - 90), 0) as settled_90d_amount,
        coalesce(sum(s.late_amount_days) filter (where s.settled_date > o.as_of - 90), 0)
            as late_90d_amount_days,
        coalesce(sum(s.sales_amount) filter (where s.settled_date <= o.as_of - 90), 0)
            as settled_prior_amount,
        coalesce(sum(s.late_amount_days) filter (where s.settled_date <= o.as_of - 90), 0)
            as late_prior_amount_days,
        coalesce(sum(s.sales_amount) filter (where s.settled_date > o.as_of - 365), 0)
            as settled_365d_amount,
        coalesce(sum(s.late_amount_days) filter (where s.settled_date > o.as_of - 365), 0)
            as late_365d_amount_days
    from settled as s
    inner join observation_dates as o
        on s.settled_date <= o.as_of and s.settled_date > o.as_of - 455
    group by all
),

first_documents as (
    select customer_key, min(invoice_date) as first_document_date
    from documents
    group by customer_key
),

keys as (
    select as_of, customer_key from open_by_customer
    union
    select as_of, customer_key from balances where abs(balance_amount) >= 0.005
    union
    select as_of, customer_key from activity where n_documents_12m > 0
),

final as (
    select
        k.customer_key,
        k.as_of,
        coalesce(b.balance_amount, 0) as balance_amount,
        coalesce(b.balance_3m_amount, 0) as balance_3m_amount,
        coalesce(o.open_amount, 0) as open_amount,
        coalesce(o.overdue_amount, 0) as overdue_amount,
        coalesce(o.disputed_open_amount, 0) as disputed_open_amount,
        o.max_dpd,
        coalesce(a.n_documents_12m, 0) as n_documents_12m,
        coalesce(a.sales_3m_amount, 0) as sales_3m_amount,
        coalesce(a.sales_12m_amount, 0) as sales_12m_amount,
        coalesce(s.settled_90d_amount, 0) as settled_90d_amount,
        coalesce(s.late_90d_amount_days, 0) as late_90d_amount_days,
        coalesce(s.settled_prior_amount, 0) as settled_prior_amount,
        coalesce(s.late_prior_amount_days, 0) as late_prior_amount_days,
        coalesce(s.settled_365d_amount, 0) as settled_365d_amount,
        coalesce(s.late_365d_amount_days, 0) as late_365d_amount_days,
        f.first_document_date,
        c.credit_limit,
        c.risk_rating
    from keys as k
    left join balances as b on b.customer_key = k.customer_key and b.as_of = k.as_of
    left join open_by_customer as o on o.customer_key = k.customer_key and o.as_of = k.as_of
    left join activity as a on a.customer_key = k.customer_key and a.as_of = k.as_of
    left join settlements as s on s.customer_key = k.customer_key and s.as_of = k.as_of
    inner join first_documents as f on f.customer_key = k.customer_key
    inner join customers as c on c.customer_key = k.customer_key
)

select * from final
order by as_of, customer_key;
