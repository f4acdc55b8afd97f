-- grain: customer with open orders dated on or before $as_of (spec §6), reporting currency.
-- parts: closing_rates
select o.customer_key, sum(o.amount * r.rate) as open_orders_amount
from open_orders as o
left join closing_rates as r on r.currency = o.currency
where o.order_date <= $as_of
group by o.customer_key;
