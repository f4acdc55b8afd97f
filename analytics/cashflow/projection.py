"""The cash-flow projection: receipts from open AR plus receipts from sales not yet invoiced,
weekly and monthly, with P10/P50/P90 from the Monte Carlo draws.

Periods start the day after the as-of date D: week k covers D + 7(k − 1) + 1 … D + 7k;
month 1 is the rest of D's calendar month (the whole next month when D is a month-end),
then calendar months. Every figure is in the reporting currency at D's closing rates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.open_ar import OpenArReceipts, open_ar_receipts
from analytics.cashflow.sales_forecast import (
    SalesForecast,
    SalesHistory,
    add_months,
    collection_curve,
    first_open_month,
    invoice_size,
    lumpy,
    receipts_kernel,
    sales_forecast,
    sales_history,
)
from engines import facts
from engines.base import Engine

QUANTILES = (10, 50, 90)
PERIOD_COLUMNS = [
    "period",
    "start_date",
    "end_date",
    "open_ar_amount",
    "new_sales_amount",
    "mean_amount",
    "p10_amount",
    "p50_amount",
    "p90_amount",
]


def projection_periods(as_of: date, weeks: int, months: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Weekly and monthly periods after ``as_of``: period number, first and last date, and
    first and last day counted from ``as_of`` (day 1 = the day after)."""
    k = np.arange(1, weeks + 1)
    weekly = pd.DataFrame({"period": k, "first_day": 7 * (k - 1) + 1, "last_day": 7 * k})
    firsts = [add_months(first_open_month(as_of), m) for m in range(months)]
    monthly = pd.DataFrame({
        "period": np.arange(1, months + 1),
        "first_day": [max((f - as_of).days, 1) for f in firsts],
        "last_day": [(add_months(f, 1) - as_of).days - 1 for f in firsts],
    })  # fmt: skip
    for frame in (weekly, monthly):
        frame["start_date"] = [as_of + timedelta(days=int(d)) for d in frame["first_day"]]
        frame["end_date"] = [as_of + timedelta(days=int(d)) for d in frame["last_day"]]
    return weekly, monthly


def period_sums(daily: np.ndarray, periods: pd.DataFrame) -> np.ndarray:
    """draws × periods: Σ of the daily columns (column t − 1 = day t) in each period."""
    cum = np.hstack([np.zeros((len(daily), 1)), np.cumsum(daily, axis=1)])
    return cum[:, periods["last_day"].to_numpy()] - cum[:, periods["first_day"].to_numpy() - 1]


@dataclass(frozen=True)
class Projection:
    """Projected receipts after ``options.as_of``, in the reporting currency."""

    options: CashflowOptions
    weekly: pd.DataFrame  # PERIOD_COLUMNS, one row per week
    monthly: pd.DataFrame  # PERIOD_COLUMNS, one row per month
    weekly_draws: np.ndarray  # draws × weeks, total receipts
    monthly_draws: np.ndarray  # draws × months
    open_ar: OpenArReceipts  # its summary amounts (daily draws dropped)
    sales: SalesForecast | None  # None when sales not yet invoiced are left out
    curve: np.ndarray | None  # collection curve c(k), k = 0 … horizon
    open_ar_after: float  # expected open-AR receipts after the last month
    new_sales_after: float  # expected receipts of the forecast sales after the last month
    unapplied_amount: float  # cash on account at as_of: already received, not projected


def project(
    engine: Engine,
    options: CashflowOptions,
    customer_keys: list[int] | None = None,
    promised: pd.DataFrame | None = None,
) -> Projection:
    """Receipts from open AR (analytics.cashflow.model) plus, with ``options.include_sales``,
    from the sales forecast through the collection curve (analytics.cashflow.sales_forecast).
    ``promised``: open promises and plan instalments whose dates replace the model's timing
    for the items they cover (analytics.cashflow.promised; None: the model alone).

    The expected columns are exact: open AR's expectation (analytics.cashflow.expected, the
    same function the policy simulator's baseline uses) and the mean sales path's smooth
    receipts; the quantiles come from the draws (open AR + lumpy new-sales receipts)."""
    weekly, monthly = projection_periods(options.as_of, options.weeks, options.months)
    horizon = int(max(weekly["last_day"].max(), monthly["last_day"].max()))
    open_ar = open_ar_receipts(engine, options, horizon, customer_keys, promised)
    new = NewSales(None, None, np.zeros_like(open_ar.daily), np.zeros(horizon + 1))
    if options.include_sales:
        new = new_sales_receipts(engine, options, horizon, customer_keys)
    total = open_ar.daily[:, :horizon] + new.daily[:, :horizon]
    expected = (open_ar.expected, new.expected)
    last = int(monthly["last_day"].max())
    return Projection(
        options=options,
        weekly=_period_frame(weekly, total, *expected),
        monthly=_period_frame(monthly, total, *expected),
        weekly_draws=period_sums(total, weekly),
        monthly_draws=period_sums(total, monthly),
        open_ar=replace(open_ar, daily=np.zeros((0, 0)), expected=np.zeros(0)),
        sales=new.forecast,
        curve=new.curve,
        open_ar_after=float(expected[0][last:].sum()),
        new_sales_after=float(expected[1][last:].sum()),
        unapplied_amount=unapplied(engine, options.as_of, customer_keys),
    )


@dataclass(frozen=True)
class NewSales:
    """Receipts from sales dated after the as-of date."""

    forecast: SalesForecast | None
    curve: np.ndarray | None  # c(k), k = 0 … horizon
    daily: np.ndarray  # draws × (horizon + 1), last column = after the horizon
    expected: np.ndarray  # horizon + 1: the mean sales path's smooth receipts


def new_sales_receipts(
    engine: Engine,
    options: CashflowOptions,
    horizon: int,
    customer_keys: list[int] | None = None,
) -> NewSales:
    """Sales forecast (ETS paths) × collection curve, with whole-invoice lumpiness."""
    as_of = options.as_of
    first_date = facts.ledger_info(engine)["first_date"]
    history = sales_history(engine, as_of, first_date, customer_keys)
    first = first_open_month(as_of)
    end = as_of + timedelta(days=horizon)
    n_months = end.year * 12 + end.month - (first.year * 12 + first.month) + 1
    forecast = with_one_offs(
        sales_forecast(history.regular, first, n_months, options.draws, options.seed + 1), history
    )
    curve = collection_curve(engine, as_of, horizon, customer_keys, options.half_life_days)
    kernel = receipts_kernel(as_of, forecast.month_starts, horizon, curve)
    smooth = forecast.draws @ kernel
    rng = np.random.default_rng(options.seed + 2)
    size = invoice_size(
        engine, as_of, customer_keys, history.threshold if history.one_offs.any() else None
    )
    daily = lumpy(smooth[:, :horizon], size, rng)
    return NewSales(forecast, curve, np.hstack([daily, smooth[:, horizon:]]),
                    forecast.mean @ kernel)  # fmt: skip


def with_one_offs(forecast: SalesForecast, history: SalesHistory) -> SalesForecast:
    """The forecast, saying how much one-off invoicing its history left out."""
    amount = float(history.one_offs.sum())
    if amount <= 0:
        return forecast
    months = int((history.one_offs > 0).sum())
    reason = f"{forecast.reason}; one-off invoices in {months} month(s) left out of the history"
    return replace(forecast, reason=reason, one_off_amount=amount)


def _period_frame(periods, total, open_expected, new_expected) -> pd.DataFrame:
    sums = period_sums(total, periods)
    p10, p50, p90 = np.percentile(sums, QUANTILES, axis=0)
    frame = periods[["period", "start_date", "end_date"]].copy()
    frame["open_ar_amount"] = period_sums(open_expected[None, :], periods)[0]
    frame["new_sales_amount"] = period_sums(new_expected[None, :], periods)[0]
    frame["mean_amount"] = frame["open_ar_amount"] + frame["new_sales_amount"]
    frame["p10_amount"], frame["p50_amount"], frame["p90_amount"] = p10, p50, p90
    return frame[PERIOD_COLUMNS]


def unapplied(engine: Engine, as_of: date, customer_keys: list[int] | None = None) -> float:
    """Unapplied cash at as_of (spec §2) over the customers in ``customer_keys``."""
    rows = facts.unapplied_by_customer(engine, as_of=as_of)
    if customer_keys is not None:
        rows = rows[rows["customer_key"].isin(customer_keys)]
    return float(rows["unapplied_amount"].sum())


def weekly_actuals(
    engine: Engine,
    as_of: date,
    weeks_before: int,
    weeks_after: int,
    last_date: date | None,
    customer_keys: list[int] | None = None,
) -> pd.DataFrame:
    """Cash received per week around as_of (week k ≤ 0 ends k weeks before it, k ≥ 1 as in
    projection_periods) at as_of's closing rates; weeks the ledger does not cover to their
    end (after ``last_date``) are left out."""
    k = np.arange(-weeks_before + 1, weeks_after + 1)
    first = as_of + timedelta(days=7 * int(k[0] - 1))
    end = min(as_of + timedelta(days=7 * weeks_after), last_date or as_of)
    rows = facts.cashflow_receipts(engine, start=first, end=end, rate_date=as_of,
                 customer_keys=customer_keys)  # fmt: skip
    days = (pd.to_datetime(rows["payment_date"]) - pd.Timestamp(first)).dt.days.to_numpy()
    amounts = np.bincount((days - 1) // 7, rows["receipts_amount"].to_numpy(float), len(k))
    frame = pd.DataFrame({"period": k, "receipts_amount": amounts})
    frame["start_date"] = [as_of + timedelta(days=7 * int(p - 1) + 1) for p in k]
    frame["end_date"] = [as_of + timedelta(days=7 * int(p)) for p in k]
    return frame[frame["end_date"] <= end].reset_index(drop=True)
