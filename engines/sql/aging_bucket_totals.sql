-- grain: aging bucket × disputed, as of $as_of (spec §3), over the customers in $customer_keys
-- (the view selected_customers; $all_customers = every customer), reporting currency. Bucket numbering as in
-- open_by_customer_bucket.sql; age counts from the invoice date when $basis = 'invoice'.
-- parts: open_items
with items as (
    select
        is_disputed,
        open_amount_rc,
        date_diff(
            'day', case when $basis = 'invoice' then invoice_date else due_date end, $as_of::date
        ) as age_days
    from open_items
    where $all_customers or customer_key in (select customer_key from selected_customers)
),

final as (
    select
        b.bucket,
        i.is_disputed,
        sum(i.open_amount_rc) as open_amount
    from items as i
    cross join (select max(age_days) as top_days from aging_buckets) as top
    inner join aging_buckets as b on b.age_days = least(greatest(i.age_days, 0), top.top_days)
    group by b.bucket, i.is_disputed
)

select * from final
order by bucket, is_disputed;
