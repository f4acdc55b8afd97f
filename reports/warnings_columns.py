"""Column labels of the Watchlist (early warnings) tables, as reports/columns.py does for the
other pages: one row per customer × warning, and the per-rule counts. On screen the reason
comes right after the balance and the first-seen date, so that at 1280 px it is read without
scrolling (the customer id, hidden, stays in the downloads)."""

from __future__ import annotations

from reports.columns import Column, Table, money


def watchlist(currency: str) -> Table:
    return {
        "customer_id": None,  # on screen the name; in the downloads both
        "name": Column("Customer", "text"),
        "warning": Column("Warning", "text"),
        "balance_amount": money("Balance", currency),
        "first_seen_date": Column("First seen", "date", "The earliest month-end from which the warning fired at every month-end up to the as-of date (the as-of date itself when it fired there only)."),
        "reason": Column("Why", "text", "The figures that fired it.", width="large"),
        "is_first_seen_bound": Column("12+ months", "flag", "It fired at each of the 12 month-ends looked back at: it may have started earlier."),
        "value": Column("Value", "text"),
        "threshold": Column("Threshold", "text", "The threshold in force: it fires on the strict side only."),
        "segment": Column("Segment", "text"),
        "risk_rating": Column("Rating", "text"),
        "rule": None,
    }  # fmt: skip


def warning_rules() -> Table:
    return {
        "warning": Column("Warning", "text"),
        "customers": Column("Customers", "count", "Customers it fires for in this selection; empty when not available."),
        "condition": Column("Fires when", "text", width="large"),
        "note": Column("Not available", "text"),
        "rule": Column("Name in the JSON output", "text"),
    }  # fmt: skip
