"""Cached loaders for the DSO & collections page (keyed by database, file mtime and settings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analytics.metrics.dso_bridge import dso_bridge
from analytics.portfolio.collections import (
    PortfolioBehaviour,
    payment_behaviour,
    portfolio_behaviour,
    settled_by_customer,
)
from core.constants import TREND_MONTHS
from core.filters import CustomerFilter

from . import cache
from .cache import LedgerKey
from .context import Context


@st.cache_data(max_entries=32, show_spinner="Reading settled invoices…")
def settled(
    ledger: LedgerKey, as_of: date, months: int, customer_filter: CustomerFilter
) -> pd.DataFrame:
    """Weighted days-to-pay sums per customer for invoices settled in (D − months, D]."""
    keys = customer_filter.customer_keys(cache.dimensions(ledger))
    return settled_by_customer(cache.connection(ledger), as_of, months, keys)


def behaviour(ctx: Context, months: int) -> tuple[pd.DataFrame, PortfolioBehaviour]:
    """Per-customer and portfolio payment behaviour for the sidebar's selection."""
    s = ctx.settings
    sums = settled(ctx.ledger, s.as_of, months, s.customer_filter)
    return payment_behaviour(sums), portfolio_behaviour(sums)


@dataclass(frozen=True)
class DsoTrends:
    trend: pd.DataFrame  # the last TREND_MONTHS month-ends, oldest first
    bridge: pd.DataFrame  # one row per month of ``trend``
    has_dso: bool  # some month-end has a defined standard DSO
    has_bridge: bool  # some month has a defined bridge


def dso_trends(ctx: Context) -> DsoTrends:
    """The last TREND_MONTHS month-ends and their DSO bridge (one extra month-end is read so
    that the first month shown has a month before it; a ledger younger than that shows every
    month-end it has)."""
    trend = ctx.trend(TREND_MONTHS + 1)
    bridge = dso_bridge(trend, ctx.settings.window_days)
    shown = trend.iloc[1:] if len(trend) > TREND_MONTHS else trend
    shown = shown.reset_index(drop=True)
    return DsoTrends(
        trend=shown,
        bridge=bridge,
        has_dso=bool(shown["dso_standard"].notna().any()),
        has_bridge=bool(bridge["dso_change"].notna().any()),
    )
