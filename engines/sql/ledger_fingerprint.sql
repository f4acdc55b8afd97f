-- grain: one row: where the loaded ledger came from (ledger_settings: source, loaded_at,
-- reporting currency) and a fingerprint of its content, one group of columns per loaded table:
-- its row count, the exact sum of its amounts in cents (an integer, so the sum does not depend
-- on the order rows are added in; bigint cents, which DuckDB sums as a hugeint and Spark as a
-- bigint, exact to 9e16 units), its first and last dates, and the XOR of one hash per row
-- over every column the spec gives it (ids, dates, amounts, currencies, flags). Equal ledgers
-- give equal rows; adding, removing or editing any row changes at least the XOR. The load
-- time is not part of the content: the same files loaded twice fingerprint the same.
with settings as (
    select
        max(case when key = 'source' then value end) as source,
        max(case when key = 'loaded_at' then value end) as loaded_at,
        max(case when key = 'reporting_currency' then value end) as reporting_currency
    from ledger_settings
),

customer_facts as (
    select
        count(*) as customers_rows,
        coalesce(sum(cast(round(credit_limit * 100) as bigint)), 0) as customers_cents,
        min(credit_limit_date) as customers_first_date,
        max(credit_limit_date) as customers_last_date,
        coalesce(bit_xor(hash(
            customer_id, name, segment, region, country, industry, group_id, risk_rating,
            credit_limit, payment_terms_days, insured_limit, credit_limit_date
        )), 0) as customers_xor
    from customers
),

invoice_facts as (
    select
        count(*) as invoices_rows,
        coalesce(sum(cast(round(amount * 100) as bigint)), 0) as invoices_cents,
        min(invoice_date) as invoices_first_date,
        max(due_date) as invoices_last_date,
        coalesce(bit_xor(hash(
            invoice_id, customer_id, invoice_date, due_date, amount, currency, disputed,
            applies_to, write_off, entity
        )), 0) as invoices_xor
    from invoices
),

payment_facts as (
    select
        count(*) as payments_rows,
        coalesce(sum(cast(round(amount * 100) as bigint)), 0) as payments_cents,
        min(payment_date) as payments_first_date,
        max(payment_date) as payments_last_date,
        coalesce(bit_xor(hash(
            payment_id, customer_id, payment_date, amount, currency, invoice_id, entity
        )), 0) as payments_xor
    from payments
),

rate_facts as (
    select
        count(*) as fx_rates_rows,
        coalesce(sum(cast(round(rate * 1000000) as bigint)), 0) as fx_rates_micros,
        min(rate_date) as fx_rates_first_date,
        max(rate_date) as fx_rates_last_date,
        coalesce(bit_xor(hash(currency, rate_date, rate)), 0) as fx_rates_xor
    from fx_rates
),

order_facts as (
    select
        count(*) as orders_rows,
        coalesce(sum(cast(round(amount * 100) as bigint)), 0) as orders_cents,
        min(order_date) as orders_first_date,
        max(order_date) as orders_last_date,
        coalesce(bit_xor(hash(order_id, customer_id, order_date, amount, currency, status)), 0)
            as orders_xor
    from orders
),

final as (
    select *
    from settings, customer_facts, invoice_facts, payment_facts, rate_facts, order_facts
)

select * from final;
