"""How numbers read on screen: money with its currency, days, percentages; None shows as "n/a"."""

from __future__ import annotations

import math

NA = "n/a"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def money(value: float | None, currency: str, *, compact: bool = True) -> str:
    """'USD 1.25M' (compact, for cards) or 'USD 1,250,000' (full)."""
    if _missing(value):
        return NA
    sign = "-" if value < 0 else ""
    v = abs(value)
    if compact:
        for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
            if v >= limit:
                return f"{sign}{currency} {v / limit:,.2f}{suffix}"
    return f"{sign}{currency} {v:,.0f}" if v >= 100 else f"{sign}{currency} {v:,.2f}"


def days(value: float | None) -> str:
    return NA if _missing(value) else f"{value:,.1f} days"


def pct(value: float | None, digits: int = 1) -> str:
    """A share (0.25) as '25.0 %'."""
    return NA if _missing(value) else f"{value * 100:,.{digits}f} %"


def index_points(value: float | None) -> str:
    """An index already on a 0-100 scale (CEI) as '87.3'."""
    return NA if _missing(value) else f"{value:,.1f}"


def count(value: int | float | None) -> str:
    return NA if _missing(value) else f"{int(value):,}"


def hhi_points(value: float | None) -> str:
    return NA if _missing(value) else f"{value:,.0f}"


def delta(value: float | None, unit: str = "") -> str | None:
    """Text for st.metric's delta; None hides it."""
    if _missing(value):
        return None
    return f"{value:+,.1f}{unit}"
