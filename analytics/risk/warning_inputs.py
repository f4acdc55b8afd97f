"""What the early-warning rules read (spec §12): one row per customer as of D.

The balance, exposure, utilisation, limits and disputed amount come from the portfolio
snapshot (spec §2, §6); the late items, settlements and sales periods from three fact
queries; shares of positive balances (spec §5) are computed here over every customer the
engine covers (the sidebar's filters choose which warnings are shown, not the portfolio a
share is of). Grades and broken promises come from other models and may be absent.

Windows end at D and are half-open on the left (spec §12): the last 30 days (D − 30, D] and
its three preceding periods; settlements in the last 90 days (D − 90, D] against the 12
months before them (D − 455, D − 90].
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.portfolio.snapshot import Options, customer_frame
from analytics.risk.warning_settings import DEFAULT_SETTINGS
from engines import facts
from engines.base import Engine

RECENT_DAYS = 90  # slower: settlements in the last 90 days ...
NORM_DAYS = 365  # ... against the 12 months before them, (D − 455, D − 90]
SALES_PERIOD_DAYS = 30  # purchase_spike: the last 30 days ...
SALES_PRIOR_PERIODS = 3  # ... against the average of the 3 periods before
GRADES = ("A", "B", "C", "D", "E")  # behavioural grades, best first (spec §10)
SNAPSHOT_COLUMNS = ["customer_key", "customer_id", "name", "segment", "region", "risk_rating",
                    "group_id", "credit_limit", "insured_limit", "balance_amount",
                    "exposure_amount", "utilisation", "headroom_amount",
                    "disputed_amount"]  # fmt: skip
PROMISE_COLUMNS = ["customer_id", "n_broken", "shortfall_amount"]


@dataclass(frozen=True)
class OtherInputs:
    """What other models supply for one as-of date D; None = not available, and the rule
    that needs it is reported as not available (never as 0 fired).

    grades / previous_grades: customer_key → behavioural grade (A-E) at D and at the month-end
    before D (both needed for ``downgrade``; a dict or a Series). broken_promises: one row per
    customer with a promise to pay or plan instalment passed unmet by D (spec §13), as
    analytics.risk.promises.broken_promises gives them: customer_id, n_broken,
    shortfall_amount (the unmet part, reporting currency).
    """

    grades: Mapping[int, str] | None = None
    previous_grades: Mapping[int, str] | None = None
    broken_promises: pd.DataFrame | None = None

    @property
    def has_grades(self) -> bool:
        return self.grades is not None and self.previous_grades is not None

    @property
    def has_promises(self) -> bool:
        return self.broken_promises is not None


NO_OTHER_INPUTS = OtherInputs()


def snapshot_customers(engine: Engine, as_of: date) -> pd.DataFrame:
    """The portfolio snapshot's customer rows at D (every customer, no filter): its
    `customer_frame` alone, without the portfolio's sales history the rules do not read."""
    options = Options(as_of=as_of)
    buckets = facts.open_by_customer_bucket(engine, **options.bucket_params())
    return customer_frame(engine, options, buckets, facts.customers(engine))


def customer_inputs(
    engine: Engine,
    as_of: date,
    late_days: int = DEFAULT_SETTINGS.late_days,
    customers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per customer (index customer_key) with every column the ledger gives the
    rules; the late item is the largest open item more than ``late_days`` past due (the one
    setting the queries take). ``customers``: the snapshot's customer rows at ``as_of`` when
    the caller has them."""
    if customers is None:
        customers = snapshot_customers(engine, as_of)
    frame = customers[SNAPSHOT_COLUMNS].set_index("customer_key")
    late = facts.warning_late_items(engine, as_of=as_of, min_days_past_due=late_days)
    frame = frame.join(late.set_index("customer_key"))
    frame = frame.join(settlement_days(engine, as_of)).join(sales_periods(engine, as_of))
    frame = balance_shares(frame)
    frame["n_late_items"] = frame["n_late_items"].fillna(0).astype(int)
    insured = frame["insured_limit"]
    frame["insured_ratio"] = frame["exposure_amount"] / insured.where(insured > 0)
    return frame


def with_other_inputs(inputs: pd.DataFrame, other: OtherInputs) -> pd.DataFrame:
    """The ledger's inputs with the other models' columns (grades, broken promises) joined
    when they are given."""
    if not (other.has_grades or other.has_promises):
        return inputs
    return inputs.join(grade_columns(inputs.index, other)).join(promise_columns(inputs, other))


def settlement_days(engine: Engine, as_of: date) -> pd.DataFrame:
    """Per customer: amount-weighted days late of settlements in the last 90 days and in the
    12 months before them (NaN without settlements), and the difference."""
    recent_start = as_of - timedelta(days=RECENT_DAYS)
    rows = facts.warning_settlements(
        engine, as_of=as_of, recent_start=recent_start,
        norm_start=recent_start - timedelta(days=NORM_DAYS),
    ).set_index("customer_key")  # fmt: skip
    out = pd.DataFrame(index=rows.index)
    for window in ("recent", "norm"):
        amount = rows[f"{window}_settled_amount"]
        out[f"{window}_late_days"] = rows[f"{window}_late_amount_days"] / amount.where(amount > 0)
    out["slower_by_days"] = out["recent_late_days"] - out["norm_late_days"]
    return out


def sales_periods(engine: Engine, as_of: date) -> pd.DataFrame:
    """Per customer: credit sales in the last 30 days, the average of the 3 periods before
    (a period without sales counts as 0) and their ratio (NaN when the average is not > 0)."""
    rows = facts.warning_sales_periods(
        engine, as_of=as_of, period_days=SALES_PERIOD_DAYS, n_periods=SALES_PRIOR_PERIODS + 1
    )
    wide = rows.pivot_table(index="customer_key", columns="period", values="sales_amount",
                            aggfunc="sum", fill_value=0.0)  # fmt: skip
    wide = wide.reindex(columns=range(SALES_PRIOR_PERIODS + 1), fill_value=0.0)
    out = pd.DataFrame(index=wide.index)
    out["last_30_sales_amount"] = wide[0]
    out["prior_30_sales_amount"] = wide[list(range(1, SALES_PRIOR_PERIODS + 1))].mean(axis=1)
    prior = out["prior_30_sales_amount"]
    out["spike_ratio"] = out["last_30_sales_amount"] / prior.where(prior > 0)
    return out


def balance_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Shares of the customer's balance (late item, disputed: NaN unless the balance is
    positive) and of positive balances (spec §5: the customer's and its group's). A copy."""
    frame = frame.copy()
    balance = frame["balance_amount"]
    owed = balance.where(balance > 0)
    frame["late_item_share"] = frame["late_item_amount"] / owed
    frame["disputed_share"] = frame["disputed_amount"] / owed
    positive = balance.clip(lower=0)
    total = positive.sum()
    frame["customer_share"] = (positive / total).where(balance > 0) if total > 0 else np.nan
    group_total = positive.groupby(frame["group_id"]).transform("sum")
    frame["group_share"] = (group_total / total).where(balance > 0) if total > 0 else np.nan
    return frame


def grade_columns(index: pd.Index, other: OtherInputs) -> pd.DataFrame:
    """grade, previous_grade and grade_change (+1 = one grade worse); NaN when absent."""
    out = pd.DataFrame(index=index)
    if not other.has_grades:
        return out
    out["grade"] = pd.Series(other.grades, dtype=object).reindex(index)
    out["previous_grade"] = pd.Series(other.previous_grades, dtype=object).reindex(index)
    rank = {g: i for i, g in enumerate(GRADES)}
    out["grade_change"] = out["grade"].map(rank) - out["previous_grade"].map(rank)
    return out


def promise_columns(frame: pd.DataFrame, other: OtherInputs) -> pd.DataFrame:
    """n_broken_promises (0 when none) and broken_promise_amount, when promises are given
    (rows matched to the customers by customer_id)."""
    out = pd.DataFrame(index=frame.index)
    if not other.has_promises:
        return out
    rows = other.broken_promises[PROMISE_COLUMNS].set_index("customer_id")
    ids = frame["customer_id"]
    out["n_broken_promises"] = rows["n_broken"].reindex(ids).fillna(0).astype(int).to_numpy()
    out["broken_promise_amount"] = rows["shortfall_amount"].reindex(ids).fillna(0.0).to_numpy()
    return out
