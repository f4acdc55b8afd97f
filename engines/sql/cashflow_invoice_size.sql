-- grain: one row: Σ amount² ÷ Σ amount over the positive invoices dated in ($start, $as_of]
-- (reporting currency at the invoice date), over the customers in $customer_keys (the view
-- selected_customers; $all_customers = every customer): the amount-weighted mean invoice size. Receipts from invoices that arrive
-- at random and are each paid on one day vary with variance (this size) × (their mean), which
-- the projection adds to the smooth receipts from forecast sales (analytics/sales_forecast.py).
-- One-off invoices (at least $max_amount; NULL = none) are left out: they do not recur.
select sum(sales_amount * sales_amount) / nullif(sum(sales_amount), 0) as invoice_size
from documents
where amount > 0 and invoice_date > $start and invoice_date <= $as_of
    and ($max_amount is null or sales_amount < $max_amount)
    and ($all_customers or customer_key in (select customer_key from selected_customers));
