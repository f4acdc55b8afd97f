-- grain: customer with open documents at $as_of: open and current amounts (spec §2-§3).
select
    customer_key,
    sum(open_amount_rc) as open_amount,
    coalesce(sum(open_amount_rc) filter (where due_date >= $as_of), 0) as current_amount
from open_items($as_of)
group by customer_key;
