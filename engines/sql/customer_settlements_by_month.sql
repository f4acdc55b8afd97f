-- grain: calendar month in which invoices of one customer ($customer_key) were settled
-- (spec §4: the date their open amount reached 0), for settled_date in [$start, $as_of].
-- Weights are the invoice amount in the reporting currency at the invoice date
-- (documents.sales_amount), so invoices in different currencies weigh alike.
with settled as (
    select
        date_trunc('month', settled_date)::date as month_start,
        sales_amount as weight_amount,
        days_late,
        days_to_pay
    from documents
    where customer_key = $customer_key and settled_date between $start and $as_of
),

final as (
    select
        month_start,
        count(*) as n_settled,
        sum(weight_amount) as settled_amount,
        sum(weight_amount * days_late) as weighted_days_late,
        sum(weight_amount * days_to_pay) as weighted_days_to_pay
    from settled
    group by month_start
)

select * from final
order by month_start;
