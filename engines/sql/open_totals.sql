-- grain: one row, as of $as_of: AR parts for trends and CEI (spec §2-§4), over the customers
-- in $customer_keys (the view selected_customers; $all_customers = every customer).
-- parts: open_items, unapplied_at
with items as (
    select open_amount_rc, date_diff('day', due_date, $as_of::date) as days_past_due
    from open_items
    where $all_customers or customer_key in (select customer_key from selected_customers)
),

unapplied as (
    select coalesce(sum(unapplied_amount), 0) as unapplied_amount
    from unapplied_at
    where $all_customers or customer_key in (select customer_key from selected_customers)
),

final as (
    select
        coalesce(sum(open_amount_rc) filter (where days_past_due <= 0), 0) as current_amount,
        coalesce(sum(open_amount_rc) filter (where days_past_due >= 1), 0) as overdue_amount,
        (select unapplied_amount from unapplied) as unapplied_amount
    from items
)

select * from final;
