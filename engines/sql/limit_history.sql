-- grain: customer with an invoice dated on or before $as_of (spec §11 staged granting): its
-- first invoice date and the day its limit steps up from the staged share to the full
-- recommendation: the first day, $months months or more after the first invoice, that ends
-- $months months in which no invoice was settled more than $late_days days late (null when
-- that day is after $as_of). With late settlements s1 < s2 < ...: the step-up is first +
-- $months when s1 is later than that, else sk + $months for the first sk followed by a gap of
-- more than $months months (or by none).
with firsts as (
    select customer_key, min(invoice_date) as first_invoice_date
    from documents
    where invoice_date <= $as_of and amount > 0
    group by customer_key
),

late as (
    select
        customer_key,
        settled_date,
        lead(settled_date) over (partition by customer_key order by settled_date) as next_date
    from documents
    where amount > 0 and settled_date <= $as_of and days_late > $late_days
),

first_late as (
    select customer_key, min(settled_date) as first_late_date
    from late
    group by customer_key
),

clean_after as (
    -- the first late settlement followed by more than $months months without another
    select customer_key, min(settled_date + $months * interval 1 month) as clean_date
    from late
    where next_date is null or next_date > settled_date + $months * interval 1 month
    group by customer_key
),

final as (
    select
        f.customer_key,
        f.first_invoice_date,
        case
            when l.first_late_date is null
                or l.first_late_date > f.first_invoice_date + $months * interval 1 month
                then f.first_invoice_date + $months * interval 1 month
            else c.clean_date
        end::date as step_up_date
    from firsts as f
    left join first_late as l on l.customer_key = f.customer_key
    left join clean_after as c on c.customer_key = f.customer_key
)

select
    customer_key,
    first_invoice_date,
    case when step_up_date <= $as_of then step_up_date end as step_up_date
from final
order by customer_key;
