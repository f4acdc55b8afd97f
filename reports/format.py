"""How numbers read on screen and in reports: money with its currency, days, percentages;
None and NaN show as "n/a". No Streamlit here: the pages, the CLI and a pack print the same."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

NA = "n/a"


def is_missing(value) -> bool:
    """None, NaN, pandas' NA (a missing integer, e.g. payment terms) or NaT: not there.

    >>> [is_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, 0, "", 30)]
    [True, True, True, True, False, False, False]
    """
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def money(value: float | None, currency: str, *, compact: bool = True) -> str:
    """'USD 1.25M' (compact, for cards) or 'USD 1,250,000' (full).

    >>> money(1_250_000, "USD")
    'USD 1.25M'
    >>> money(1_250_000, "USD", compact=False)
    'USD 1,250,000'
    >>> money(-12_630, "EUR")  # sign before the currency
    '-EUR 12.63k'
    >>> money(99.5, "USD")  # under 100: cents
    'USD 99.50'
    >>> money(float("nan"), "USD")
    'n/a'
    """
    if is_missing(value):
        return NA
    sign = "-" if value < 0 else ""
    v = abs(value)
    if compact:
        for limit, suffix in ((1e9, "bn"), (1e6, "M"), (1e3, "k")):
            if v >= limit:
                return f"{sign}{currency} {v / limit:,.2f}{suffix}"
    return f"{sign}{currency} {v:,.0f}" if v >= 100 else f"{sign}{currency} {v:,.2f}"


def days(value: float | None) -> str:
    """Days with one decimal.

    >>> days(45.25)
    '45.2 days'
    >>> days(None)
    'n/a'
    """
    return NA if is_missing(value) else f"{value:,.1f} days"


def pct(value: float | None, digits: int = 1) -> str:
    """A share (0.25) as '25.0 %'.

    >>> pct(0.25)
    '25.0 %'
    >>> pct(0.12345, digits=2)
    '12.35 %'
    """
    return NA if is_missing(value) else f"{value * 100:,.{digits}f} %"


def index_points(value: float | None) -> str:
    """An index already on a 0-100 scale (CEI) as '87.3'.

    >>> index_points(87.25)
    '87.2'
    """
    return NA if is_missing(value) else f"{value:,.1f}"


def count(value: int | float | None) -> str:
    """A whole number with thousands separators (a float is cut, not rounded).

    >>> count(12345.9)
    '12,345'
    """
    return NA if is_missing(value) else f"{int(value):,}"


def hhi_points(value: float | None) -> str:
    """An HHI (0-10,000) without decimals.

    >>> hhi_points(1834.6)
    '1,835'
    """
    return NA if is_missing(value) else f"{value:,.0f}"


def delta(value: float | None, unit: str = "") -> str | None:
    """Text for a card's change; None hides it.

    >>> delta(2.345, " pp")
    '+2.3 pp'
    >>> delta(-1500)
    '-1,500.0'
    >>> delta(None) is None
    True
    """
    if is_missing(value):
        return None
    return f"{value:+,.1f}{unit}"


def as_of_line(as_of: date, currency: str, *details: str, filtered: str | None = None) -> str:
    """The line under a page's title: date, currency, what the page shows, whether the
    sidebar filters the customers (``filtered`` is the note then, None when it does not).

    >>> as_of_line(date(2025, 12, 31), "EUR", "DSO window 90 days", filtered="filtered")
    'As of 31 Dec 2025 · EUR · DSO window 90 days · filtered'
    >>> as_of_line(date(2025, 1, 5), "USD")
    'As of 05 Jan 2025 · USD'
    """
    parts = [f"As of {as_of:%d %b %Y}", currency, *details]
    return " · ".join(parts) + ("" if filtered is None else f" · {filtered}")


def amount_text(value: float) -> str:
    """An amount as a money field shows it: whole units with thousands separators.

    >>> amount_text(1_250_000.4)
    '1,250,000'
    """
    return f"{value:,.0f}"


def parse_amount(text: str) -> float:
    """An amount typed with or without thousands separators, e.g. '1,250,000' or '-2 500.5'.
    Raises ValueError for anything else (words, two numbers, inf, nan).

    >>> parse_amount(" 1,250,000 "), parse_amount("-2 500.5")
    (1250000.0, -2500.5)
    """
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("\u00a0", "")
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value
