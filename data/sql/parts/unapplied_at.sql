-- grain: customer with unapplied cash at $as_of (spec §2), in reporting currency.
-- parts: closing_rates
select u.customer_key, sum(u.amount * r.rate) as unapplied_amount, count(*) as n_payments
from unapplied_cash as u
left join closing_rates as r on r.currency = u.currency
where u.payment_date <= $as_of
group by u.customer_key
