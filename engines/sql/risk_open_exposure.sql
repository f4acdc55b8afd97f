-- grain: customer × entity × aging bucket × disputed, as of $as_of (spec §9): the positive
-- open amount that expected credit loss applies its loss rates to, in reporting currency at
-- the closing rate. Only positive documents open above zero count: credits and unapplied cash
-- are left out, not netted. Aged by days past due ($edges = [0, e1, e2, ...], numbered as in
-- open_by_customer_bucket.sql; the rows of the view aging_buckets).
-- parts: open_items
with items as (
    select
        o.customer_key,
        d.entity,
        o.is_disputed,
        o.open_amount_rc,
        date_diff('day', o.due_date, $as_of::date) as days_past_due
    from open_items as o
    inner join documents as d on d.invoice_key = o.invoice_key
    where o.amount > 0 and o.open_amount > 0
),

final as (
    select
        i.customer_key,
        i.entity,
        b.bucket,
        i.is_disputed,
        sum(i.open_amount_rc) as open_amount,
        count(*) as n_documents,
        count_if(i.open_amount_rc is null) as n_missing_rate
    from items as i
    cross join (select max(age_days) as top_days from aging_buckets) as top
    inner join aging_buckets as b on b.age_days = least(greatest(i.days_past_due, 0), top.top_days)
    group by i.customer_key, i.entity, b.bucket, i.is_disputed
)

-- ordered so that sums taken from this frame add in the same order on every run
select * from final
order by customer_key, entity, bucket, is_disputed;
