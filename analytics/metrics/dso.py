"""Days sales outstanding (spec §4).

Every function returns ``None`` when the metric is undefined (zero or negative sales in
its window), never raises for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.constants import COUNTBACK_MAX_PERIODS, OPEN_THRESHOLD


def standard_dso_of(ar, sales, window_days: int):
    """Standard DSO = AR(D) / S(D−N, D] × N, element-wise over arrays or Series: the one
    definition (NaN where sales ≤ 0). The portfolio, trend and breakdown use it through
    :mod:`analytics.metrics.metric_set`.

    >>> standard_dso_of(np.array([1_500.0, 10.0]), np.array([3_000.0, 0.0]), 90).tolist()
    [45.0, nan]
    """
    return ar / positive_or_nan(sales) * window_days


def standard_dso(ar: float, sales: float, window_days: int) -> float | None:
    """Standard DSO for one AR and one sales figure, ``None`` when sales ≤ 0.

    >>> standard_dso(1_500, 3_000, 90)
    45.0
    """
    return none_if_nan(standard_dso_of(ar, sales, window_days))


def best_possible_dso(current_ar: float, sales: float, window_days: int) -> float | None:
    """Best Possible DSO = CurrentAR(D) / S(D−N, D] × N (only not-yet-due AR)."""
    return standard_dso(current_ar, sales, window_days)


def average_days_delinquent(standard: float | None, best_possible: float | None) -> float | None:
    """ADD = Standard DSO − Best Possible DSO (element-wise: NaN where either is)."""
    if standard is None or best_possible is None:
        return None
    return standard - best_possible


def positive_or_nan(values):
    """``values`` where positive, NaN elsewhere: an undefined denominator (arrays, Series or
    scalars)."""
    if isinstance(values, pd.Series):
        return values.where(values > 0)
    return np.where(np.asarray(values, dtype=float) > 0, values, np.nan)


def none_if_nan(value) -> float | None:
    """A metric for a scalar consumer (JSON, a card): NaN → None, else a float."""
    if value is None:
        return None
    value = float(value)
    return None if np.isnan(value) else value


@dataclass(frozen=True)
class Countback:
    """Countback DSO and whether it stopped at the period limit (a lower bound)."""

    days: float | None
    is_lower_bound: bool = False


def countback_dso(
    ar: float,
    periods: Sequence[tuple[float, int]],
    max_periods: int = COUNTBACK_MAX_PERIODS,
) -> Countback:
    """Countback DSO: count back through monthly sales until they account for AR(D).

    Parameters
    ----------
    ar : AR(D).
    periods : ``(sales, days)`` for period 0 (first of D's month to D), then each full
        calendar month before it, most recent first.
    max_periods : stop after this many periods (spec: 36).

    With r = AR(D), for each period k: if r ≥ S(k), r −= S(k) and add the period's days;
    otherwise add r / S(k) × days and stop. A month of negative net sales (credit notes)
    therefore adds to r, as the rule says. Once r reaches 0 (within half a cent) it stops
    (the literal rule would keep adding months with zero sales). AR ≤ 0 gives 0; no period
    with positive sales gives ``None``; running out of periods gives a lower bound.

    Spec example: AR 2,000; sales 200, 400, 600, 700, 500 with days 31, 31, 30, 31, 30
    → 31 + 31 + 30 + 31 + 100/500 × 30 = 129.
    """
    usable = periods[:max_periods]
    if not any(s > 0 for s, _ in usable):
        return Countback(None)
    if ar <= 0:
        return Countback(0.0)
    remaining, days = ar, 0.0
    for sales, period_days in usable:
        if remaining < sales:
            return Countback(days + remaining / sales * period_days)
        remaining -= sales
        days += period_days
        if abs(remaining) < OPEN_THRESHOLD:
            return Countback(days)
    return Countback(days, is_lower_bound=True)
