-- grain: one row, as of $as_of: AR parts for trends and CEI (spec §2-§4), over the customers
-- in $customer_keys (NULL = every customer).
with items as (
    select open_amount_rc, $as_of - due_date as days_past_due
    from open_items($as_of)
    where $customer_keys is null or customer_key in (select unnest($customer_keys))
),

unapplied as (
    select coalesce(sum(unapplied_amount), 0) as unapplied_amount
    from unapplied_at($as_of)
    where $customer_keys is null or customer_key in (select unnest($customer_keys))
),

final as (
    select
        coalesce(sum(open_amount_rc) filter (where days_past_due <= 0), 0) as current_amount,
        coalesce(sum(open_amount_rc) filter (where days_past_due >= 1), 0) as overdue_amount,
        (select unapplied_amount from unapplied) as unapplied_amount
    from items
)

select * from final;
