"""Cached loaders for the Aging page, keyed by the database file, its mtime and the options
(see ui/cache.py). The ``ctx`` helpers return money in the display currency."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.metrics.aging import bucket_labels
from analytics.portfolio.aging_view import (
    TOTAL_COLUMNS,
    aging_history,
    disputed_by_bucket,
    disputed_columns,
    group_aging,
    group_customer_keys,
    open_items_detail,
)
from analytics.portfolio.snapshot import Options
from core.constants import TREND_MONTHS
from core.filters import CustomerFilter

from . import cache
from .cache import LedgerKey
from .context import Context

MAX_ITEM_ROWS = 5_000  # open items shown on screen; the downloads hold every row


@st.cache_data(max_entries=32, show_spinner=False)
def cached_disputed(ledger: LedgerKey, options: Options) -> pd.DataFrame:
    return disputed_by_bucket(cache.connection(ledger), options)


@st.cache_data(max_entries=32, show_spinner="Aging the open items at each month-end…")
def cached_history(
    ledger: LedgerKey, options: Options, customer_filter: CustomerFilter, months: int
) -> pd.DataFrame:
    keys = customer_filter.customer_keys(cache.dimensions(ledger))
    first = cache.info(ledger).first_date
    return aging_history(cache.connection(ledger), options, keys, months, start=first)


@st.cache_data(max_entries=16, show_spinner="Loading the open items…")
def cached_open_items(
    ledger: LedgerKey, options: Options, customer_keys: tuple[int, ...] | None
) -> pd.DataFrame:
    keys = None if customer_keys is None else list(customer_keys)
    return open_items_detail(cache.connection(ledger), options, keys)


def _money_columns(ctx: Context) -> list[str]:
    labels = bucket_labels(ctx.settings.edges)
    return [*labels, *TOTAL_COLUMNS, *disputed_columns(labels)]


def group_table(ctx: Context, basis: str, by: str) -> pd.DataFrame:
    """Aging by ``by`` (analytics.portfolio.aging_view.group_aging) in the display currency."""
    s, options = ctx.settings, ctx.options(basis=basis)
    customers = ctx.snapshot(basis=basis).customers
    disputed = cached_disputed(ctx.ledger, options)
    return ctx.translate(group_aging(customers, disputed, by, s.edges), _money_columns(ctx))


def history(ctx: Context, basis: str, months: int = TREND_MONTHS) -> pd.DataFrame:
    """Aging at the last ``months`` month-ends, in the display currency (as-of rate); empty
    when no month-end falls in the ledger or nothing was open or unapplied at any of them."""
    s = ctx.settings
    frame = cached_history(ctx.ledger, ctx.options(basis=basis), s.customer_filter, months)
    money = [*bucket_labels(s.edges), "disputed_amount", "unapplied_amount"]
    if not frame[money].to_numpy().any():
        return frame.iloc[0:0]
    return ctx.translate(frame, money)


def open_items(ctx: Context, basis: str, by: str, value: str | None) -> pd.DataFrame:
    """Open documents of the customers in group ``value`` of ``by`` (every customer in the
    sidebar's selection when None), with the open amount also in the display currency."""
    s = ctx.settings
    if value is None:
        keys = s.customer_filter.customer_keys(cache.dimensions(ctx.ledger))
    else:
        keys = group_customer_keys(ctx.snapshot(basis=basis).customers, by, value)
    frame = cached_open_items(
        ctx.ledger, ctx.options(basis=basis), None if keys is None else tuple(keys)
    )
    frame = ctx.translate(frame, ["open_amount_rc"])
    return frame.rename(columns={"open_amount_rc": f"open_amount_{ctx.currency}"})
