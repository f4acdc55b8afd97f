-- grain: legal entity (spec §8; an empty entity was loaded as the default one): how many
-- documents and customers it has and the currencies it invoices in, by entity name.
-- The currencies are made distinct before they are joined into one text: Spark cannot run
-- string_agg(distinct ... order by ...).
with entity_currencies as (
    select distinct entity, currency
    from documents
),

currency_lists as (
    select entity, string_agg(currency, ', ' order by currency) as currencies
    from entity_currencies
    group by entity
),

counts as (
    select entity, count(*) as n_documents, count(distinct customer_key) as n_customers
    from documents
    group by entity
),

final as (
    select c.entity, c.n_documents, c.n_customers, l.currencies
    from counts as c
    inner join currency_lists as l on l.entity = c.entity
)

select * from final
order by entity;
