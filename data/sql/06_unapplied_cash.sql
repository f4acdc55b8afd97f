-- grain: payment not applied to any invoice (cash on account, spec §2), in its own currency.
create or replace table unapplied_cash as
select payment_key, customer_key, payment_date, amount, currency, entity
from payments
where invoice_key is null
order by payment_date;
