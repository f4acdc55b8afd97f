-- grain: customer: the dimensions and limits every breakdown uses.
select
    customer_key,
    customer_id,
    coalesce(name, customer_id) as name,
    coalesce(segment, '(none)') as segment,
    coalesce(region, '(none)') as region,
    coalesce(country, '(none)') as country,
    coalesce(industry, '(none)') as industry,
    coalesce(group_id, customer_id) as group_id,
    coalesce(risk_rating, '(none)') as risk_rating,
    credit_limit,
    insured_limit,
    payment_terms_days,
    credit_limit_date
from customers
order by customer_key;
