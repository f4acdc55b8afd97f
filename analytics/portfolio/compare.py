"""Two as-of dates side by side: headline figures, aging by bucket, largest customers.

Nothing is defined again here. Every figure at each date is the one of
:func:`analytics.portfolio.report.portfolio_metrics` (spec §2-§6) or a column of the snapshot's
customer frame (:mod:`analytics.portfolio.snapshot`); this module only lines the two dates up
and takes the difference. Date A is the earlier ("compare"), date B the later ("with"):
change = B − A, and change % = (B − A) ÷ |A| (NaN when A is 0 or either value is undefined,
so a change from nothing never reads as an infinite rise).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analytics.portfolio.report import PortfolioMetrics, portfolio_metrics
from analytics.portfolio.snapshot import Snapshot
from core.constants import DEFAULT_TOP_N
from core.errors import LedgerError

# Overview's headline figures, in its order: (PortfolioMetrics attribute, label, unit).
# The labels are the Overview cards' own, so a card finds its figure by label.
HEADLINE_FIGURES = (
    ("ar_total", "Total AR", "money"),
    ("ar_overdue", "Overdue", "money"),
    ("overdue_share", "Overdue share", "share"),
    ("dso_countback", "DSO (countback)", "days"),
    ("customers_over_limit", "Over limit", "count"),
    ("top_n_share", "Top-10 share", "share"),
)
HEADLINE_COLUMNS = ["figure", "unit", "a_value", "b_value", "change", "change_pct"]
AGING_COLUMNS = ["bucket", "a_amount", "b_amount", "change_amount", "change_pct"]
CUSTOMER_COLUMNS = [
    "customer_id", "name", "a_balance_amount", "b_balance_amount", "change_amount",
    "change_pct", "a_overdue_amount", "b_overdue_amount", "a_rank", "b_rank",
]  # fmt: skip


@dataclass(frozen=True)
class Comparison:
    """The three frames of a comparison of date A (earlier) with date B."""

    a_date: date
    b_date: date
    headline: pd.DataFrame  # HEADLINE_COLUMNS, one row per HEADLINE_FIGURES entry
    aging: pd.DataFrame  # AGING_COLUMNS, one row per bucket
    customers: pd.DataFrame  # CUSTOMER_COLUMNS, the largest balances at B and at A


def change_of(a, b):
    """B − A, element-wise; NaN where either is undefined (None or NaN).

    >>> change_of(100.0, 130.0)
    30.0
    >>> import math; math.isnan(change_of(None, 5.0))
    True
    """
    out = _numbers(b) - _numbers(a)
    return float(out) if np.ndim(out) == 0 else out


def change_pct_of(a, b):
    """(B − A) ÷ |A|, element-wise: NaN where A is 0 or either value is undefined. Dividing
    by |A| keeps the sign of the change when A is negative (a credit balance).

    >>> change_pct_of(200.0, 250.0)
    0.25
    >>> change_pct_of(-200.0, -100.0)  # a credit that shrank: up by half
    0.5
    >>> import math; math.isnan(change_pct_of(0.0, 50.0))
    True
    """
    a_values, b_values = _numbers(a), _numbers(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(a_values == 0, np.nan, (b_values - a_values) / np.abs(a_values))
    return float(out) if np.ndim(out) == 0 else out


def _numbers(values) -> np.ndarray:
    """Floats, None as NaN (a scalar gives a 0-d array)."""
    return np.asarray(values, dtype=float)


def headline_comparison(a: PortfolioMetrics, b: PortfolioMetrics) -> pd.DataFrame:
    """One row per HEADLINE_FIGURES entry: ``figure`` (label), ``unit`` (money | share |
    days | count), ``a_value``, ``b_value`` (NaN where undefined, e.g. countback DSO with no
    sales), ``change`` (B − A) and ``change_pct`` (:func:`change_pct_of`). Money in the
    reporting currency; each figure keeps its own definition (``portfolio_metrics``)."""
    rows = [
        (label, unit, getattr(a, field), getattr(b, field))
        for field, label, unit in HEADLINE_FIGURES
    ]
    frame = pd.DataFrame(rows, columns=HEADLINE_COLUMNS[:4])
    frame[["a_value", "b_value"]] = frame[["a_value", "b_value"]].astype(float)
    frame["change"] = change_of(frame["a_value"], frame["b_value"])
    frame["change_pct"] = change_pct_of(frame["a_value"], frame["b_value"])
    return frame


def aging_comparison(a: PortfolioMetrics, b: PortfolioMetrics) -> pd.DataFrame:
    """Open amount per bucket (disputed included, unapplied cash never aged; spec §3) at A and
    at B, in the buckets' order, with the change and change %. Both dates must use the same
    bucket edges: the buckets are then the same labels."""
    if list(a.aging) != list(b.aging):
        raise LedgerError(
            f"the two dates are aged into different buckets ({', '.join(a.aging)} and "
            f"{', '.join(b.aging)}): compare them with the same bucket edges"
        )
    frame = pd.DataFrame(
        {"bucket": list(a.aging), "a_amount": list(a.aging.values()),
         "b_amount": list(b.aging.values())}
    )  # fmt: skip
    frame["change_amount"] = change_of(frame["a_amount"], frame["b_amount"])
    frame["change_pct"] = change_pct_of(frame["a_amount"], frame["b_amount"])
    return frame


def balance_ranks(customers: pd.DataFrame) -> pd.Series:
    """Rank of each customer by balance, 1 = largest, ties by customer id; only positive
    balances are ranked (as in concentration, spec §5), the others are <NA>. Indexed by
    ``customer_key``; ``customers`` is a snapshot's customer frame."""
    positive = customers[customers["balance_amount"] > 0]
    order = positive.sort_values(["balance_amount", "customer_id"], ascending=[False, True])
    ranks = pd.Series(np.arange(1, len(order) + 1), index=order["customer_key"])
    return ranks.reindex(customers["customer_key"]).astype("Int64")


def top_customer_comparison(a: Snapshot, b: Snapshot, n: int = DEFAULT_TOP_N) -> pd.DataFrame:
    """The ``n`` largest balances at B and the ``n`` largest at A (a customer that dropped out
    of the top stays visible), each with its rank, balance (open items − unapplied cash, spec
    §2) and overdue amount (dpd ≥ 1, spec §3) at both dates, the balance's change and change
    %. Largest balance at B first, then largest at A. Customers of either snapshot count; one
    missing at a date has 0 there."""
    if n < 1:
        raise LedgerError(f"the number of customers to compare must be at least 1, got {n}")
    wanted = ["customer_key", "customer_id", "name", "balance_amount", "overdue_amount"]
    at_a = _ranked(a.customers[wanted], "a_")
    at_b = _ranked(b.customers[wanted], "b_")
    frame = at_b.merge(at_a, on=["customer_key", "customer_id", "name"], how="outer")
    money = ["a_balance_amount", "b_balance_amount", "a_overdue_amount", "b_overdue_amount"]
    frame[money] = frame[money].fillna(0.0)
    frame = frame[(frame["a_rank"] <= n).fillna(False) | (frame["b_rank"] <= n).fillna(False)]
    frame["change_amount"] = change_of(frame["a_balance_amount"], frame["b_balance_amount"])
    frame["change_pct"] = change_pct_of(frame["a_balance_amount"], frame["b_balance_amount"])
    frame = frame.sort_values(["b_balance_amount", "a_balance_amount", "customer_id"],
                              ascending=[False, False, True])  # fmt: skip
    return frame[CUSTOMER_COLUMNS].reset_index(drop=True)


def _ranked(customers: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """The customer columns with their balance rank, money columns prefixed by the date."""
    out = customers.assign(rank=balance_ranks(customers).array)  # Int64: <NA>, not NaN
    names = {c: prefix + c for c in ("rank", "balance_amount", "overdue_amount")}
    return out.rename(columns=names)


def comparison(a: Snapshot, b: Snapshot, n: int = DEFAULT_TOP_N) -> Comparison:
    """Date A's snapshot against date B's (same customers, edges and window): the headline
    figures, the aging and the ``n`` largest customers (:func:`top_customer_comparison`)."""
    metrics_a, metrics_b = portfolio_metrics(a), portfolio_metrics(b)
    return Comparison(
        a_date=a.options.as_of,
        b_date=b.options.as_of,
        headline=headline_comparison(metrics_a, metrics_b),
        aging=aging_comparison(metrics_a, metrics_b),
        customers=top_customer_comparison(a, b, n),
    )
