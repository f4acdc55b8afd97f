-- grain: currency × rate_date. Every currency's rates plus the reporting currency at 1
-- from the beginning of time (spec §1: amounts in the reporting currency need no rate).
create or replace table rates as
with reporting as (
    select value as currency from ledger_settings where key = 'reporting_currency'
),

listed as (
    select currency, rate_date, rate from fx_rates
),

implied as (
    select currency, date '1900-01-01' as rate_date, 1.0::double as rate from reporting
),

final as (
    select * from listed
    union all
    select * from implied
    where not exists (
        select 1 from listed
        where listed.currency = implied.currency and listed.rate_date = implied.rate_date
    )
)

select * from final
order by currency, rate_date;
