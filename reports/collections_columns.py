"""Column labels, units and formats of the Collections tables (worklist, cadence, promises and
plans, notes, disputes), as plain data like reports/columns.py, whose `Column` and `money`
they use. Money labels name the currency they are shown in."""

from __future__ import annotations

from reports.columns import Column, Table, money


def worklist(currency: str) -> Table:
    """The prioritised worklist: one row per customer with positive open items."""
    return {
        "priority": Column("#", "count", "Order to work in: expected loss, then overdue amount."),
        "customer_id": Column("Customer", "text"),
        "name": Column("Name", "text"),
        "owner": Column("Owner", "text", "Who works this customer (recorded below)."),
        "stage": Column("Stage", "text", "From the oldest days past due among its open items."),
        "expected_loss_amount": money("Expected loss", currency, "Overdue × PD × LGD on the uninsured part, or the loss-rate estimate on overdue items; see How this is computed."),
        "overdue_amount": money("Overdue", currency),
        "open_amount": money("Open", currency, "Positive open items; credits and unapplied cash not netted."),
        "oldest_dpd": Column("Oldest days past due", "count"),
        "action": Column("Next step", "text", width="medium"),
        "oldest_invoice_id": Column("Oldest item", "text"),
        "disputed_amount": money("Disputed", currency),
        "promised_amount": money("Promised, open", currency, "Still to pay on open promises and plan instalments."),
        "promised_date": Column("Next promised date", "date"),
        "uninsured_share": Column("Uninsured share", "percent", "Uninsured exposure ÷ exposure."),
        "pd": Column("PD", "percent", "Behavioural probability of default (when the model gives one)."),
        "segment": Column("Segment", "text"),
        "risk_rating": Column("Rating", "text"),
        "n_open_items": Column("Open items", "count"),
        "n_overdue_items": Column("Overdue items", "count"),
        "is_insured": Column("Insured", "flag"),
        "customer_key": None, "oldest_due_date": None, "n_missing_rate": None,
        "exposure_amount": None, "uninsured_amount": None,
    }  # fmt: skip


def stages(currency: str) -> Table:
    return {
        "stage": Column(
            "Stage", "text", "From the oldest days past due among a customer's open items."
        ),
        "customers": Column("Customers", "count"),
        "open_amount": money("Open", currency),
        "overdue_amount": money("Overdue", currency),
        "expected_loss_amount": money("Expected loss", currency),
        "action": Column("What it calls for", "text", width="large"),
    }


def cadence(currency: str) -> Table:
    """Pre-due reminder steps: one row per document and day."""
    return {
        "step_date": Column("Date", "date"),
        "step": Column("Step", "text"),
        "customer_id": Column("Customer", "text"),
        "name": Column("Name", "text"),
        "invoice_id": Column("Invoice", "text"),
        "invoice_date": Column("Invoice date", "date"),
        "due_date": Column("Due date", "date"),
        "term_days": Column("Term (days)", "count"),
        "open_amount": money("Open", currency),
        "step_no": None,
    }


def commitments(currency: str) -> Table:
    """Promises and plan instalments with their state."""
    return {
        "kind": Column("Kind", "text"),
        "record_id": Column("Id", "count"),
        "instalment_no": Column("Instalment", "count", "0 for a promise."),
        "customer_id": Column("Customer", "text"),
        "due_date": Column("Date", "date"),
        "amount": money("Amount", currency),
        "paid_amount": money("Paid toward it", currency),
        "state": Column("State", "text", "open, kept, partly kept or broken (after the tolerance days)."),
        "is_late": Column("Kept late", "flag", "Kept within the tolerance days after its date."),
        "met_date": Column("Kept on", "date"),
        "invoices": Column("Invoices", "text"),
        "who": Column("Recorded by", "text"),
        "is_orphaned": Column("Orphaned", "flag", "Its customer or an invoice is not in this ledger."),
        "invoice_ids": None,
    }  # fmt: skip


def notes() -> Table:
    return {
        "created_at": Column("Recorded (UTC)", "date", format="YYYY-MM-DD HH:mm"),
        "as_of": Column("As of", "date"),
        "customer_id": Column("Customer", "text"),
        "kind": Column("Kind", "text"),
        "outcome": Column("Outcome", "text"),
        "note_text": Column("Note", "text", width="large"),
        "invoice_id": Column("Invoice", "text"),
        "who": Column("By", "text"),
        "is_orphaned": Column("Orphaned", "flag", "Its customer is not in this ledger."),
        "note_id": None,
    }


def disputed_items(currency: str) -> Table:
    return {
        "invoice_id": Column("Invoice", "text"),
        "customer_id": Column("Customer", "text"),
        "name": Column("Name", "text"),
        "reason": Column("Reason", "text"),
        "status": Column("Status", "text"),
        "open_amount": money("Open", currency),
        "days_past_due": Column("Days past due", "count"),
        "bucket_label": Column("Bucket", "text"),
        "invoice_date": Column("Invoice date", "date"),
        "due_date": Column("Due date", "date"),
        "document_open_amount": Column("Open (document currency)", "amount"),
        "currency": Column("Currency", "text"),
        "note": Column("Note", "text"),
        "bucket": None,
    }


def disputed_by_bucket(currency: str) -> Table:
    return {
        "bucket_label": Column("Aging bucket (days past due)", "text"),
        "n_items": Column("Items", "count"),
        "open_amount": money("Open", currency),
    }


def disputed_by_reason(currency: str) -> Table:
    return {
        "reason": Column("Reason", "text"),
        "n_items": Column("Items", "count"),
        "open_amount": money("Open", currency),
    }


def dispute_records(currency: str) -> Table:
    return {
        "invoice_id": Column("Invoice", "text"),
        "customer_id": Column("Customer", "text"),
        "ledger_state": Column("In the ledger", "text"),
        "reason": Column("Reason", "text"),
        "status": Column("Status", "text"),
        "open_amount": money("Open", currency),
        "note": Column("Note", "text"),
        "who": Column("By", "text"),
        "updated_at": Column("Updated (UTC)", "date", format="YYYY-MM-DD HH:mm"),
        "created_at": None,
    }
