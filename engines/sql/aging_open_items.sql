-- grain: document open at $as_of (spec §2) for the customers in $customer_keys (the view
-- selected_customers; $all_customers = every customer), with its customer, days past due and aging bucket (spec §3), largest open amount
-- in reporting currency first. Bucket numbering as in open_by_customer_bucket.sql: 0 = current,
-- k = age above edge k-1 and up to edge k ($edges = [0, e1, e2, ...]); age counts from the due
-- date, or from the invoice date when $basis = 'invoice'. Buckets: the rows of the view aging_buckets.
-- parts: open_items
with items as (
    select *
    from open_items
    where $all_customers or customer_key in (select customer_key from selected_customers)
),

aged as (
    select
        *,
        date_diff('day', due_date, $as_of::date) as days_past_due,
        date_diff(
            'day', case when $basis = 'invoice' then invoice_date else due_date end, $as_of::date
        ) as age_days
    from items
),

final as (
    select
        i.invoice_id,
        c.customer_id,
        coalesce(c.name, c.customer_id) as customer_name,
        a.invoice_date,
        a.due_date,
        a.days_past_due,
        b.bucket,
        a.amount as document_amount,
        a.currency,
        a.open_amount,
        a.open_amount_rc,
        a.is_disputed
    from aged as a
    inner join invoices as i on i.invoice_key = a.invoice_key
    inner join customers as c on c.customer_key = a.customer_key
    cross join (select max(age_days) as top_days from aging_buckets) as top
    inner join aging_buckets as b on b.age_days = least(greatest(a.age_days, 0), top.top_days)
)

select * from final
order by open_amount_rc desc nulls last, invoice_id;
