"""Collections: how fast and how late customers paid the invoices they settled (spec §4)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import pandas as pd

from engines import facts
from engines.base import Engine

SETTLED_PERIOD_MONTHS = (3, 6, 12)
BEHAVIOUR_COLUMNS = [
    "customer_id",
    "name",
    "risk_rating",
    "days_late",
    "days_to_pay",
    "late_share",
    "n_settled",
    "settled_amount",
    "payment_terms_days",
    "n_late",
]


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, clamped to that month's length;
    a month-end maps to a month-end (31 Oct → 31 Jul, 30 Sep → 30 Jun, 29 Feb → 30 Nov)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    is_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if is_month_end else min(day.day, last))


def settled_by_customer(
    engine: Engine,
    as_of: date,
    months: int,
    customer_keys: list[int] | None = None,
) -> pd.DataFrame:
    """Weighted sums per customer over the positive invoices settled in (D − months, D]
    (``analytics/sql/collections_settled_by_customer.sql``)."""
    start = months_before(as_of, months)
    return facts.collections_settled_by_customer(
        engine,
        start=start,
        as_of=as_of,
        customer_keys=customer_keys,
    )


def _weighted(amount_days: pd.Series | float, amount: pd.Series | float):
    """Σ amount × days / Σ amount; NaN where nothing was settled."""
    if isinstance(amount, pd.Series):
        return amount_days / amount.where(amount > 0)
    return amount_days / amount if amount > 0 else float("nan")


def payment_behaviour(settled: pd.DataFrame) -> pd.DataFrame:
    """Per customer: amount-weighted days to pay and days late (spec §4: averages weighted by
    invoice amount), invoices settled, invoices paid late and the share of the settled amount
    that was paid late; latest payers (most days late) first."""
    out = settled.assign(
        days_to_pay=_weighted(settled["amount_days_to_pay"], settled["settled_amount"]),
        days_late=_weighted(settled["amount_days_late"], settled["settled_amount"]),
        late_share=_weighted(settled["late_amount"], settled["settled_amount"]),
    )
    out = out.sort_values(["days_late", "settled_amount"], ascending=[False, False])
    return out[BEHAVIOUR_COLUMNS].reset_index(drop=True)


@dataclass(frozen=True)
class PortfolioBehaviour:
    """The same figures over every settled invoice of the selection."""

    n_settled: int
    n_late: int
    settled_amount: float
    days_to_pay: float
    days_late: float
    late_share: float


def portfolio_behaviour(settled: pd.DataFrame) -> PortfolioBehaviour:
    """Amount-weighted days to pay and days late over all customers' settled invoices
    (Σ over customers of amount × days / Σ amount; NaN when nothing was settled)."""
    total = float(settled["settled_amount"].sum())
    return PortfolioBehaviour(
        n_settled=int(settled["n_settled"].sum()),
        n_late=int(settled["n_late"].sum()),
        settled_amount=total,
        days_to_pay=_weighted(float(settled["amount_days_to_pay"].sum()), total),
        days_late=_weighted(float(settled["amount_days_late"].sum()), total),
        late_share=_weighted(float(settled["late_amount"].sum()), total),
    )
