-- grain: customer × aging bucket × disputed, as of $as_of (spec §3).
-- bucket 0 = current (age <= 0); bucket k = age above edge k-1 and up to edge k
-- ($edges = [0, e1, e2, ...]; the last bucket is open-ended). Age is counted from the due
-- date, or from the invoice date when $basis = 'invoice'.
with items as (
    select
        customer_key,
        is_disputed,
        open_amount_rc,
        open_amount_rc is null as is_missing_rate,
        $as_of - case when $basis = 'invoice' then invoice_date else due_date end as age_days,
        $as_of - due_date as days_past_due
    from open_items($as_of)
),

final as (
    select
        customer_key,
        len(list_filter($edges, lambda e: age_days > e)) as bucket,
        is_disputed,
        sum(open_amount_rc) as open_amount,
        sum(case when days_past_due >= 1 then open_amount_rc else 0 end) as overdue_amount,
        count(*) as n_items,
        count_if(is_missing_rate) as n_missing_rate
    from items
    group by all
)

-- ordered so that sums taken from this frame add in the same order on every run
select * from final
order by customer_key, bucket, is_disputed;
