"""Portfolio metrics as of a date: the one assembly the CLI JSON and the pages share (spec §7)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from analytics.metrics import concentration, dso, limits
from analytics.metrics.aging import aging_buckets, overdue_share_of
from analytics.metrics.dso import none_if_nan
from analytics.metrics.metric_set import metric_set
from analytics.portfolio.snapshot import Snapshot
from core.calendar import previous_month_end
from core.constants import COUNTBACK_MAX_PERIODS, DEFAULT_TOP_N
from core.errors import LedgerError
from engines import facts
from engines.base import Engine


@dataclass(frozen=True)
class PortfolioMetrics:
    """Every headline figure as of one date, in the reporting currency."""

    ar_total: float
    ar_current: float
    ar_overdue: float
    ar_unapplied: float
    aging: dict[str, float]
    dso_standard: float | None
    dso_countback: float | None
    countback_is_lower_bound: bool
    dso_best_possible: float | None
    add: float | None
    cei: float | None
    top_n: int
    top_n_share: float | None
    hhi: float | None
    group_top_n_share: float | None
    group_hhi: float | None
    customers_with_balance: int
    customers_over_limit: int
    utilisation: float | None
    limited_exposure: float
    total_limit: float
    total_exposure: float
    sales_window: float

    @property
    def overdue_share(self) -> float | None:
        return none_if_nan(overdue_share_of(self.ar_overdue, self.ar_current + self.ar_overdue))


def portfolio_measures(snap: Snapshot) -> pd.DataFrame:
    """The metric set's measures for the whole portfolio of a snapshot: one row."""
    c, opt = snap.customers, snap.options
    return pd.DataFrame(
        [
            {
                "ar_current": float(c["current_amount"].sum()),
                "ar_overdue": float(c["overdue_amount"].sum()),
                "ar_unapplied": float(c["unapplied_amount"].sum()),
                "ar_total": float(c["balance_amount"].sum()),
                "sales_window": snap.daily_sales.window(opt.as_of, opt.window_days),
                "ar_opening": snap.previous_month_end_ar,
                "sales_period": snap.daily_sales.between(previous_month_end(opt.as_of), opt.as_of),
            }
        ]
    )


def portfolio_metrics(snap: Snapshot, top_n: int = DEFAULT_TOP_N) -> PortfolioMetrics:
    """Spec §2-§6 for the whole portfolio of a snapshot."""
    if top_n < 1:
        raise LedgerError(f"--top-n must be at least 1, got {top_n}")
    c, opt = snap.customers, snap.options
    frame = portfolio_measures(snap)
    measures, metrics = frame.iloc[0], metric_set(frame, opt.window_days).iloc[0]
    countback = dso.countback_dso(
        measures["ar_total"], snap.daily_sales.countback_inputs(opt.as_of, COUNTBACK_MAX_PERIODS)
    )
    limited = c["has_limit"]
    groups = concentration.group_balances(c["balance_amount"], c["group_id"])
    return PortfolioMetrics(
        ar_total=float(measures["ar_total"]),
        ar_current=float(measures["ar_current"]),
        ar_overdue=float(measures["ar_overdue"]),
        ar_unapplied=float(measures["ar_unapplied"]),
        aging={k: float(c[k].sum()) for k in aging_buckets({}, opt.edges)},
        dso_standard=none_if_nan(metrics["dso_standard"]),
        dso_countback=countback.days,
        countback_is_lower_bound=countback.is_lower_bound,
        dso_best_possible=none_if_nan(metrics["dso_best_possible"]),
        add=none_if_nan(metrics["add"]),
        cei=none_if_nan(metrics["cei"]),
        top_n=top_n,
        top_n_share=concentration.top_n_share(c["balance_amount"], top_n),
        hhi=concentration.hhi(c["balance_amount"]),
        group_top_n_share=concentration.top_n_share(groups, top_n),
        group_hhi=concentration.hhi(groups),
        customers_with_balance=int((c["balance_amount"] > 0).sum()),
        customers_over_limit=int(c["is_over_limit"].sum()),
        utilisation=limits.portfolio_utilisation(c["exposure_amount"], c["credit_limit"]),
        limited_exposure=float(c.loc[limited, "exposure_amount"].sum()),
        total_limit=float(c.loc[limited, "credit_limit"].sum()),
        total_exposure=float(c["exposure_amount"].sum()),
        sales_window=float(measures["sales_window"]),
    )


def translation_rate(engine: Engine, as_of: date, currency: str, reporting: str) -> float:
    """Factor that translates reporting-currency money into ``currency`` at D's closing rate."""
    if currency == reporting:
        return 1.0
    rows = facts.closing_rate(engine, as_of=as_of, currency=currency)
    if rows.empty or not rows["rate"].iloc[0] or rows["rate"].iloc[0] <= 0:
        raise LedgerError(
            f"--currency {currency}: no fx rate for {currency} on or before {as_of} "
            f"(the ledger reports in {reporting}; add {currency} to fx_rates)"
        )
    return 1.0 / float(rows["rate"].iloc[0])


def _num(value: float | None, factor: float = 1.0) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value * factor, 6)


def metrics_json(
    m: PortfolioMetrics, snap: Snapshot, currency: str, rate: float = 1.0
) -> dict[str, Any]:
    """The exact JSON object of spec §7 (money translated by ``rate``)."""
    opt = snap.options
    return {
        "as_of": opt.as_of.isoformat(),
        "currency": currency,
        "ar": {
            "total": _num(m.ar_total, rate),
            "current": _num(m.ar_current, rate),
            "overdue": _num(m.ar_overdue, rate),
            "unapplied": _num(m.ar_unapplied, rate),
        },
        "aging": {k: _num(v, rate) for k, v in m.aging.items()},
        "dso": {
            "standard": _num(m.dso_standard),
            "countback": _num(m.dso_countback),
            "best_possible": _num(m.dso_best_possible),
            "average_days_delinquent": _num(m.add),
            "window_days": opt.window_days,
        },
        "cei": _num(m.cei),
        "concentration": {
            "top_n": m.top_n,
            "top_n_share": _num(m.top_n_share),
            "hhi": _num(m.hhi),
            "customers_with_balance": m.customers_with_balance,
        },
        "limits": {
            "customers_over_limit": m.customers_over_limit,
            "utilisation": _num(m.utilisation),
            "exposure": _num(m.limited_exposure, rate),
            "limit": _num(m.total_limit, rate),
        },
    }


def customers_table(snap: Snapshot) -> pd.DataFrame:
    """The snapshot's customer frame, largest balance first (for tables and downloads)."""
    return snap.customers.sort_values("balance_amount", ascending=False).reset_index(drop=True)
