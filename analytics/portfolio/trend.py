"""Month-end trend of AR, overdue share, each DSO and CEI (spec §2-§4)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.metrics import dso
from analytics.metrics.cei import collection_effectiveness_index
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
    """One row per month-end (the last ``months`` on or before ``as_of``), oldest first,
    over the customers in ``customer_keys`` (all when None)."""
    ends = month_ends(as_of, months + 1)  # one more, for the first month's CEI
    start = month_start(ends[1]) - timedelta(days=31 * COUNTBACK_MAX_PERIODS + window_days)
    sales = facts.daily_sales_totals(
        engine, start=start, as_of=ends[-1], customer_keys=customer_keys
    )
    daily = DailySales.from_frame(sales)
    parts = ar_parts_at_month_ends(engine, ends, customer_keys)
    rows = []
    for prev, end, part in zip(parts, ends[1:], parts[1:], strict=False):
        rows.append(_trend_row(end, part, prev, daily, window_days))
    return pd.DataFrame(rows, columns=TREND_COLUMNS)


def _trend_row(end: date, part: dict, prev: dict, daily: DailySales, window_days: int) -> dict:
    current, overdue, unapplied = (
        part["current_amount"],
        part["overdue_amount"],
        part["unapplied_amount"],
    )
    ar = current + overdue - unapplied
    ar_prev = prev["current_amount"] + prev["overdue_amount"] - prev["unapplied_amount"]
    sales = daily.window(end, window_days)
    standard = dso.standard_dso(ar, sales, window_days)
    best = dso.best_possible_dso(current, sales, window_days)
    countback = dso.countback_dso(ar, daily.countback_inputs(end, COUNTBACK_MAX_PERIODS))
    open_total = current + overdue
    return {
        "month_end": end,
        "ar_total": ar,
        "ar_current": current,
        "ar_overdue": overdue,
        "ar_unapplied": unapplied,
        "overdue_share": overdue / open_total if open_total > 0 else None,
        "sales_window": sales,
        "dso_standard": standard,
        "dso_best_possible": best,
        "add": dso.average_days_delinquent(standard, best),
        "dso_countback": countback.days,
        "cei": collection_effectiveness_index(
            ar_prev, daily.between(month_start(end) - timedelta(days=1), end), ar, current
        ),
    }
