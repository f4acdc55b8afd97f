"""Credit sales over windows and periods from a daily series (spec §4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.calendar import countback_periods


@dataclass(frozen=True)
class DailySales:
    """Cumulative daily credit sales, so any S(a, b] is two binary searches."""

    days: np.ndarray  # datetime64[D], sorted, unique
    cumulative: np.ndarray  # running total through each day

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> DailySales:
        """From rows of (sales_date, sales_amount)."""
        if frame.empty:
            return cls(np.array([], dtype="datetime64[D]"), np.array([], dtype=float))
        ordered = frame.sort_values("sales_date")
        days = ordered["sales_date"].to_numpy().astype("datetime64[D]")
        return cls(days, np.cumsum(ordered["sales_amount"].to_numpy(dtype=float)))

    def _through(self, day: date) -> float:
        i = np.searchsorted(self.days, np.datetime64(day, "D"), side="right")
        return float(self.cumulative[i - 1]) if i > 0 else 0.0

    def between(self, start: date, end: date) -> float:
        """S(start, end]: sales dated after ``start`` up to and including ``end``."""
        return self._through(end) - self._through(start)

    def window(self, as_of: date, window_days: int) -> float:
        """S(D − N, D]."""
        return self.between(as_of - timedelta(days=window_days), as_of)

    def countback_inputs(self, as_of: date, n: int) -> list[tuple[float, int]]:
        """(sales, days) for countback period 0, 1, … n−1 (periods.countback_periods)."""
        out = []
        for first, last in countback_periods(as_of, n):
            out.append((self.between(first - timedelta(days=1), last), (last - first).days + 1))
        return out
