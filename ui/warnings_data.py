"""Cached loaders for the Watchlist (early warnings), keyed by the ledger (file, mtime,
entity), the date and the thresholds. The per-customer inputs of a date are computed once
per late-item threshold (the one setting the queries take): moving any other threshold
re-applies the rules to cached inputs. The month-ends behind the first-seen dates are cached
one by one, so a new as-of date reuses the ones it shares with the last.

For the other pages: `warning_counts` (Overview), `customer_warning_rows` (Customer page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analytics.portfolio.snapshot import Options
from analytics.risk.promises import broken_by_customer, unmet_rows
from analytics.risk.score import grades_on
from analytics.risk.warning_inputs import (
    OtherInputs,
    customer_inputs,
    with_other_inputs,
)
from analytics.risk.warning_rules import RULES
from analytics.risk.warning_settings import DEFAULT_SETTINGS, WarningSettings
from analytics.risk.warnings import (
    Warnings,
    available_rules,
    customer_warnings,
    history_dates,
    rule_summary,
    selected,
    warning_rows,
    warnings_from,
    with_first_seen,
)
from core.calendar import previous_month_end
from core.errors import LedgerError
from core.filters import ALL_CUSTOMERS

from . import cache, collections_data, risk_data
from .cache import LedgerKey
from .context import Context


def other_inputs(
    ledger: LedgerKey, as_of: date, model_as_of: date, broken: pd.DataFrame | None = None
) -> OtherInputs:
    """The behavioural grades at ``as_of`` and at the month-end before it, both scored by the
    model as of ``model_as_of`` (the sidebar's date: one fit, and a downgrade is a change in
    the customer's behaviour, not a refit of the model), and the broken promises judged at
    the sidebar's date (``broken``; None at the earlier month-ends, so a broken promise is
    first seen on the date it is found)."""
    return OtherInputs(
        grades=cached_grades(ledger, model_as_of, as_of),
        previous_grades=cached_grades(ledger, model_as_of, previous_month_end(as_of)),
        broken_promises=broken,
    )


def broken_promises_now(ctx: Context) -> pd.DataFrame | None:
    """The customers with a promise or plan instalment passed unmet at the sidebar's date,
    from what collectors recorded (None when the workspace cannot be read: the rule is then
    not available rather than 0)."""
    try:
        book = collections_data.promise_book(ctx)
    except (LedgerError, OSError) as exc:
        st.caption(f"Broken promises not checked: {exc}")
        return None
    return broken_by_customer(unmet_rows(book))


@st.cache_data(max_entries=64, show_spinner=False)
def cached_grades(ledger: LedgerKey, model_as_of: date, day: date) -> dict[int, str]:
    """customer_key → behavioural grade on ``day`` by the model as of ``model_as_of``."""
    return grades_on(cache.connection(ledger), risk_data.cached_model(ledger, model_as_of), day)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_inputs(
    ledger: LedgerKey, as_of: date, late_days: int, _customers: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The rules' per-customer inputs at a date (``_customers``: the snapshot's rows when
    already cached; not part of the key, they follow from the ledger and date)."""
    return customer_inputs(cache.connection(ledger), as_of, late_days, _customers)


def _warnings_at(
    ledger: LedgerKey,
    as_of: date,
    settings: WarningSettings,
    model_as_of: date,
    customers=None,
    broken: pd.DataFrame | None = None,
) -> Warnings:
    other = other_inputs(ledger, as_of, model_as_of, broken)
    inputs = with_other_inputs(cached_inputs(ledger, as_of, settings.late_days, customers), other)
    return warnings_from(as_of, settings, inputs, available_rules(other))


@st.cache_data(max_entries=32, show_spinner="Checking the early-warning rules…")
def cached_warnings(
    ledger: LedgerKey, as_of: date, settings: WarningSettings, broken: pd.DataFrame | None = None
) -> Warnings:
    """The warnings at one date, no first-seen dates (what the counts need); ``broken``: the
    broken promises at that date (part of the key: recording a promise changes it)."""
    snap = cache.cached_snapshot(ledger, Options(as_of=as_of), ALL_CUSTOMERS)
    return _warnings_at(ledger, as_of, settings, as_of, snap.customers, broken)


@st.cache_data(
    max_entries=16, show_spinner="Looking back over 12 month-ends for when each warning started…"
)
def cached_watchlist(
    ledger: LedgerKey, as_of: date, settings: WarningSettings, broken: pd.DataFrame | None = None
) -> Warnings:
    """The warnings at a date with their first-seen dates."""
    earlier = [
        _warnings_at(ledger, day, settings, as_of)
        for day in history_dates(as_of, cache.info(ledger).first_date)
    ]
    return with_first_seen(cached_warnings(ledger, as_of, settings, broken), earlier)


@dataclass(frozen=True)
class WatchlistPage:
    warnings: Warnings
    summary: pd.DataFrame  # one row per rule: label, condition, customers (NaN: not available)
    rows: pd.DataFrame  # one row per customer × warning, money in the display currency


def watchlist_page(
    ctx: Context, settings: WarningSettings, rule: str | None, min_balance: float | None
) -> WatchlistPage:
    """The sidebar's customers with a balance of at least ``min_balance`` (display
    currency): counts per rule, and the rows of ``rule`` (None: every rule)."""
    w = cached_watchlist(ctx.ledger, ctx.settings.as_of, settings, broken_promises_now(ctx))
    keys = ctx.settings.customer_filter.customer_keys(cache.dimensions(ctx.ledger))
    floor = min_balance / ctx.rate if min_balance and ctx.rate == ctx.rate else None
    chosen = selected(w, keys, min_balance_amount=floor)
    shown = selected(w, keys, None if rule is None else [rule], floor)
    return WatchlistPage(w, rule_summary(w, chosen), warning_rows(w, shown, ctx.currency, ctx.rate))


def warning_counts(
    ctx: Context, settings: WarningSettings = DEFAULT_SETTINGS
) -> dict[str, int | None]:
    """Customers per rule among the sidebar's customers at its date (None: not available),
    in the spec's order: the Overview's counts."""
    w = cached_warnings(ctx.ledger, ctx.settings.as_of, settings, broken_promises_now(ctx))
    return w.counts(ctx.settings.customer_filter.customer_keys(cache.dimensions(ctx.ledger)))


def customer_warning_rows(
    ctx: Context, customer_id: str, settings: WarningSettings = DEFAULT_SETTINGS
) -> pd.DataFrame:
    """One customer's warnings at the sidebar's date with reasons and first-seen dates
    (empty when none fire): the Customer page's list."""
    w = cached_watchlist(ctx.ledger, ctx.settings.as_of, settings, broken_promises_now(ctx))
    return customer_warnings(w, customer_id, ctx.currency, ctx.rate)


def warning_count_line(ctx: Context) -> str:
    """'Late item 12 · Slower payer 3 · …': customers per rule that fires for any, in the
    spec's order (the Overview's line); rules not available are left out, none firing says so."""
    counts = warning_counts(ctx)
    parts = [f"{r.label} **{counts[r.name]:,}**" for r in RULES if counts.get(r.name)]
    return " · ".join(parts) if parts else "No early warning fires for this selection."
