-- grain: one row: whether the load built month_end_outcomes (data/sql/10; ledgers loaded with
-- schema version 3 on) and the last month-end it covers: that of the ledger's last invoice or
-- payment date, as the load computes it (scoped to an entity, its own last date: never later).
select
    coalesce(
        (select cast(value as integer) from ledger_settings where key = 'schema_version') >= 3,
        false
    ) as is_built,
    last_day(
        greatest((select max(invoice_date) from documents), (select max(payment_date) from payments))
    ) as last_month_end;
