-- grain: disputed document open at $as_of (spec §13) over the customers in $customer_keys
-- (the view selected_customers; $all_customers = every customer), with its days past due and aging bucket by due date (numbered as in
-- open_by_customer_bucket.sql: 0 = current, k = dpd above edge k-1 and up to edge k, $edges =
-- [0, e1, e2, ...]: the rows of the view aging_buckets), open amount in reporting currency at the closing rate; largest first.
-- parts: open_items
with items as (
    select
        customer_key,
        invoice_key,
        invoice_date,
        due_date,
        currency,
        open_amount,
        open_amount_rc,
        date_diff('day', due_date, $as_of::date) as days_past_due
    from open_items
    where is_disputed
        and ($all_customers or customer_key in (select customer_key from selected_customers))
),

final as (
    select
        i.invoice_id,
        c.customer_id,
        coalesce(c.name, c.customer_id) as name,
        d.invoice_date,
        d.due_date,
        d.days_past_due,
        b.bucket,
        d.currency,
        d.open_amount as document_open_amount,
        d.open_amount_rc as open_amount
    from items as d
    inner join invoices as i on i.invoice_key = d.invoice_key
    inner join customers as c on c.customer_key = d.customer_key
    cross join (select max(age_days) as top_days from aging_buckets) as top
    inner join aging_buckets as b on b.age_days = least(greatest(d.days_past_due, 0), top.top_days)
)

select * from final
order by open_amount desc nulls last, invoice_id;
