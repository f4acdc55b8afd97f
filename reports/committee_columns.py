"""Column labels, units and formats of the What changed tables (customers that changed, bucket
moves, movers, grades, warnings, promises broken, headline figures with restatements,
decisions), as plain data like reports/columns.py, whose `Column` and `money` they use.
``a`` and ``b`` are the two snapshots' dates as the page labels them; money labels name the
snapshots' currency."""

from __future__ import annotations

from reports.columns import Column, Table, money

CUSTOMER = {"customer_id": Column("Customer", "text"), "name": Column("Name", "text")}
CHANGE = "Later snapshot − earlier one"


def overdue_customers(a: str, b: str, currency: str) -> Table:
    """Newly overdue or cured customers."""
    return {
        **CUSTOMER,
        "overdue_amount_before": money(f"Overdue {a}", currency),
        "overdue_amount_after": money(f"Overdue {b}", currency),
        "balance_amount_after": money(f"Balance {b}", currency),
    }


def over_limit(a: str, b: str, currency: str) -> Table:
    """Customers that went over their limit, or came back under it."""
    usage = "Exposure (balance + open orders) ÷ credit limit"
    return {
        **CUSTOMER,
        "utilisation_before": Column(f"Utilisation {a}", "percent", usage),
        "utilisation_after": Column(f"Utilisation {b}", "percent", usage),
        "exposure_amount_before": money(f"Exposure {a}", currency),
        "exposure_amount_after": money(f"Exposure {b}", currency),
        "credit_limit_before": money(f"Limit {a}", currency),
        "credit_limit_after": money(f"Limit {b}", currency),
    }


def movers(column: str, a: str, b: str, currency: str) -> Table:
    """The largest changes of balance or overdue (``column``: "Balance" or "Overdue")."""
    key = "balance_amount" if column == "Balance" else "overdue_amount"
    return {
        **CUSTOMER,
        f"{key}_before": money(f"{column} {a}", currency),
        f"{key}_after": money(f"{column} {b}", currency),
        "change": Column(f"Change ({currency})", "money", CHANGE, format="%+,.0f"),
    }


def grade_changes(a: str, b: str, currency: str) -> Table:
    pd_help = "Behavioural probability of default"
    return {
        **CUSTOMER,
        "direction": Column("Direction", "text", "Down: a worse grade (towards E)"),
        "grade_before": Column(f"Grade {a}", "text"),
        "grade_after": Column(f"Grade {b}", "text"),
        "balance_amount_after": money(f"Balance {b}", currency),
        "pd_before": Column(f"PD {a}", "percent", pd_help),
        "pd_after": Column(f"PD {b}", "percent", pd_help),
    }


def warning_changes(b: str, currency: str) -> Table:
    return {
        **CUSTOMER,
        "label": Column("Warning", "text"),
        "balance_amount_after": money(f"Balance {b}", currency),
        "warning": None,
    }


def bucket_moves(to_labels: list[str], a: str) -> Table:
    """The moves table: one row per earlier bucket, one column per later bucket (money in the
    currency the caption names, so nine columns fit at 1280 px)."""
    spec: Table = {"from_bucket": Column(f"Open on {a}", "text")}
    for label in to_labels:
        spec[label] = Column(label, "money")
    return spec


def headline(a: str, b: str, currency: str) -> Table:
    """Every headline figure at both snapshots, and the later one recomputed today."""
    value = "%,.1f"
    return {
        "figure": Column("Figure", "text", width="medium"),
        "unit": Column(
            "Unit",
            "text",
            f"Money in {currency}; shares in %, their change in percentage points",
            width="small",
        ),  # fmt: skip
        "before": Column(a, "number", format=value),
        "after": Column(b, "number", format=value),
        "change": Column("Change", "number", CHANGE, format="%+,.1f"),
        "change_pct": Column("Change %", "percent", "Change ÷ |earlier value|"),
        "today": Column(
            "Recomputed now",
            "number",
            f"The figure as of {b} recomputed on the ledger open now",
            format=value,
        ),  # fmt: skip
        "is_restated": Column(
            "Restated",
            "flag",
            "Differs from what the later snapshot "
            "recorded: a posting dated on or before it arrived since",
        ),  # fmt: skip
        "key": None,
    }


def promises_broken(currency: str) -> Table:
    """Promises and plan instalments that became unmet between the two snapshots."""
    return {
        **CUSTOMER,
        "kind": Column("What", "text"),
        "record_id": Column("#", "count", "The promise's or plan's number"),
        "instalment_no": Column("Instalment", "count", "0 for a promise"),
        "due_date": Column("Due", "date"),
        "amount": money("Promised", currency),
        "paid_amount": money("Paid toward it", currency),
        "shortfall_amount": money("Not paid", currency),
        "state": Column("State", "text", "Broken: nothing paid toward it; partly kept: some"),
    }


def decisions(currency: str) -> Table:
    return {
        "decision_date": Column("Date", "date"),
        **CUSTOMER,
        "kind": Column("Decision", "text"),
        "old_limit": money("Limit before", currency),
        "new_limit": money("New limit", currency),
        "old_terms_days": Column("Terms before (days)", "count"),
        "new_terms_days": Column("New terms (days)", "count"),
        "reason": Column("Reason", "text", width="large"),
        "author": Column("Author", "text"),
        "recorded_at_utc": Column("Recorded (UTC)", "auto"),
        "decision_id": Column("#", "count"),
    }
