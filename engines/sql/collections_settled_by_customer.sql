-- grain: customer with positive invoices settled in ($start, $as_of] (spec §4: days to pay =
-- settled_date − invoice_date, days late = settled_date − due_date), over the customers in
-- $customer_keys (the view selected_customers; $all_customers = every customer). The weight of an invoice is its amount in reporting
-- currency at its invoice date (documents.sales_amount), so that currencies can be added up;
-- Python divides the weighted sums by the weights (analytics/collections.py).
with settled as (
    select
        customer_key,
        sales_amount as weight_amount,
        days_to_pay,
        days_late
    from documents
    where amount > 0
        and settled_date > $start
        and settled_date <= $as_of
        and ($all_customers or customer_key in (select customer_key from selected_customers))
),

by_customer as (
    select
        customer_key,
        count(*) as n_settled,
        count(*) filter (where days_late > 0) as n_late,
        sum(weight_amount) as settled_amount,
        coalesce(sum(weight_amount) filter (where days_late > 0), 0) as late_amount,
        sum(weight_amount * days_to_pay) as amount_days_to_pay,
        sum(weight_amount * days_late) as amount_days_late
    from settled
    group by customer_key
),

final as (
    select
        b.customer_key,
        c.customer_id,
        coalesce(c.name, c.customer_id) as name,
        coalesce(c.risk_rating, '(none)') as risk_rating,
        c.payment_terms_days,
        b.n_settled,
        b.n_late,
        b.settled_amount,
        b.late_amount,
        b.amount_days_to_pay,
        b.amount_days_late
    from by_customer as b
    inner join customers as c on c.customer_key = b.customer_key
)

select * from final
order by customer_key;
