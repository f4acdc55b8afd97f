-- grain: customer with unapplied cash at $as_of (spec §2), reporting currency.
select customer_key, unapplied_amount from unapplied_at($as_of);
