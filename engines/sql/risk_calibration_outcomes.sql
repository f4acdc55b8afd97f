-- grain: calibration month-end × aging bucket at it × aging bucket at the next month-end
-- (spec §9: loss rates and roll rates), read from the load-time month_end_outcomes
-- (data/sql/10), the same rows as engines/sql/risk_calibration_outcomes_full.sql gives for the
-- month-ends in selected_days (made from $days) at horizon $horizon_days (the table holds the
-- default, 365; the caller checks the horizon and that the load covers the month-ends,
-- month_end_outcomes_coverage.sql). Aged by days past due ($edges = [0, e1, e2, ...], numbered
-- as in open_by_customer_bucket.sql; the rows of the view aging_buckets). Amounts in reporting
-- currency at m's closing rate: open_amount, lost_amount, next_open_amount (in next_bucket;
-- NULL bucket: no longer open), next_written_off_amount; n_documents; n_missing_rate: documents
-- of a currency without a rate on or before m (their amounts are left out of the sums).
-- parts: rate_ranges
with month_end_rates as (
    select d.day as month_end, r.currency, r.rate
    from selected_days as d
    inner join rate_ranges as r on d.day >= r.valid_from and d.day < r.valid_to
),

outcomes as (
    select
        o.month_end,
        o.days_past_due,
        case
            when o.is_open_next
                then o.days_past_due + date_diff('day', o.month_end, last_day(o.month_end + 1))
        end as next_days_past_due,
        o.open_amount,
        o.lost_amount,
        o.staying_amount,
        o.next_written_off_amount,
        o.n_documents,
        r.rate
    from month_end_outcomes as o
    inner join selected_days as d on d.day = o.month_end
    left join month_end_rates as r on r.month_end = o.month_end and r.currency = o.currency
    where o.horizon_days = $horizon_days
),

final as (
    select
        o.month_end,
        b.bucket,
        nb.bucket as next_bucket,
        sum(o.open_amount * o.rate) as open_amount,
        sum(o.lost_amount * o.rate) as lost_amount,
        sum(o.staying_amount * o.rate) as next_open_amount,
        sum(o.next_written_off_amount * o.rate) as next_written_off_amount,
        sum(o.n_documents) as n_documents,
        sum(case when o.rate is null then o.n_documents else 0 end) as n_missing_rate
    from outcomes as o
    cross join (select max(age_days) as top_days from aging_buckets) as top
    inner join aging_buckets as b
        on b.age_days = least(greatest(o.days_past_due, 0), top.top_days)
    left join aging_buckets as nb  -- greatest() passes over NULL: no next bucket when closed
        on o.next_days_past_due is not null
        and nb.age_days = least(greatest(o.next_days_past_due, 0), top.top_days)
    group by o.month_end, b.bucket, nb.bucket
)

select
    month_end,
    bucket::bigint as bucket,
    next_bucket::bigint as next_bucket,
    open_amount,
    lost_amount,
    next_open_amount,
    next_written_off_amount,
    n_documents::bigint as n_documents,
    n_missing_rate::bigint as n_missing_rate
from final
order by month_end, bucket, next_bucket nulls last;
