-- grain: customer × invoice_date. Credit sales (spec §4): invoices and credit notes,
-- converted at each document's invoice-date rate.
create or replace table daily_sales as
select
    customer_key,
    invoice_date as sales_date,
    sum(sales_amount) as sales_amount,
    count(*) as n_documents
from documents
group by customer_key, invoice_date
order by sales_date, customer_key;
