-- grain: open order (spec §6: status open counts toward exposure). Orders carry their
-- current status only, so an as-of date counts open orders dated on or before it.
create or replace table open_orders as
select order_id, customer_key, order_date, amount, currency
from orders
where status = 'open'
order by order_date;
