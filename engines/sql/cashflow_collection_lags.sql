-- grain: invoice date × days from invoice to payment: cash applied by payments (not credit
-- notes) on or before $as_of to positive invoices dated in ($start, $as_of], in reporting
-- currency at each invoice's invoice-date rate (the rate its credit sales are counted at,
-- spec §4), over the customers in $customer_keys (the view selected_customers; $all_customers = every customer). Payments more than
-- $max_lag days after the invoice are left out. The collection curve divides these by the
-- credit sales of the same invoice dates (analytics/sales_forecast.py).
with paid as (
    select
        d.invoice_date,
        date_diff('day', d.invoice_date, a.apply_date) as lag_days,
        a.applied_amount * d.sales_amount / d.amount as paid_amount
    from applications as a
    inner join documents as d on d.invoice_key = a.document_key
    where a.source = 'payment'
        and d.amount > 0
        and d.invoice_date > $start
        and d.invoice_date <= $as_of
        and a.apply_date <= $as_of
        and date_diff('day', d.invoice_date, a.apply_date) <= $max_lag
        and ($all_customers or d.customer_key in (select customer_key from selected_customers))
),

final as (
    select invoice_date, greatest(lag_days, 0) as lag_days, sum(paid_amount) as paid_amount
    from paid
    group by invoice_date, greatest(lag_days, 0)
)

select * from final
order by invoice_date, lag_days;
