"""The portfolio metrics broken down by customer, segment, region, rating, … (spec §2-§6).

Each group's figures use the same definitions as the portfolio's: its own AR, its own sales
(so a segment's DSO is that segment's DSO), its own countback months and CEI.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd

from analytics.metrics import concentration
from analytics.metrics.metric_set import countback_days, metric_set
from analytics.portfolio.snapshot import Snapshot
from core.calendar import countback_periods, month_start, previous_month_end
from core.constants import COUNTBACK_MAX_PERIODS
from engines import facts
from engines.base import Engine

DIMENSIONS = {
    "customer": "customer_id",
    "segment": "segment",
    "region": "region",
    "country": "country",
    "industry": "industry",
    "risk_rating": "risk_rating",
    "group_id": "group_id",
}
# the metric set's measures (analytics/metrics/metric_set.py) from a group's summed columns
MEASURE_SOURCES = {
    "current_amount": "ar_current",
    "overdue_amount": "ar_overdue",
    "unapplied_amount": "ar_unapplied",
    "balance_amount": "ar_total",
    "sales_amount": "sales_window",
    "ar_prev": "ar_opening",
    "sales_month": "sales_period",
}
MONEY = ["balance_amount", "current_amount", "overdue_amount", "unapplied_amount", "disputed_amount",
         "sales_amount", "exposure_amount", "insured_amount", "uninsured_amount"]  # fmt: skip


def breakdown(engine: Engine, snap: Snapshot, by: str) -> pd.DataFrame:
    """One row per value of ``by`` (a key of DIMENSIONS): balances, aging, DSO, ADD, countback,
    CEI, limits, largest-customer share and HHI within the group; largest AR first."""
    if by not in DIMENSIONS:
        raise ValueError(f"breakdown by must be one of {', '.join(DIMENSIONS)}, got {by!r}")
    c = _with_cei_inputs(engine, snap)
    key = DIMENSIONS[by]
    grouped = c.groupby(key, sort=False)
    out = grouped[[*MONEY, *snap.bucket_columns, "ar_prev", "sales_month"]].sum()
    out["n_customers"] = grouped.size()
    out["customers_over_limit"] = grouped["is_over_limit"].sum()
    limited = (
        c.assign(
            limited_exposure=c["exposure_amount"].where(c["has_limit"], 0.0),
            limit_amount=c["credit_limit"].where(c["has_limit"], 0.0),
        )
        .groupby(key, sort=False)[["limited_exposure", "limit_amount"]]
        .sum()
    )
    out = out.join(limited)
    # spec §6 portfolio utilisation within the group: limited exposure / their limits
    out["utilisation"] = out["limited_exposure"] / out["limit_amount"].where(
        out["limit_amount"] > 0
    )
    out["top_customer_share"] = grouped["balance_amount"].apply(
        lambda b: concentration.top_n_share(b, 1)
    )
    out["hhi"] = grouped["balance_amount"].apply(concentration.hhi)
    countback = _countback_by(engine, snap, by, out["balance_amount"])
    out = out.join(countback)
    return _ratios(out, snap).sort_values("balance_amount", ascending=False).reset_index()


def _with_cei_inputs(engine: Engine, snap: Snapshot) -> pd.DataFrame:
    """The snapshot's customers plus AR at the previous month-end and sales since then."""
    as_of = snap.options.as_of
    a = previous_month_end(as_of)
    prev = facts.ar_by_customer_at_month_end(engine, month_end=a).set_index("customer_key")[
        "ar_amount"
    ]
    sales = facts.sales_by_customer(engine, start=a, as_of=as_of).set_index("customer_key")[
        "sales_amount"
    ]
    c = snap.customers.set_index("customer_key")
    c["ar_prev"] = prev.reindex(c.index, fill_value=0.0)
    c["sales_month"] = sales.reindex(c.index, fill_value=0.0)
    return c.reset_index()


def _countback_by(engine: Engine, snap: Snapshot, by: str, ar: pd.Series) -> pd.Series:
    """Countback DSO per group from its own monthly sales (36 months back from D)."""
    as_of = snap.options.as_of
    periods = countback_periods(as_of, COUNTBACK_MAX_PERIODS)
    start = month_start(periods[-1][0]) - timedelta(days=1)
    monthly = facts.monthly_sales_by_dimension(engine, start=start, as_of=as_of, dimension=by)
    sales = monthly.pivot_table(
        index="dimension_value", columns="month", values="sales_amount", aggfunc="sum"
    )
    months = [pd.Timestamp(first) for first, _ in periods]
    days = [(last - first).days + 1 for first, last in periods]
    inputs = [
        list(zip(sales.loc[group].reindex(months, fill_value=0.0).fillna(0.0), days, strict=True))
        if group in sales.index
        else []
        for group in ar.index
    ]
    countback, _bound = countback_days(ar, inputs)
    return pd.Series(countback, index=ar.index, name="dso_countback", dtype=float)


def _ratios(out: pd.DataFrame, snap: Snapshot) -> pd.DataFrame:
    """The metric set per group, on the group's own measures."""
    measures = out.rename(columns=MEASURE_SOURCES)[list(MEASURE_SOURCES.values())]
    metrics = metric_set(measures, snap.options.window_days)
    return pd.concat([out, metrics], axis=1).drop(columns=["ar_prev", "sales_month"])
