-- grain: customer with unapplied cash at $as_of (spec §2), reporting currency.
-- parts: unapplied_at
select customer_key, unapplied_amount from unapplied_at;
