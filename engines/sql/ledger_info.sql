-- grain: one row: the ledger's reporting currency, date range and size.
select
    (select value from ledger_settings where key = 'reporting_currency') as reporting_currency,
    (select min(invoice_date) from documents) as first_date,
    greatest(
        (select max(invoice_date) from documents),
        (select max(payment_date) from payments)
    ) as last_date,
    (select count(*) from documents) as n_documents,
    (select count(*) from customers) as n_customers,
    (select count(*) from payments) as n_payments;
