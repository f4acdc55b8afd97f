-- grain: one row: the last day a positive document that had been open overnight was settled
-- (reached 0): a ledger whose every invoice is paid opens the day before (ledger_info).
select max(settled_date) as last_settled_date
from documents
where amount > 0 and settled_date > invoice_date;
