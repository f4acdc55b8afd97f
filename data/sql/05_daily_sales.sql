-- grain: customer × entity × invoice_date. Credit sales (spec §4): invoices and credit notes,
-- converted at each document's invoice-date rate; write-off credit notes are not sales (§8).
create or replace table daily_sales as
select
    customer_key,
    entity,
    invoice_date as sales_date,
    sum(sales_amount) as sales_amount,
    count(*) as n_documents
from documents
where not is_write_off
group by customer_key, entity, invoice_date
order by sales_date, customer_key;
