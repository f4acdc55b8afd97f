-- grain: customer with a positive open item more than $min_days_past_due days past due at
-- $as_of (spec §12 late_15; open at D and days past due as in spec §2-§3), reporting currency
-- at the closing rate: the largest such item (invoice_id, open amount, days past due; ties to
-- the older, then the lower key), how many there are and their total. Items with no rate on
-- or before $as_of have no amount and are left out, as the snapshot leaves them out.
-- parts: open_items
with late_items as (
    select
        o.customer_key,
        o.invoice_key,
        o.open_amount_rc as open_amount,
        date_diff('day', o.due_date, $as_of::date) as days_past_due
    from open_items as o
    where o.open_amount > 0
        and o.open_amount_rc is not null
        and date_diff('day', o.due_date, $as_of::date) > $min_days_past_due
),

ranked as (
    select
        *,
        row_number() over (
            partition by customer_key
            order by open_amount desc, days_past_due desc, invoice_key
        ) as size_rank,
        count(*) over (partition by customer_key) as n_late_items,
        sum(open_amount) over (partition by customer_key) as late_amount
    from late_items
),

final as (
    select
        r.customer_key,
        i.invoice_id as late_item_id,
        r.open_amount as late_item_amount,
        r.days_past_due as late_item_days,
        r.n_late_items,
        r.late_amount
    from ranked as r
    inner join invoices as i on i.invoice_key = r.invoice_key
    where r.size_rank = 1
)

select * from final
order by customer_key;
