"""Cached loaders for the Compare dates page, keyed by the database file, its mtime and both
dates' options (see ui/cache.py), and the two date inputs' values. The table helpers return
money in the display currency, translated at the sidebar date's rate for both dates (so a
change is the ledger's, not the exchange rate's)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.portfolio.compare import Comparison, comparison
from analytics.portfolio.snapshot import Options
from core.calendar import previous_month_end
from core.constants import DEFAULT_TOP_N
from core.filters import CustomerFilter

from . import cache
from .cache import LedgerKey
from .context import Context
from .text import plain

A_KEY, B_KEY = "cmp_a", "cmp_b"  # the date inputs "Compare" (A) and "with" (B)
PARAMS = {A_KEY: "compare", B_KEY: "with"}  # their names in the shareable link
UNITS = {"share": "%", "days": "days", "count": "customers"}  # money: the currency
CUSTOMER_MONEY = [
    "a_balance_amount", "b_balance_amount", "change_amount", "a_overdue_amount",
    "b_overdue_amount",
]  # fmt: skip


@st.cache_data(max_entries=16, show_spinner="Comparing the two dates…")
def cached_comparison(
    ledger: LedgerKey,
    options_a: Options,
    options_b: Options,
    customer_filter: CustomerFilter,
    n: int,
) -> Comparison:
    a = cache.cached_snapshot(ledger, options_a, customer_filter)
    b = cache.cached_snapshot(ledger, options_b, customer_filter)
    return comparison(a, b, n)


def date_label(day: date) -> str:
    """'30 Sep 2026': the dates as the cards, headers and chart name them."""
    return f"{day:%d %b %Y}"


def date_range(ctx: Context) -> tuple[date, date]:
    """The ledger's first and last dates: what both inputs may choose from."""
    last = ctx.info.last_date or ctx.settings.as_of
    return ctx.info.first_date or last, last


def default_dates(ctx: Context) -> tuple[date, date]:
    """A: the month-end before the sidebar date's month (the ledger's first day when it
    starts later); B: the sidebar date."""
    first, _ = date_range(ctx)
    as_of = ctx.settings.as_of
    return max(previous_month_end(as_of), first), as_of


def prepare_dates(ctx: Context, labels: dict[str, str]) -> list[str]:
    """Before the inputs are drawn, make each one's value (``labels``: key → label) a date
    in the ledger: a link's text is read; one never moved from its default follows the
    default (the sidebar date moves it); one chosen here survives a visit to another page
    (which drops a page's widget values); one that is not a date or lies outside the ledger
    falls back to its default. The link gets the dates in force (ui.components.in_url writes
    them only from the next run). Returns what fell back, in words."""
    first, last = date_range(ctx)
    defaults = dict(zip((A_KEY, B_KEY), default_dates(ctx), strict=True))
    notes = []
    for key, label in labels.items():
        default, kept = defaults[key], f"_{key}_kept"
        value = st.session_state.get(key, st.session_state.get(kept))
        if value is None or value == st.session_state.get(f"_{key}_default"):
            value = default
        value, note = _in_ledger(value, label, default, first, last)
        notes += [note] if note else []
        st.session_state[key] = st.session_state[kept] = value
        st.session_state[f"_{key}_default"] = default
        st.query_params[PARAMS[key]] = value.isoformat()
    return notes


def _in_ledger(value, label: str, default: date, first: date, last: date):
    """``value`` (a date or a link's text) as a date in [first, last], else ``default`` and
    a note saying why."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return (
                default,
                f"{label}: {plain(repr(value))} is not a date; using {date_label(default)}.",
            )
    if not isinstance(value, date):
        return default, None
    if not first <= value <= last:
        return default, (f"{label}: {date_label(value)} is outside the ledger "
                         f"({date_label(first)} to {date_label(last)}); using "
                         f"{date_label(default)}.")  # fmt: skip
    return value, None


def in_order(a: date, b: date) -> tuple[date, date, str | None]:
    """The two dates earlier first, and what to say when they were not (None when they were):
    the same date twice has nothing to compare; a later "Compare" date is swapped."""
    if a == b:
        return a, b, (f"Compare and with are both {date_label(a)}: there is nothing to compare. "
                      "Pick an earlier date under Compare.")  # fmt: skip
    if a > b:
        return b, a, (f"Compare ({date_label(a)}) is after with ({date_label(b)}): the dates "
                      f"are swapped, so {date_label(b)} is compared with {date_label(a)}.")  # fmt: skip
    return a, b, None


def caption(ctx: Context, a: date, b: date) -> str:
    """The line under the inputs: the dates, the currency (and its rate date when it is not
    the reporting one), whether the sidebar filters the customers."""
    s = ctx.settings
    parts = [f"{date_label(a)} compared with {date_label(b)}", ctx.currency]
    if ctx.currency != s.reporting_currency:
        parts.append(f"both dates at the {date_label(s.as_of)} rate")
    parts.append(f"buckets {', '.join(map(str, s.edges))} days")
    if not s.customer_filter.is_all:
        parts.append("filtered")
    return " · ".join(parts)


def compared(ctx: Context, a: date, b: date, n: int = DEFAULT_TOP_N) -> Comparison:
    """analytics.portfolio.compare.comparison of the sidebar's customers at ``a`` and ``b``
    (reporting currency; the sidebar's bucket edges and DSO window at both dates)."""
    s = ctx.settings
    return cached_comparison(ctx.ledger, ctx.options(a), ctx.options(b), s.customer_filter, n)


def headline_table(ctx: Context, result: Comparison) -> pd.DataFrame:
    """The headline frame as the table shows it: money rows in the display currency, shares
    in % (their change in percentage points), the unit in words."""
    out = result.headline.copy()
    scale = out["unit"].map({"money": ctx.rate, "share": 100.0}).fillna(1.0)
    values = ["a_value", "b_value", "change"]
    out[values] = out[values].mul(scale, axis=0)
    out["unit"] = out["unit"].map({**UNITS, "money": ctx.currency})
    return out


def aging_table(ctx: Context, result: Comparison) -> pd.DataFrame:
    """Open amount per bucket at both dates, in the display currency."""
    return ctx.translate(result.aging, ["a_amount", "b_amount", "change_amount"])


def customers_table(ctx: Context, result: Comparison) -> pd.DataFrame:
    """The largest customers at both dates, in the display currency."""
    return ctx.translate(result.customers, CUSTOMER_MONEY)
