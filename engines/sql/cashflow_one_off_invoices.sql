-- grain: positive invoice dated in ($start, $end] (reporting currency at its invoice date), over
-- the customers in $customer_keys (the view selected_customers; $all_customers = every customer), worth at least $min_amount and at
-- least $invoice_multiple × the median positive invoice of the same days: the one-off
-- invoices the sales forecast leaves out of the history it fits (analytics/cashflow/sales_forecast.py).
with invoices as (
    select invoice_key, date_trunc('month', invoice_date)::date as month_start, sales_amount
    from documents
    where amount > 0 and invoice_date > $start and invoice_date <= $end
        and ($all_customers or customer_key in (select customer_key from selected_customers))
),

typical as (
    select median(sales_amount) as median_amount from invoices
),

final as (
    select invoices.invoice_key, invoices.month_start, invoices.sales_amount
    from invoices
    cross join typical
    where invoices.sales_amount >= $min_amount
        and invoices.sales_amount >= $invoice_multiple * typical.median_amount
)

select * from final
order by month_start, invoice_key;
