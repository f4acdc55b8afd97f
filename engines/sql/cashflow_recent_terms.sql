-- grain: one row: the amount-weighted mean of (due_date − invoice_date) over the positive
-- invoices dated in ($start, $as_of], over the customers in $customer_keys (the view
-- selected_customers; $all_customers = every customer): the terms on which the naive "paid on the due date" method expects new sales.
select sum(sales_amount * date_diff('day', invoice_date, due_date)) / nullif(sum(sales_amount), 0) as terms_days
from documents
where amount > 0 and invoice_date > $start and invoice_date <= $as_of
    and ($all_customers or customer_key in (select customer_key from selected_customers));
