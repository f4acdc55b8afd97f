-- grain: aging bucket × disputed, as of $as_of (spec §3), over the customers in $customer_keys
-- (NULL = every customer), reporting currency. Bucket numbering as in
-- open_by_customer_bucket.sql; age counts from the invoice date when $basis = 'invoice'.
with items as (
    select
        is_disputed,
        open_amount_rc,
        $as_of - case when $basis = 'invoice' then invoice_date else due_date end as age_days
    from open_items($as_of)
    where $customer_keys is null or customer_key in (select unnest($customer_keys))
),

final as (
    select
        len(list_filter($edges, lambda e: age_days > e)) as bucket,
        is_disputed,
        sum(open_amount_rc) as open_amount
    from items
    group by all
)

select * from final
order by bucket, is_disputed;
