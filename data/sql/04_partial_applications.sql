-- grain: application event of a document applied on more than one date. Only these
-- documents can be part-way through their applications at an as-of date; carrying the
-- document's first/last date here makes that a filter, not a join.
create or replace table partial_applications as
select
    a.document_key,
    a.apply_date,
    a.applied_amount,
    a.entity,
    d.first_apply_date,
    d.last_apply_date
from applications as a
inner join documents as d on d.invoice_key = a.document_key
where d.n_apply_dates > 1
order by a.apply_date;
