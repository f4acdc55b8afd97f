-- grain: customer with a positive open document at $as_of (spec §13: the collection worklist)
-- over the customers in $customer_keys (the view selected_customers; $all_customers = every customer). oldest_dpd = the largest days
-- past due among its positive open documents (its stage); open, overdue (dpd >= 1) and
-- disputed parts of their open amount in reporting currency at the closing rate. Credits and
-- unapplied cash are not netted. The oldest item is the document with that dpd (largest open
-- amount, then invoice id, on a tie).
-- parts: open_items
with items as (
    select
        o.customer_key,
        o.invoice_key,
        o.due_date,
        o.is_disputed,
        o.open_amount_rc,
        date_diff('day', o.due_date, $as_of::date) as days_past_due
    from open_items as o
    where o.amount > 0
        and o.open_amount > 0
        and ($all_customers or o.customer_key in (select customer_key from selected_customers))
),

oldest as (
    select customer_key, invoice_key, due_date
    from items
    qualify row_number() over (
        partition by customer_key
        order by days_past_due desc, open_amount_rc desc nulls last, invoice_key
    ) = 1
),

by_customer as (
    select
        customer_key,
        max(days_past_due) as oldest_dpd,
        cast(count(*) as integer) as n_open_items,
        cast(count_if(days_past_due >= 1) as integer) as n_overdue_items,
        coalesce(sum(open_amount_rc), 0) as open_amount,
        coalesce(sum(open_amount_rc) filter (where days_past_due >= 1), 0) as overdue_amount,
        coalesce(sum(open_amount_rc) filter (where is_disputed), 0) as disputed_amount,
        cast(count_if(open_amount_rc is null) as integer) as n_missing_rate
    from items
    group by customer_key
),

final as (
    select
        b.customer_key,
        c.customer_id,
        coalesce(c.name, c.customer_id) as name,
        coalesce(c.segment, '(none)') as segment,
        coalesce(c.risk_rating, '(none)') as risk_rating,
        coalesce(c.insured_limit, 0) > 0 as is_insured,
        b.oldest_dpd,
        i.invoice_id as oldest_invoice_id,
        o.due_date as oldest_due_date,
        b.n_open_items,
        b.n_overdue_items,
        b.open_amount,
        b.overdue_amount,
        b.disputed_amount,
        b.n_missing_rate
    from by_customer as b
    inner join customers as c on c.customer_key = b.customer_key
    inner join oldest as o on o.customer_key = b.customer_key
    inner join invoices as i on i.invoice_key = o.invoice_key
)

select * from final
order by customer_key;
