"""Month-end trend of AR, overdue share, each DSO and CEI (spec §2-§4)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.metrics.metric_set import countback_days, metric_set
from analytics.metrics.sales import DailySales
from core.calendar import month_ends, month_start
from core.constants import COUNTBACK_MAX_PERIODS, DEFAULT_WINDOW_DAYS, TREND_MONTHS
from engines import facts
from engines.base import Engine

TREND_COLUMNS = [
    "month_end",
    "ar_total",
    "ar_current",
    "ar_overdue",
    "ar_unapplied",
    "overdue_share",
    "sales_window",
    "dso_standard",
    "dso_best_possible",
    "add",
    "dso_countback",
    "cei",
]


def ar_parts_at_month_ends(
    engine: Engine, ends: list[date], customer_keys: list[int] | None = None
) -> list[dict[str, float]]:
    """Current, overdue and unapplied AR (reporting currency) at consecutive month-ends.

    Open amounts come from the load-time ``month_end_balances`` (data/sql/09); unapplied
    cash is cumulated here. Each currency is translated at each month-end's closing rate.
    """
    covered = facts.month_end_coverage(engine)["last_month_end"]
    beyond = [end for end in ends if covered is None or end > covered]
    if beyond:  # after the ledger's last activity: one as-of query per month-end
        inside = (
            ar_parts_at_month_ends(engine, ends[: len(ends) - len(beyond)], customer_keys)
            if len(beyond) < len(ends)
            else []
        )
        return inside + [_as_of_parts(engine, end, customer_keys) for end in beyond]
    n = len(ends)
    rows = facts.ar_at_month_ends(engine, first_month_end=ends[0], n=n, customer_keys=customer_keys)
    rates = facts.closing_rates_at(engine, days=ends)
    totals = {k: np.zeros(n) for k in ("current_amount", "overdue_amount", "unapplied_amount")}
    for currency, part in rows.groupby("currency"):
        per_month = {k: np.zeros(n) for k in totals}
        i = part["i"].to_numpy(dtype=int)
        np.add.at(per_month["current_amount"], i, part["current_amount"].to_numpy(dtype=float))
        np.add.at(per_month["overdue_amount"], i, part["overdue_amount"].to_numpy(dtype=float))
        np.add.at(per_month["unapplied_amount"], i, part["unapplied_change"].to_numpy(dtype=float))
        per_month["unapplied_amount"] = np.cumsum(per_month["unapplied_amount"])
        rate = _rates_for(rates, currency, ends)
        for key, amounts in per_month.items():
            totals[key] += np.where(amounts == 0, 0.0, amounts * rate)
    return [{k: float(v[i]) for k, v in totals.items()} for i in range(n)]


def _as_of_parts(engine: Engine, as_of: date, customer_keys: list[int] | None) -> dict[str, float]:
    row = facts.open_totals(engine, as_of=as_of, customer_keys=customer_keys)
    return {k: float(v or 0.0) for k, v in row.items()}


def _rates_for(rates: pd.DataFrame, currency: str, ends: list[date]) -> np.ndarray:
    """The currency's closing rate at each month-end (NaN before its first rate)."""
    mine = rates[rates["currency"] == currency].set_index("day")["rate"]
    return np.array([mine.get(pd.Timestamp(end), np.nan) for end in ends], dtype=float)


def monthly_trend(
    engine: Engine,
    as_of: date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    months: int = TREND_MONTHS,
    customer_keys: list[int] | None = None,
) -> pd.DataFrame:
    """One row per month-end (the last ``months`` on or before ``as_of``, none before the
    ledger's first document), oldest first, over the customers in ``customer_keys`` (all
    when None)."""
    ends = month_ends(as_of, months + 1)  # one more, for the first month's CEI
    start = month_start(ends[1]) - timedelta(days=31 * COUNTBACK_MAX_PERIODS + window_days)
    sales = facts.daily_sales_totals(
        engine, start=start, as_of=ends[-1], customer_keys=customer_keys
    )
    daily = DailySales.from_frame(sales)
    parts = ar_parts_at_month_ends(engine, ends, customer_keys)
    measures = trend_measures(ends, parts, daily, window_days)
    metrics = metric_set(measures, window_days)
    countback, _bound = countback_days(
        measures["ar_total"],
        (daily.countback_inputs(end, COUNTBACK_MAX_PERIODS) for end in ends[1:]),
    )
    out = pd.concat([measures, metrics], axis=1).assign(dso_countback=countback)
    out = out.assign(month_end=ends[1:])[TREND_COLUMNS]
    return _from_first_document(engine, out)


def _from_first_document(engine: Engine, trend: pd.DataFrame) -> pd.DataFrame:
    """The month-ends on or after the ledger's first document: before it the ledger says
    nothing, so those months are absent, not zero."""
    first = facts.first_document_date(engine)["first_date"]
    if first is None:
        return trend.iloc[0:0].reset_index(drop=True)
    return trend[trend["month_end"] >= first].reset_index(drop=True)


def trend_measures(
    ends: list[date], parts: list[dict[str, float]], daily: DailySales, window_days: int
) -> pd.DataFrame:
    """The metric set's measures at each month-end after the first (whose AR is the next
    one's opening AR for CEI), one row per month-end."""
    ar = [p["current_amount"] + p["overdue_amount"] - p["unapplied_amount"] for p in parts]
    return pd.DataFrame(
        {
            "ar_total": ar[1:],
            "ar_current": [p["current_amount"] for p in parts[1:]],
            "ar_overdue": [p["overdue_amount"] for p in parts[1:]],
            "ar_unapplied": [p["unapplied_amount"] for p in parts[1:]],
            "sales_window": [daily.window(end, window_days) for end in ends[1:]],
            "ar_opening": ar[:-1],
            "sales_period": [
                daily.between(month_start(end) - timedelta(days=1), end) for end in ends[1:]
            ],
        },
        dtype=float,
    )
