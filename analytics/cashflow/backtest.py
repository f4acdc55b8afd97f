"""Backtest of the receipts projection on the ledger itself, at rolling past month-ends.

At each origin D (a month-end with at least ``MIN_HISTORY_MONTHS`` months of ledger before it
and ``weeks`` weeks of ledger after it) the projection is made from what the ledger knew at D
(open items at D, settlements and payments dated ≤ D, sales ≤ D) and compared week by week
with the cash actually received (every payment, applied or not, at D's closing rates), as are
two naive methods:

- **due date**: every document open at D paid in full on its due date (past-due ones on
  D + 1), and sales at the last 13 weeks' daily average paid on their due date (the
  amount-weighted mean terms of those weeks' invoices);
- **13-week average**: each week, the average weekly receipts of the 13 weeks to D.

Errors are for the cumulative receipts of the first 4, 8 and 13 weeks: mean absolute
percentage error over the origins (and the mean signed error, the bias). Coverage is the
share of origin × week pairs (weeks 1 … ``weeks``) whose actual receipts fall inside the
projection's P10-P90 band.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.cashflow.model import CashflowOptions, open_item_groups
from analytics.cashflow.projection import project, weekly_actuals
from analytics.cashflow.sales_forecast import add_months
from core.calendar import month_ends
from engines import facts
from engines.base import Engine

HORIZONS = (4, 8, 13)
MIN_HISTORY_MONTHS = 12
MAX_ORIGINS = 24
NAIVE_WEEKS = 13
METHODS = {"projection": "Projection (ours)", "due_date": "Due date", "average": "13-week average"}

Progress = Callable[[float, str], None]


def backtest_origins(
    first_date: date | None, last_date: date | None, weeks: int = 13, max_origins: int = MAX_ORIGINS
) -> list[date]:
    """Month-ends D with MIN_HISTORY_MONTHS months of ledger before and ``weeks`` weeks after
    (D + 7·weeks ≤ last_date); the latest ``max_origins`` of them, oldest first."""
    if first_date is None or last_date is None:
        return []
    earliest = add_months(first_date.replace(day=1), MIN_HISTORY_MONTHS) - timedelta(days=1)
    latest = last_date - timedelta(days=7 * weeks)
    if latest < earliest:
        return []
    n = (latest.year - earliest.year) * 12 + latest.month - earliest.month + 1
    ends = [e for e in month_ends(latest, n) if e >= earliest]
    return ends[-max_origins:]


def data_end(engine: Engine) -> date | None:
    """The last day a backtest reads receipts up to: the ledger's last document date
    (``analytics/sql/cashflow_data_end.sql``)."""
    row = facts.cashflow_data_end(engine)
    return row["data_end"]


def naive_due_date(
    engine: Engine,
    as_of: date,
    weeks: int,
    customer_keys: list[int] | None = None,
) -> np.ndarray:
    """Weekly receipts if everything were paid on its due date (see the module docstring)."""
    days = 7 * weeks
    daily = np.zeros(days + 1)
    groups = open_item_groups(engine, as_of, customer_keys)
    groups = groups[~groups["is_credit"]]
    due = np.clip(-groups["days_past_due"].to_numpy(np.int64), 1, days + 1)
    np.add.at(daily, due - 1, groups["open_amount"].to_numpy(float))
    start = as_of - timedelta(days=7 * NAIVE_WEEKS)
    sales = facts.daily_sales_totals(engine, start=start, as_of=as_of, customer_keys=customer_keys)
    per_day = float(sales["sales_amount"].sum()) / (7 * NAIVE_WEEKS)
    terms = facts.cashflow_recent_terms(engine, start=start, as_of=as_of,
                      customer_keys=customer_keys)["terms_days"]  # fmt: skip
    lag = int(round(terms)) if terms is not None else 0
    if lag < days:
        daily[max(lag, 0) : days] += per_day  # invoiced on day s ≥ 1, paid on day s + lag
    return daily[:days].reshape(weeks, 7).sum(axis=1)


def origin_weeks(
    engine: Engine,
    options: CashflowOptions,
    last_date: date,
    customer_keys: list[int] | None = None,
) -> pd.DataFrame:
    """One origin: per week 1 … weeks the actual receipts, the projection's mean and
    P10/P50/P90, and both naive methods."""
    weeks = options.weeks
    projection = project(engine, options, customer_keys)
    actual = weekly_actuals(engine, options.as_of, NAIVE_WEEKS, weeks, last_date, customer_keys)
    before = actual[actual["period"] <= 0]["receipts_amount"].to_numpy(float)
    after = actual[actual["period"] >= 1]["receipts_amount"].to_numpy(float)
    frame = projection.weekly[["period", "mean_amount", "p10_amount", "p50_amount", "p90_amount"]]
    frame = frame.rename(columns={"mean_amount": "projection"}).copy()
    frame.insert(0, "origin", options.as_of)
    frame["actual"] = after
    frame["due_date"] = naive_due_date(engine, options.as_of, weeks, customer_keys)
    frame["average"] = before.mean()
    frame["cumulative_draws"] = list(np.cumsum(projection.weekly_draws, axis=1).T)
    return frame


@dataclass(frozen=True)
class Backtest:
    weeks: pd.DataFrame  # origin × week: actual, projection (mean), p10/p50/p90, naive methods
    errors: pd.DataFrame  # method × horizon: mean absolute % error, bias
    coverage: float  # share of origin × week actuals inside P10-P90
    cumulative_coverage: pd.Series  # per horizon: share of origins inside the P10-P90 band
    origins: list[date]


def backtest(
    engine: Engine,
    template: CashflowOptions,
    customer_keys: list[int] | None = None,
    origins: list[date] | None = None,
    progress: Progress | None = None,
) -> Backtest:
    """Projection and naive methods at each origin against the receipts that followed."""
    report = progress or (lambda _f, _m: None)
    info = facts.ledger_info(engine)
    last = data_end(engine)
    if origins is None:
        origins = backtest_origins(info["first_date"], last, template.weeks)
    frames = []
    for i, origin in enumerate(origins):
        report(i / max(len(origins), 1), f"backtest at {origin:%d %b %Y} ({i + 1}/{len(origins)})")
        options = replace(template, as_of=origin)
        frames.append(origin_weeks(engine, options, last, customer_keys))
    report(1.0, "backtest done")
    return summarise(frames, origins, template.weeks)


def summarise(frames: list[pd.DataFrame], origins: list[date], weeks: int) -> Backtest:
    """Errors, bias and coverage from the per-origin weeks."""
    if not frames:
        empty = pd.DataFrame(columns=["method", "horizon_weeks", "mape", "bias", "n_origins"])
        return Backtest(pd.DataFrame(), empty, float("nan"), pd.Series(dtype=float), [])
    table = pd.concat(frames, ignore_index=True)
    inside = (table["actual"] >= table["p10_amount"]) & (table["actual"] <= table["p90_amount"])
    rows, cumulative = [], {}
    for h in [h for h in HORIZONS if h <= weeks]:
        upto = table[table["period"] <= h].groupby("origin")
        actual = upto["actual"].sum()
        for method in METHODS:
            rows.append(_error_row(method, h, upto[method].sum(), actual))
        draws = table[table["period"] == h].set_index("origin")["cumulative_draws"]
        low = draws.map(lambda d: np.percentile(d, 10))
        high = draws.map(lambda d: np.percentile(d, 90))
        cumulative[h] = float(((actual >= low) & (actual <= high)).mean())
    return Backtest(
        weeks=table.drop(columns=["cumulative_draws"]),
        errors=pd.DataFrame(rows),
        coverage=float(inside.mean()),
        cumulative_coverage=pd.Series(cumulative, name="coverage"),
        origins=list(origins),
    )


def _error_row(method: str, horizon: int, forecast: pd.Series, actual: pd.Series) -> dict:
    valid = actual > 0
    pct = (forecast[valid] - actual[valid]) / actual[valid]
    return {
        "method": METHODS[method],
        "horizon_weeks": horizon,
        "mape": float(pct.abs().mean()) if valid.any() else float("nan"),
        "bias": float(pct.mean()) if valid.any() else float("nan"),
        "n_origins": int(valid.sum()),
    }
