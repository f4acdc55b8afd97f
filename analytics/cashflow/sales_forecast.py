"""Receipts from sales not yet invoiced: a monthly credit-sales forecast (statsmodels ETS)
turned into cash by the ledger's own collection curve.

The model rule (docs/forecasting.md): the number of complete calendar months of history
decides the family, AICc the member —

- fewer than ``MIN_MODEL_MONTHS`` months: the mean of the months there are, flat, with a
  normal spread of their standard deviation ("too short for a model");
- fewer than ``SEASONAL_MIN_MONTHS`` (two years, so each calendar month is seen twice):
  non-seasonal ETS, simple ``ETS(A,N,N)`` or damped trend ``ETS(A,Ad,N)``;
- otherwise seasonal ETS with a 12-month additive season, ``ETS(A,N,A)`` or ``ETS(A,Ad,A)``.

Within a family the lower AICc wins. AICc is not used *across* families: with two or three
years of months, the twelve seasonal starting values cost seasonal models so much AICc that
it would never pick one, while their forecasts were clearly better on the sample ledger's
rolling origins (see docs/forecasting.md). A series that does not vary gets a flat forecast
with no spread. Simulated months below zero count as zero sales.

Collection curve c(k) = share of a day's credit sales paid k days after the invoice date,
k = 0 … horizon, each lag from the invoices of the ``CURVE_COHORT_DAYS`` days that have
been observable for k days at the as-of date (no look-ahead), recent invoice days weighted
more (the lateness history's half-life). The curve turns each sales path
into smooth expected receipts; ``lumpy`` adds the spread that whole invoices paid on single
days give (see its docstring).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from scipy.signal import fftconvolve

from analytics.cashflow.model import HALF_LIFE_DAYS
from engines import facts
from engines.base import Engine

# An invoice worth at least half a typical month's credit sales and ten times the median
# invoice is a one-off: it stays in open AR, but the sales forecast fits the history without it
# (one invoice worth half a year's sales otherwise lifts every forecast month after it).
ONE_OFF_MONTH_SHARE = 0.5
ONE_OFF_INVOICE_MULTIPLE = 10.0
MIN_MODEL_MONTHS = 6
SEASONAL_MIN_MONTHS = 24
HISTORY_MONTHS = 48
SEASON_MONTHS = 12
CURVE_COHORT_DAYS = 365
MODELS = {  # name -> ETSModel keyword arguments
    "ETS(A,N,N)": {"trend": None, "damped_trend": False, "seasonal": None},
    "ETS(A,Ad,N)": {"trend": "add", "damped_trend": True, "seasonal": None},
    "ETS(A,N,A)": {"trend": None, "damped_trend": False, "seasonal": "add"},
    "ETS(A,Ad,A)": {"trend": "add", "damped_trend": True, "seasonal": "add"},
}


def add_months(month: date, n: int) -> date:
    """The first day of the month ``n`` months after ``month``'s."""
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def first_open_month(as_of: date) -> date:
    """The first calendar month not complete at ``as_of`` (the first one to forecast)."""
    nxt = as_of + timedelta(days=1)
    return nxt.replace(day=1)


def monthly_sales(
    engine: Engine,
    as_of: date,
    first_date: date | None,
    customer_keys: list[int] | None = None,
) -> pd.Series:
    """Credit sales (spec §4) of each complete calendar month from the first complete month
    on or after ``first_date`` (at most HISTORY_MONTHS) to the last complete one at
    ``as_of``; months without sales are 0. Indexed by month start."""
    end = first_open_month(as_of)
    if first_date is None or first_date >= end:
        return pd.Series(dtype=float)
    first_full = first_date if first_date.day == 1 else add_months(first_date.replace(day=1), 1)
    start = max(first_full, add_months(end, -HISTORY_MONTHS))
    months = pd.date_range(start, end, freq="MS", inclusive="left")
    rows = facts.cashflow_monthly_sales(engine, start=start - timedelta(days=1),
        end=end - timedelta(days=1), customer_keys=customer_keys,
    )  # fmt: skip
    series = rows.set_index(pd.to_datetime(rows["month_start"]))["sales_amount"]
    return series.reindex(months, fill_value=0.0).astype(float)


@dataclass(frozen=True)
class SalesHistory:
    """Complete months of credit sales, with one-off invoices taken apart."""

    regular: pd.Series  # monthly sales without the one-off invoices: what the model fits
    one_offs: pd.Series  # per month, the one-off invoices' amount taken out
    threshold: float | None  # the smallest amount that can be a one-off (None: no history)


def sales_history(
    engine: Engine,
    as_of: date,
    first_date: date | None,
    customer_keys: list[int] | None = None,
) -> SalesHistory:
    """``monthly_sales`` with the one-off invoices (ONE_OFF_MONTH_SHARE × the median month and
    ONE_OFF_INVOICE_MULTIPLE × the median invoice, or more) taken out of their months."""
    monthly = monthly_sales(engine, as_of, first_date, customer_keys)
    none = pd.Series(0.0, index=monthly.index)
    threshold = ONE_OFF_MONTH_SHARE * float(monthly.median()) if len(monthly) else 0.0
    if threshold <= 0:
        return SalesHistory(monthly, none, None)
    rows = facts.cashflow_one_off_invoices(
        engine, start=monthly.index[0].date() - timedelta(days=1),
        end=first_open_month(as_of) - timedelta(days=1), customer_keys=customer_keys,
        min_amount=threshold, invoice_multiple=ONE_OFF_INVOICE_MULTIPLE,
    )  # fmt: skip
    by_month = rows.groupby(pd.to_datetime(rows["month_start"]))["sales_amount"].sum()
    one_offs = by_month.reindex(monthly.index, fill_value=0.0).astype(float)
    return SalesHistory(monthly - one_offs, one_offs, threshold)


@dataclass(frozen=True)
class SalesForecast:
    """Monthly credit sales ahead: the mean and simulated paths (draws × months)."""

    history: pd.Series  # complete months, indexed by month start
    month_starts: list[date]  # forecast months, the first one the month after the history
    mean: np.ndarray
    draws: np.ndarray
    model: str  # e.g. "ETS(A,N,A)"
    reason: str  # why this model (the rule that chose it)
    one_off_amount: float = 0.0  # one-off invoices left out of ``history`` (SalesHistory)


def sales_forecast(
    history: pd.Series, first_month: date, months: int, draws: int, seed: int
) -> SalesForecast:
    """Forecast ``months`` months of credit sales from ``first_month`` on, by the module's rule."""
    starts = [add_months(first_month, k) for k in range(months)]
    y = history.to_numpy(float)
    rng = np.random.default_rng(seed)
    if len(y) == 0:
        return _flat(history, starts, 0.0, 0.0, draws, rng, "none", "no complete month of sales")
    if np.ptp(y) <= 1e-9 * max(abs(y.mean()), 1.0):
        return _flat(history, starts, y[0], 0.0, draws, rng, "constant", "sales do not vary")
    if len(y) < MIN_MODEL_MONTHS:
        reason = f"{len(y)} months of history: too short for a model"
        return _flat(history, starts, y.mean(), y.std(ddof=1), draws, rng, "mean", reason)
    seasonal = len(y) >= SEASONAL_MIN_MONTHS
    names = ["ETS(A,N,A)", "ETS(A,Ad,A)"] if seasonal else ["ETS(A,N,N)", "ETS(A,Ad,N)"]
    name, fit = _best_by_aicc(y, names)
    paths = fit.simulate(months, anchor="end", repetitions=draws, rng=rng)
    sims = np.maximum(np.asarray(paths, float).reshape(months, draws).T, 0.0)
    family = "seasonal" if seasonal else "non-seasonal (less than two years)"
    reason = f"{len(y)} months of history: {family}; lowest AICc of {' and '.join(names)}"
    return SalesForecast(history, starts, sims.mean(axis=0), sims, name, reason)


def _best_by_aicc(y: np.ndarray, names: list[str]):
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    fits = {}
    for name in names:
        spec = MODELS[name]
        period = SEASON_MONTHS if spec["seasonal"] else None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = ETSModel(y, error="add", seasonal_periods=period, **spec)
            fits[name] = model.fit(disp=False)
    name = min(fits, key=lambda n: fits[n].aicc if np.isfinite(fits[n].aicc) else np.inf)
    return name, fits[name]


def _flat(history, starts, level, spread, draws, rng, model, reason) -> SalesForecast:
    sims = np.maximum(level + spread * rng.standard_normal((draws, len(starts))), 0.0)
    mean = np.full(len(starts), max(float(level), 0.0)) if spread == 0 else sims.mean(axis=0)
    return SalesForecast(history, starts, mean, sims, model, reason)


# --- collection curve -------------------------------------------------------------------------


def collection_curve(
    engine: Engine,
    as_of: date,
    max_lag: int,
    customer_keys: list[int] | None = None,
    half_life_days: float = HALF_LIFE_DAYS,
) -> np.ndarray:
    """c(k), k = 0 … max_lag: cash paid k days after the invoice date ÷ credit sales, over the
    invoices of the CURVE_COHORT_DAYS days ending k days before ``as_of``, each invoice day
    weighted 0.5 ^ (its age at as_of / half-life) like the lateness history, so that a ledger
    whose customers pay faster than they did shows it."""
    start = as_of - timedelta(days=max_lag + CURVE_COHORT_DAYS)
    paid = facts.cashflow_collection_lags(engine, start=start, as_of=as_of, max_lag=max_lag,
                 customer_keys=customer_keys)  # fmt: skip
    sales = facts.daily_sales_totals(engine, start=start, as_of=as_of, customer_keys=customer_keys)
    n_days = (as_of - start).days
    day = _day_index(paid["invoice_date"], start)
    grid = np.zeros((n_days + 1, max_lag + 1))
    np.add.at(grid, (day, paid["lag_days"].to_numpy(np.int64)), paid["paid_amount"].to_numpy())
    daily = np.bincount(_day_index(sales["sales_date"], start),
                        sales["sales_amount"].to_numpy(float), n_days + 1)  # fmt: skip
    recency = 0.5 ** ((n_days - np.arange(n_days + 1)) / half_life_days)
    return cohort_shares(grid * recency[:, None], daily * recency, CURVE_COHORT_DAYS)


def _day_index(dates: pd.Series, start: date) -> np.ndarray:
    """Days after ``start`` (1 = the day after)."""
    days = pd.to_datetime(dates).to_numpy().astype("datetime64[D]")
    return (days - np.datetime64(start, "D")).astype(np.int64)


def cohort_shares(paid: np.ndarray, sales: np.ndarray, cohort_days: int) -> np.ndarray:
    """Per lag k (column of ``paid``): Σ paid[t, k] ÷ Σ sales[t] over the ``cohort_days`` rows
    ending k rows before the last (rows = invoice days, the last row = as_of); 0 where those
    days have no positive sales. Rows may carry weights (multiply both inputs by them)."""
    n_rows, n_lags = paid.shape
    cum_paid = np.vstack([np.zeros(n_lags), np.cumsum(paid, axis=0)])
    cum_sales = np.concatenate([[0.0], np.cumsum(sales)])
    lag = np.arange(n_lags)
    hi = np.maximum(n_rows - lag, 0)
    lo = np.maximum(hi - cohort_days, 0)
    num = cum_paid[hi, lag] - cum_paid[lo, lag]
    den = cum_sales[hi] - cum_sales[lo]
    return np.divide(num, den, out=np.zeros(n_lags), where=den > 0)


def invoice_size(
    engine: Engine,
    as_of: date,
    customer_keys: list[int] | None = None,
    one_off_threshold: float | None = None,
) -> float:
    """Amount-weighted mean size of the last CURVE_COHORT_DAYS days' invoices, one-offs (at
    least ``one_off_threshold``) left out (0 if none)."""
    start = as_of - timedelta(days=CURVE_COHORT_DAYS)
    row = facts.cashflow_invoice_size(engine, start=start, as_of=as_of,
                                      customer_keys=customer_keys, max_amount=one_off_threshold)  # fmt: skip
    value = row["invoice_size"].iloc[0]
    return float(value) if pd.notna(value) and value > 0 else 0.0


def lumpy(expected: np.ndarray, size: float, rng: np.random.Generator) -> np.ndarray:
    """Receipts with the spread of whole invoices: invoices of amount-weighted mean size
    ``size`` arriving at random and each paid on one day give, per day, a compound-Poisson
    amount with variance size × mean; a gamma with that mean and variance adds up the same
    way over any days (shape mean / size, scale size). Days with nothing expected stay 0."""
    if size <= 0:
        return expected
    shape = np.clip(expected, 0.0, None) / size
    return np.where(shape > 0, rng.gamma(np.maximum(shape, 1e-12), size), 0.0)


def receipts_kernel(
    as_of: date, month_starts: list[date], horizon_days: int, curve: np.ndarray
) -> np.ndarray:
    """months × (horizon_days + 1): receipts on day as_of + t (column t − 1) per unit of a
    month's sales, spread evenly over the month's days after ``as_of``; the last column is
    what the curve collects after the horizon."""
    spread = np.zeros((len(month_starts), horizon_days))
    for m, first in enumerate(month_starts):
        days_in_month = (add_months(first, 1) - first).days
        lo = max((first - as_of).days, 1)
        hi = min((add_months(first, 1) - as_of).days - 1, horizon_days)
        if lo <= hi:
            spread[m, lo - 1 : hi] = 1.0 / days_in_month
    received = fftconvolve(spread, curve[None, :])[:, :horizon_days] if len(spread) else spread
    received = np.clip(received, 0.0, None)
    total = spread.sum(axis=1) * curve.sum()
    later = np.clip(total - received.sum(axis=1), 0.0, None)
    return np.hstack([received, later[:, None]])
