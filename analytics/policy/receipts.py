"""Expected receipts for the policy simulator, from the cash-flow projection's own parts.

The baseline is the cash-flow projection (analytics/cashflow.py, analytics/projection.py) in
expectation rather than by Monte Carlo draws, so that a scenario and its baseline differ
only by the levers, never by sampling noise:

- **open AR**: every open-item group's collectible amount (the never-paid share taken off,
  ``cashflow.conditioned``) spread over the days after D by its customer's lateness
  distribution conditioned on the days already past due — the distribution the projection
  draws from — kept per customer (undisputed and disputed apart);
- **sales not yet invoiced**: the projection's mean sales forecast through its collection
  curve (``sales_forecast.receipts_kernel``).

A scenario moves them (``scenario_receipts``): items already invoiced keep their due dates
(new terms apply to new invoices), so open AR only moves with collection effort — each
affected customer's expected receipts arrive earlier by the days of lateness the lever takes
off (never before the day after D); sales not yet invoiced scale with the scenario's sales
(elasticity, blocked orders) and their collection curve moves by each customer's change in
days (terms later, collection earlier). See docs/simulator.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from analytics.cashflow.expected import expected_by_target, subset
from analytics.cashflow.model import (
    CashflowOptions,
    conditioned,
    lateness_model_at,
    open_item_groups,
)
from analytics.cashflow.projection import new_sales_receipts, projection_periods
from analytics.cashflow.sales_forecast import receipts_kernel
from engines import facts
from engines.base import Engine

WEEKS = 13
MONTHS = 12


@dataclass(frozen=True)
class ReceiptsBase:
    """What a scenario's receipts start from: lever-independent, computed once."""

    as_of: date
    horizon: int  # days after D covered (day t = column t − 1)
    weekly: pd.DataFrame  # projection_periods: period, first_day, last_day, start/end_date
    monthly: pd.DataFrame
    customer_keys: np.ndarray  # rows of the two matrices below
    undisputed: np.ndarray  # customers × horizon: expected receipts from undisputed open items
    disputed: np.ndarray  # customers × horizon: from disputed open items
    sales_mean: np.ndarray  # mean forecast of sales per month after D
    month_starts: list[date]
    curve: np.ndarray  # collection curve c(k), k = 0 … horizon
    new_sales: np.ndarray  # horizon + 1: baseline receipts from sales not yet invoiced


def receipts_base(
    engine: Engine, as_of: date, customer_keys: list[int] | None = None
) -> ReceiptsBase:
    """Baseline expected receipts for the customers in ``customer_keys`` (all when None)."""
    options = CashflowOptions(as_of=as_of, weeks=WEEKS, months=MONTHS)
    weekly, monthly = projection_periods(as_of, WEEKS, MONTHS)
    horizon = int(max(weekly["last_day"].max(), monthly["last_day"].max()))
    customers = facts.customers(engine)
    keys = customers["customer_key"].to_numpy(np.int64)
    if customer_keys is not None:
        keys = np.asarray(sorted(customer_keys), dtype=np.int64)
    undisputed = np.zeros((len(keys), horizon))
    disputed = np.zeros((len(keys), horizon))
    if len(customers):
        model = lateness_model_at(engine, options)
        groups = open_item_groups(engine, as_of, customer_keys)
        _spread_open_items(groups, model.pmf, keys, undisputed, disputed)
    new = new_sales_receipts(engine, options, horizon, customer_keys)
    return ReceiptsBase(as_of, horizon, weekly, monthly, keys, undisputed, disputed,
                        new.forecast.mean, new.forecast.month_starts, new.curve, new.expected)  # fmt: skip


def _spread_open_items(groups, pmf, keys, undisputed, disputed) -> None:
    """Add each open-item group's expected receipts per day to its customer's row."""
    groups = groups[~groups["is_credit"].to_numpy(bool)]
    if groups.empty:
        return
    is_disputed = groups["is_disputed"].to_numpy(bool)
    row = np.where(is_disputed, len(pmf) - 1, groups["customer_key"].to_numpy(np.int64))
    c = conditioned(pmf, row, groups["days_past_due"].to_numpy(np.int64),
                    groups["open_amount"].to_numpy(float))  # fmt: skip
    target = np.searchsorted(keys, groups["customer_key"].to_numpy(np.int64))
    for matrix, mask in ((undisputed, ~is_disputed), (disputed, is_disputed)):
        part = subset(c, mask)
        matrix += expected_by_target(part, pmf, target[mask], len(keys), matrix.shape[1])


# --- a scenario ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Receipts:
    """Expected receipts after D (reporting currency)."""

    daily: np.ndarray  # day t = column t − 1, t = 1 … horizon
    weekly: pd.DataFrame  # period, start_date, end_date, receipts_amount
    monthly: pd.DataFrame

    @property
    def weeks_total(self) -> float:
        return float(self.weekly["receipts_amount"].sum())

    @property
    def months_total(self) -> float:
        return float(self.monthly["receipts_amount"].sum())


def baseline_receipts(base: ReceiptsBase) -> Receipts:
    open_ar = base.undisputed.sum(axis=0) + base.disputed.sum(axis=0)
    return _receipts(base, open_ar + base.new_sales[: base.horizon])


def scenario_receipts(
    base: ReceiptsBase,
    customer_keys: np.ndarray,
    undisputed_days_earlier: np.ndarray,
    disputed_days_earlier: np.ndarray,
    sales_share: np.ndarray,
    sales_factor: np.ndarray,
    sales_shift_days: np.ndarray,
) -> Receipts:
    """Receipts with the levers applied to the customers listed (the others unchanged).

    Per listed customer: its open-AR receipts (undisputed and disputed apart) arrive the
    given whole days earlier (≥ 0); its part of the sales not yet invoiced — ``sales_share``
    of the forecast, its share of the window's sales — is multiplied by ``sales_factor``
    (scenario ÷ baseline sales) and collected ``sales_shift_days`` later (negative =
    earlier) along the collection curve. With no customer listed this is the baseline.
    """
    if not len(customer_keys):
        return baseline_receipts(base)
    rows = np.searchsorted(base.customer_keys, customer_keys)
    open_ar = base.undisputed.sum(axis=0) + base.disputed.sum(axis=0)
    for matrix, shift in ((base.undisputed, undisputed_days_earlier),
                          (base.disputed, disputed_days_earlier)):  # fmt: skip
        moved = matrix[rows]
        open_ar = open_ar - moved.sum(axis=0) + shifted_earlier(moved, shift)
    curve = mixed_curve(base.curve, sales_share * sales_factor, sales_shift_days)
    kernel = receipts_kernel(base.as_of, base.month_starts, base.horizon, curve)
    new_sales = base.new_sales - float(sales_share.sum()) * base.new_sales
    new_sales = new_sales + base.sales_mean @ kernel
    return _receipts(base, open_ar + new_sales[: base.horizon])


def shifted_earlier(daily: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Σ over rows of each row moved ``days[row]`` days earlier, never before day 1."""
    n, horizon = daily.shape
    column = np.maximum(np.arange(horizon)[None, :] - days[:, None].astype(np.int64), 0)
    return np.bincount(column.ravel(), daily.ravel(), horizon)


def mixed_curve(curve: np.ndarray, weights: np.ndarray, shift_days: np.ndarray) -> np.ndarray:
    """Σ_i weights[i] × the curve moved shift_days[i] days (later if > 0); what would move
    before the invoice date is collected on it. Longer than ``curve`` when moved later."""
    shifts = shift_days.astype(np.int64)
    length = len(curve) + max(int(shifts.max(initial=0)), 0)
    k = np.arange(len(curve))
    index = np.clip(k[None, :] + shifts[:, None], 0, length - 1)
    return np.bincount(index.ravel(), (weights[:, None] * curve[None, :]).ravel(), length)


def _receipts(base: ReceiptsBase, daily: np.ndarray) -> Receipts:
    cum = np.concatenate([[0.0], np.cumsum(daily)])
    frames = []
    for periods in (base.weekly, base.monthly):
        frame = periods[["period", "start_date", "end_date"]].copy()
        frame["receipts_amount"] = cum[periods["last_day"]] - cum[periods["first_day"] - 1]
        frames.append(frame)
    return Receipts(daily, *frames)
