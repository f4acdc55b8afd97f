"""Early warnings in words: a rule's templates filled with the values that fired it.

A template's fields are input columns (read as ``VALUE_KINDS`` says) or setting fields (read
as their threshold's kind). Money is in the display currency (reporting amount × ``rate``),
whole units; shares one decimal ("4.2 %", "10 %"); days whole ("23 days", "1 day"); days
late signed ("4 days late", "3 days early", "on time"); factors as "1.3 ×".
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date
from functools import cache

import pandas as pd

from analytics.risk.warning_rules import VALUE_KINDS
from analytics.risk.warning_settings import BY_FIELD, WarningSettings

NA = "n/a"
SETTING_KINDS = {"days": "days", "share": "pct", "factor": "ratio", "count": "count"}


def render(
    template: str,
    values: Mapping[str, object],
    settings: WarningSettings,
    currency: str,
    rate: float = 1.0,
) -> str:
    """``template`` with each field read from ``values`` (an input row) or ``settings``.

    >>> render("paid {slower_by_days} later than its norm of {norm_late_days}",
    ...        {"slower_by_days": 23.0, "norm_late_days": 4.0}, WarningSettings(), "USD")
    'paid 23 days later than its norm of 4 days late'
    >>> render("> {late_days}, ≥ {late_share}", {}, WarningSettings(), "USD")
    '> 15 days, ≥ 1 %'
    """
    out = {}
    for field in fields_of(template):
        if field in BY_FIELD:
            kind = SETTING_KINDS[BY_FIELD[field].kind]
            out[field] = read(getattr(settings, field), kind, currency, rate)
        else:
            out[field] = read(values.get(field), VALUE_KINDS[field], currency, rate)
    return template.format(**out)


@cache
def fields_of(template: str) -> tuple[str, ...]:
    """The names of a template's fields."""
    return tuple(f for _, f, _, _ in string.Formatter().parse(template) if f is not None)


def read(value, kind: str, currency: str, rate: float = 1.0) -> str:
    """One value in words.

    >>> [read(v, k, "EUR", 2.0) for v, k in ((1234.4, "money"), (0.042, "pct"), (0.1, "pct"),
    ...   (1.0, "days"), (-3.2, "late"), (1.85, "ratio"), (None, "money"))]
    ['EUR 2,469', '4.2 %', '10 %', '1 day', '3 days early', '1.85 ×', 'n/a']
    """
    if _missing(value):
        return NA
    if kind == "money":
        amount = value * rate
        return f"{'-' if amount < 0 else ''}{currency} {abs(amount):,.0f}"
    if kind == "pct":
        return f"{_trim(f'{value * 100:,.1f}')} %"
    if kind == "days":
        return _days(value)
    if kind == "late":
        whole = round(value)
        return (
            "on time" if whole == 0 else f"{_days(abs(whole))} {'late' if whole > 0 else 'early'}"
        )
    if kind == "ratio":
        return f"{_trim(f'{value:,.2f}')} ×"
    if kind == "count":
        return f"{int(value):,}"
    if kind == "date" and isinstance(value, date):
        return f"{value:%d %b %Y}"
    return str(value)


def _missing(value) -> bool:
    if isinstance(value, float):  # most values: the fast way
        return value != value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # not a scalar
        return False


def _days(value: float) -> str:
    whole = round(value)
    return f"{whole:,} day{'' if abs(whole) == 1 else 's'}"


def _trim(number: str) -> str:
    """'10.0' -> '10', '1.30' -> '1.3'."""
    return number.rstrip("0").rstrip(".") if "." in number else number
