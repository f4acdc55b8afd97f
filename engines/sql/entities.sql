-- grain: legal entity (spec §8; an empty entity was loaded as the default one): how many
-- documents and customers it has and the currencies it invoices in, by entity name.
select
    entity,
    count(*) as n_documents,
    count(distinct customer_key) as n_customers,
    string_agg(distinct currency, ', ' order by currency) as currencies
from documents
group by entity
order by entity;
