-- grain: one row: the last day a backtest reads actual receipts up to: the ledger's last
-- document date. Payments after it are real, but weeks after it hold no new sales (an
-- export cut there), so they would look like collections falling short.
select max(invoice_date) as data_end
from documents;
