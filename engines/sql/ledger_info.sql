-- grain: one row: the ledger's reporting currency, date range and size, and what is still open
-- at its end.
select
    (select value from ledger_settings where key = 'reporting_currency') as reporting_currency,
    (select min(invoice_date) from documents) as first_date,
    greatest(
        (select max(invoice_date) from documents),
        (select max(payment_date) from payments)
    ) as last_date,
    (select count(*) from documents) as n_documents,
    (select count(*) from customers) as n_customers,
    (select count(*) from payments) as n_payments,
    -- positive documents still open after the last activity, and the last day one was settled
    -- (so a ledger whose every invoice is paid can open on the last day something was owed)
    (select count(*) from documents where amount > 0 and settled_date is null) as n_open_at_end,
    (
        select max(settled_date) from documents
        where amount > 0 and settled_date > invoice_date
    ) as last_settled_date;
