-- grain: currency × validity range: each rate holds from its rate_date (valid_from) up to the
-- next rate_date of its currency (valid_to, exclusive; 9999-12-31 after the last). "The rate in
-- force on d" (spec §2: the latest rate_date <= d) is the range with valid_from <= d < valid_to,
-- an equality-and-range join that runs on Spark too (DuckDB's ASOF join does not).
select
    currency,
    rate,
    rate_date as valid_from,
    coalesce(
        lead(rate_date) over (partition by currency order by rate_date), date '9999-12-31'
    ) as valid_to
from rates
