-- grain: customer with a positive invoice settled in ($norm_start, $as_of] (spec §12 slower):
-- a settlement is the date the invoice's open amount reached 0 (documents.settled_date), its
-- days late = that date − due date (negative when paid early), averaged weighted by the invoice
-- amount in reporting currency at its invoice-date rate (spec §4). recent_*: settled in
-- ($recent_start, $as_of] (the last 90 days); norm_*: in ($norm_start, $recent_start] (the
-- 12 months before them). *_settled_amount = Σ amount, *_late_amount_days = Σ amount × days late.
with settlements as (
    select
        customer_key,
        sales_amount,
        days_late,
        settled_date > $recent_start as is_recent
    from documents
    where amount > 0
        and settled_date > $norm_start
        and settled_date <= $as_of
),

final as (
    select
        customer_key,
        coalesce(sum(sales_amount) filter (where is_recent), 0) as recent_settled_amount,
        coalesce(sum(sales_amount * days_late) filter (where is_recent), 0)
            as recent_late_amount_days,
        coalesce(sum(sales_amount) filter (where not is_recent), 0) as norm_settled_amount,
        coalesce(sum(sales_amount * days_late) filter (where not is_recent), 0)
            as norm_late_amount_days
    from settlements
    group by customer_key
)

select * from final
order by customer_key;
