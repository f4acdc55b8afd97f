"""Credit limits (spec §11): the recommended limit of every trading customer with its
arithmetic, staged granting for young customers, and the limit review queue.

    recommendation = average monthly credit sales over the last 6 months
                     × (payment terms days + 30) / 30 × grade multiplier
    rounded up to a round step (two significant figures), never below the insured limit when
    the grade is A–C; a customer still in its staged period gets 50 % of it.

The grade is the behavioural grade (spec §10) when one is given, else the ledger's assigned
risk rating when it is a grade A–E (docs/risk.md says why); without either, no
recommendation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from core.errors import LedgerError
from core.filters import ALL_CUSTOMERS, CustomerFilter
from engines import facts
from engines.base import Engine

GRADE_MULTIPLIERS = {"A": 1.5, "B": 1.25, "C": 1.0, "D": 0.6, "E": 0.0}
INSURED_FLOOR_GRADES = ("A", "B", "C")
SALES_MONTHS = 6
TERMS_BUFFER_DAYS = 30  # (terms + 30) / 30: the terms plus a month of orders in the pipeline
DEFAULT_TERMS_DAYS = 30  # a customer without payment terms
BEHAVIOURAL, ASSIGNED = "behavioural", "assigned rating"


@dataclass(frozen=True)
class LimitSettings:
    """The §11 defaults, each a setting (shown beside the figures it produced)."""

    staged_share: float = 0.5  # of the recommendation, until the step-up
    staged_months: int = 6  # history (and clean months) before the step-up
    late_days: int = 15  # paid more than this late breaks a clean run
    gap_share: float = 0.25  # review when |limit − recommendation| > this × recommendation
    review_months: int = 12  # review when the limit was set longer ago than this

    def __post_init__(self) -> None:
        checks = {
            "staged share": 0 < self.staged_share <= 1,
            "staged months": self.staged_months >= 1,
            "late days": self.late_days >= 0,
            "recommendation gap": 0 <= self.gap_share <= 10,
            "review months": self.review_months >= 1,
        }
        for field, ok in checks.items():
            if not ok:
                raise LedgerError(f"limit settings: {field} is out of range")


def round_up_step(amount: float) -> float:
    """Round up to two significant figures (the "round step" of spec §11).

    >>> round_up_step(123_456), round_up_step(9_120), round_up_step(100_000), round_up_step(0)
    (130000.0, 9200.0, 100000.0, 0.0)
    """
    if not amount > 0:
        return 0.0
    step = 10 ** (math.floor(math.log10(amount)) - 1)
    return float(math.ceil(round(amount / step, 9)) * step)


def months_between(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (a day short of a month is not one).

    >>> months_between(date(2026, 1, 31), date(2026, 7, 30)), months_between(date(2026, 1, 31), date(2026, 7, 31))
    (5, 6)
    """
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def add_months(day: date, months: int) -> date:
    """``day`` + ``months`` calendar months, kept within the month (31 Jan + 1 = 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = (date(year + (month == 11), (month + 1) % 12 + 1, 1) - date.resolution).day
    return date(year, month + 1, min(day.day, last))


def grade_of(customers: pd.DataFrame, grades: Mapping[int, str] | None) -> pd.DataFrame:
    """Each customer's grade for the multiplier and where it came from: the behavioural grade
    when given, else the assigned rating when it is A–E, else none."""
    behavioural = customers["customer_key"].map(grades or {}).astype(object)
    assigned = customers["risk_rating"].where(
        customers["risk_rating"].isin(list(GRADE_MULTIPLIERS))
    )
    grade = behavioural.fillna(assigned)
    source = np.where(behavioural.notna(), BEHAVIOURAL, np.where(assigned.notna(), ASSIGNED, None))
    return pd.DataFrame({"grade": grade, "grade_source": source}, index=customers.index)


def recommended_limits(
    engine: Engine,
    as_of: date,
    grades: Mapping[int, str] | None = None,
    settings: LimitSettings = LimitSettings(),  # noqa: B008 (frozen)
    customer_filter: CustomerFilter = ALL_CUSTOMERS,
) -> pd.DataFrame:
    """One row per customer with an invoice by ``as_of``: the recommendation's arithmetic
    (average monthly sales, terms, grade and multiplier, before rounding, rounded, insured
    floor, staged share) and the recommended limit beside the current one."""
    dims = facts.customers(engine)
    keys = customer_filter.customer_keys(dims)
    if keys is not None:
        dims = dims[dims["customer_key"].isin(keys)]
    history = facts.limit_history(
        engine, as_of=as_of, late_days=settings.late_days, months=settings.staged_months
    )
    start = add_months(as_of, -SALES_MONTHS)
    sales = facts.sales_by_customer(engine, start=start, as_of=as_of)
    frame = dims.merge(history, on="customer_key").merge(sales, on="customer_key", how="left")
    return _arithmetic(frame, as_of, grades, settings)


def _arithmetic(
    frame: pd.DataFrame, as_of: date, grades: Mapping[int, str] | None, settings: LimitSettings
) -> pd.DataFrame:
    out = frame.copy()
    out["monthly_sales_amount"] = out["sales_amount"].fillna(0.0).clip(lower=0.0) / SALES_MONTHS
    out["terms_days"] = out["payment_terms_days"].fillna(DEFAULT_TERMS_DAYS).astype(int)
    out[["grade", "grade_source"]] = grade_of(out, grades)
    out["multiplier"] = out["grade"].map(GRADE_MULTIPLIERS)
    out["raw_amount"] = (
        out["monthly_sales_amount"] * (out["terms_days"] + TERMS_BUFFER_DAYS) / TERMS_BUFFER_DAYS
        * out["multiplier"]
    )  # fmt: skip
    out["rounded_amount"] = out["raw_amount"].map(
        lambda v: round_up_step(v) if pd.notna(v) else np.nan
    )
    floor = out["insured_limit"].where(out["grade"].isin(INSURED_FLOOR_GRADES)).fillna(0.0)
    out["insured_floor_applied"] = out["rounded_amount"] < floor
    out["full_amount"] = np.maximum(out["rounded_amount"], floor).where(out["grade"].notna())
    out["is_staged"] = out["step_up_date"].isna()
    out["staged_share"] = np.where(out["is_staged"], settings.staged_share, 1.0)
    out["recommended_limit"] = (out["full_amount"] * out["staged_share"]).map(
        lambda v: round_up_step(v) if pd.notna(v) else np.nan
    )
    out["history_months"] = [
        months_between(d, as_of) for d in pd.to_datetime(out["first_invoice_date"]).dt.date
    ]
    return out.drop(columns=["sales_amount"]).reset_index(drop=True)


REASON_GAP, REASON_STALE, REASON_OVER = (
    "limit far from recommendation",
    "review overdue",
    "over limit",
)
REASONS = (REASON_GAP, REASON_STALE, REASON_OVER)


def review_queue(
    limits: pd.DataFrame,
    customers: pd.DataFrame,
    as_of: date,
    settings: LimitSettings = LimitSettings(),  # noqa: B008 (frozen)
) -> pd.DataFrame:
    """Customers to review (spec §11): limit differs from the recommendation by more than
    ``gap_share`` of it, or the limit was set or reviewed more than ``review_months`` ago (or
    never), or over limit. One row per customer with its reasons, largest exposure first."""
    table = review_table(limits, customers, as_of, settings)
    return table[table["reasons"] != ""].reset_index(drop=True)


def review_table(
    limits: pd.DataFrame,
    customers: pd.DataFrame,
    as_of: date,
    settings: LimitSettings = LimitSettings(),  # noqa: B008 (frozen)
    decided: Mapping[str, date] | None = None,
) -> pd.DataFrame:
    """Every customer of ``limits`` (from `recommended_limits`) with its exposure and
    utilisation (``customers``: a snapshot's customer frame at the same date), the gap to the
    recommendation, months since the limit was set, and the review reasons ("" for none),
    largest exposure first. ``decided``: customer_id → the committee's last limit decision on
    or before ``as_of``; a later decision than the ledger's ``credit_limit_date`` resets the
    review date (spec §11: "or last recorded limit decision")."""
    snap = customers[["customer_key", "exposure_amount", "utilisation", "is_over_limit"]]
    frame = limits.merge(snap, on="customer_key", how="left")
    frame["credit_limit_date"] = last_review_date(frame, decided or {})
    frame["gap_share"] = _gap(frame["credit_limit"], frame["recommended_limit"])
    frame["months_since_review"] = [
        months_between(d, as_of) if pd.notna(d) else np.nan
        for d in pd.to_datetime(frame["credit_limit_date"]).dt.date
    ]
    has_limit = frame["credit_limit"].fillna(0) > 0
    reasons = pd.DataFrame(
        {
            REASON_GAP: frame["gap_share"].abs() > settings.gap_share,
            REASON_STALE: has_limit
            & ~(frame["months_since_review"] <= settings.review_months).fillna(False),
            REASON_OVER: frame["is_over_limit"].fillna(False).astype(bool),
        }
    )
    frame["reasons"] = reasons.apply(lambda r: ", ".join(n for n, hit in r.items() if hit), axis=1)
    return frame.sort_values(["exposure_amount", "customer_id"], ascending=[False, True],
                             ignore_index=True)  # fmt: skip


def last_review_date(frame: pd.DataFrame, decided: Mapping[str, date]) -> pd.Series:
    """The later of the ledger's ``credit_limit_date`` and the last recorded limit decision.

    >>> f = pd.DataFrame({"customer_id": ["C1", "C2"],
    ...                   "credit_limit_date": [pd.Timestamp(2025, 1, 31), pd.NaT]})
    >>> last_review_date(f, {"C1": date(2024, 6, 30), "C2": date(2026, 3, 31)}).dt.date.tolist()
    [datetime.date(2025, 1, 31), datetime.date(2026, 3, 31)]
    """
    ledger = pd.to_datetime(frame["credit_limit_date"])
    recorded = pd.to_datetime(frame["customer_id"].map(decided))
    return pd.concat([ledger, recorded], axis=1).max(axis=1)


def limited_totals(table: pd.DataFrame) -> tuple[float, float]:
    """Σ current limits and Σ recommendations over the customers that have a limit (> 0)."""
    limited = table[table["credit_limit"].fillna(0) > 0]
    return float(limited["credit_limit"].sum()), float(limited["recommended_limit"].sum())


def _gap(limit: pd.Series, recommended: pd.Series) -> pd.Series:
    """(limit − recommendation) ÷ recommendation; a limit against a 0 recommendation is an
    infinite gap, no limit and none recommended no gap, an unknown recommendation NaN.

    >>> _gap(pd.Series([130.0, 100.0, 50.0, 0.0]), pd.Series([100.0, 100.0, 0.0, 0.0])).tolist()
    [0.3, 0.0, inf, 0.0]
    """
    limit = limit.fillna(0.0)
    gap = (limit - recommended) / recommended.where(recommended > 0)
    zero = recommended == 0
    return gap.mask(zero & (limit > 0), np.inf).mask(zero & (limit <= 0), 0.0)
