-- grain: one row: the date of the ledger's first document (trends start at its month-end).
select min(invoice_date) as first_date from documents;
