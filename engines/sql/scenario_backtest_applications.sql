-- grain: application event (analytics/limit_backtest.py): what was applied, on or before
-- $as_of, to the positive invoices dated in ($start, $as_of] of the customers in
-- $customer_keys (the view selected_customers; $all_customers = every customer), at the invoice-date rate. A blocked invoice in
-- the replay takes these out of the customer's balance along with its own amount.
select
    d.customer_key,
    a.document_key as invoice_key,
    a.apply_date,
    a.applied_amount * d.sales_amount / d.amount as applied_amount
from applications as a
inner join documents as d on d.invoice_key = a.document_key
where a.apply_date <= $as_of
    and d.amount > 0 and d.invoice_date > $start and d.invoice_date <= $as_of
    and ($all_customers or d.customer_key in (select customer_key from selected_customers))
order by d.customer_key, a.apply_date, a.document_key;
