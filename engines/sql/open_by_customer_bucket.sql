-- grain: customer × aging bucket × disputed, as of $as_of (spec §3).
-- bucket 0 = current (age <= 0); bucket k = age above edge k-1 and up to edge k
-- ($edges = [0, e1, e2, ...]; the last bucket is open-ended). Age is counted from the due
-- date, or from the invoice date when $basis = 'invoice'. The view aging_buckets (made from $edges)
-- gives the bucket of each age from 0 to one past the last edge; ages are clamped to that range.
-- parts: open_items
with items as (
    select
        customer_key,
        is_disputed,
        open_amount_rc,
        open_amount_rc is null as is_missing_rate,
        date_diff(
            'day', case when $basis = 'invoice' then invoice_date else due_date end, $as_of::date
        ) as age_days,
        date_diff('day', due_date, $as_of::date) as days_past_due
    from open_items
),

final as (
    select
        i.customer_key,
        b.bucket,
        i.is_disputed,
        sum(i.open_amount_rc) as open_amount,
        sum(case when i.days_past_due >= 1 then i.open_amount_rc else 0 end) as overdue_amount,
        count(*) as n_items,
        count_if(i.is_missing_rate) as n_missing_rate
    from items as i
    cross join (select max(age_days) as top_days from aging_buckets) as top
    inner join aging_buckets as b on b.age_days = least(greatest(i.age_days, 0), top.top_days)
    group by i.customer_key, b.bucket, i.is_disputed
)

-- ordered so that sums taken from this frame add in the same order on every run
select * from final
order by customer_key, bucket, is_disputed;
