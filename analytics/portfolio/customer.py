"""One customer as of a date: its open items, disputes, payments, credits and payment habit.

The customer-level view of spec §2-§4. Everything that grows with the ledger (documents,
payments) is selected for one ``customer_key`` in DuckDB; Python only shapes the results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from analytics.metrics.aging import bucket_labels
from core.calendar import month_start
from core.constants import TREND_MONTHS
from engines import facts
from engines.base import Engine

TREND_COLUMNS = [
    "month_start",
    "n_settled",
    "settled_amount",
    "days_late",
    "days_to_pay",
]


@dataclass(frozen=True)
class Disputes:
    """Open disputed documents of a customer at D (spec §1 ``disputed``)."""

    n_items: int
    open_amount: float  # reporting currency, closing rate (spec §2)


def customers_by_balance(customers: pd.DataFrame) -> pd.DataFrame:
    """The customers of a snapshot, largest balance B_c(D) first (spec §2), ties by id.

    Parameters
    ----------
    customers : DataFrame
        ``Snapshot.customers`` (one row per customer, ``balance_amount`` and ``customer_id``).

    Returns
    -------
    DataFrame
        The same rows in that order, with a fresh 0..n-1 index.
    """
    ordered = customers.sort_values(
        ["balance_amount", "customer_id"], ascending=[False, True], kind="stable"
    )
    return ordered.reset_index(drop=True)


def customer_aging(customer: pd.Series, edges: Sequence[int]) -> dict[str, float]:
    """Open amount per aging bucket of one snapshot row (spec §3), every bucket, in order.

    Unapplied cash is in no bucket, so the buckets add up to the customer's open amount,
    not to its balance.
    """
    return {label: float(customer[label]) for label in bucket_labels(edges)}


def open_items(engine: Engine, as_of: date, customer_key: int) -> pd.DataFrame:
    """Documents of one customer open at ``as_of`` (spec §2), most overdue first.

    Columns: ``invoice_id, invoice_date, due_date, days_past_due`` (spec §3: D − due_date),
    ``amount, currency`` (the document), ``open_amount`` (document currency),
    ``open_amount_rc`` (reporting currency at D's closing rate; NaN when the rate is missing),
    ``is_disputed, is_credit_note, applies_to``.
    """
    return facts.customer_open_items(engine, as_of=as_of, customer_key=int(customer_key))


def disputes(items: pd.DataFrame) -> Disputes:
    """Count and open amount (reporting currency) of the disputed rows of ``open_items``."""
    disputed = items[items["is_disputed"].astype(bool)]
    return Disputes(len(disputed), float(disputed["open_amount_rc"].sum()))


def payment_history(engine: Engine, as_of: date, customer_key: int) -> pd.DataFrame:
    """Payments of one customer dated on or before ``as_of``, newest first.

    Columns: ``payment_id, payment_date, amount, currency``, ``amount_rc`` (reporting
    currency at the rate in force on the payment date) and ``applied_to`` (the invoice id,
    or ``"unapplied"`` for cash on account, spec §2).
    """
    return facts.customer_payments(engine, as_of=as_of, customer_key=int(customer_key))


def credit_notes(engine: Engine, as_of: date, customer_key: int) -> pd.DataFrame:
    """Credit notes of one customer dated on or before ``as_of``, newest first (spec §2).

    Columns: ``invoice_id, invoice_date, amount, currency, applies_to``, ``applied_date``
    (later of the two documents' dates, when on or before ``as_of``; else NaT) and the
    credit still open at ``as_of`` (``open_amount``, ``open_amount_rc``; 0 once consumed).
    """
    return facts.customer_credit_notes(engine, as_of=as_of, customer_key=int(customer_key))


def unapplied_cash(engine: Engine, as_of: date, customer_key: int) -> pd.DataFrame:
    """Unapplied payments of one customer at ``as_of`` (spec §2), newest first.

    ``amount_rc`` is at D's closing rate, so the column sums to the unapplied cash that the
    customer's balance subtracts.
    """
    return facts.customer_unapplied_cash(engine, as_of=as_of, customer_key=int(customer_key))


def trend_months(as_of: date, months: int = TREND_MONTHS) -> list[date]:
    """First days of the ``months`` calendar months up to ``as_of``'s month, oldest first."""
    starts = [month_start(as_of)]
    while len(starts) < months:
        starts.append(month_start(starts[-1] - timedelta(days=1)))
    return starts[::-1]


def weighted_days(monthly: pd.DataFrame, months: Sequence[date]) -> pd.DataFrame:
    """Amount-weighted average days late and days to pay per settlement month (spec §4).

    Parameters
    ----------
    monthly : DataFrame
        Per month with settlements: ``month_start, n_settled, settled_amount,
        weighted_days_late, weighted_days_to_pay`` (Σ weight × days).
    months : sequence of date
        The months to report, each a first day; months without settlements get
        ``n_settled`` 0 and NaN averages.

    Returns
    -------
    DataFrame
        ``TREND_COLUMNS``: days_late = Σ(w × days_late) / Σ w, days_to_pay likewise.
    """
    index = pd.DatetimeIndex(pd.to_datetime(list(months)), name="month_start")
    by_month = monthly.assign(month_start=pd.to_datetime(monthly["month_start"]))
    frame = by_month.set_index("month_start").reindex(index)
    weight = frame["settled_amount"].where(frame["settled_amount"] > 0)
    out = pd.DataFrame(
        {
            "n_settled": frame["n_settled"].fillna(0).astype(int),
            "settled_amount": frame["settled_amount"].fillna(0.0).astype(float),
            "days_late": (frame["weighted_days_late"] / weight).astype(float),
            "days_to_pay": (frame["weighted_days_to_pay"] / weight).astype(float),
        },
        index=index,
    )
    return out.reset_index()[TREND_COLUMNS]


def days_late_trend(
    engine: Engine, as_of: date, customer_key: int, months: int = TREND_MONTHS
) -> pd.DataFrame:
    """Per calendar month of the last ``months`` up to ``as_of``: invoices of one customer
    settled that month (settled on or before ``as_of``), their count and their
    amount-weighted average days late and days to pay (spec §4). See ``weighted_days``."""
    starts = trend_months(as_of, months)
    monthly = facts.customer_settlements_by_month(
        engine,
        customer_key=int(customer_key),
        start=starts[0],
        as_of=as_of,
    )
    return weighted_days(monthly, starts)


def settled_any(trend: pd.DataFrame) -> bool:
    """Whether any invoice was settled in the days-late trend's months."""
    return bool(trend["n_settled"].sum() > 0)
