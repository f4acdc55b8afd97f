"""Cached access to the ledger: one connection per database file, query results keyed by
their arguments and the file's modification time (a reload invalidates everything)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.portfolio.ledger import (
    LedgerInfo,
    customer_dimensions,
    display_currencies,
    ledger_info,
)
from analytics.portfolio.report import PortfolioMetrics, portfolio_metrics, translation_rate
from analytics.portfolio.snapshot import Options, Snapshot, snapshot
from analytics.portfolio.trend import monthly_trend
from core.errors import LedgerError
from core.filters import CustomerFilter
from engines.base import Engine
from engines.duckdb import connect


@st.cache_resource(max_entries=4)
def connection(db_path: str, mtime: float) -> Engine:
    """Read-only connection; `mtime` makes a reloaded file a new cache entry."""
    return connect(db_path)


@st.cache_data(max_entries=8, show_spinner=False)
def info(db_path: str, mtime: float) -> LedgerInfo:
    return ledger_info(connection(db_path, mtime))


@st.cache_data(max_entries=8, show_spinner=False)
def dimensions(db_path: str, mtime: float) -> pd.DataFrame:
    return customer_dimensions(connection(db_path, mtime))


@st.cache_data(max_entries=32, show_spinner=False)
def currencies(db_path: str, mtime: float, as_of: date) -> list[str]:
    return display_currencies(connection(db_path, mtime), as_of)


@st.cache_data(max_entries=64, show_spinner="Computing the portfolio as of the date…")
def cached_snapshot(
    db_path: str, mtime: float, options: Options, customer_filter: CustomerFilter
) -> Snapshot:
    return snapshot(connection(db_path, mtime), options, customer_filter)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_metrics(
    db_path: str, mtime: float, options: Options, customer_filter: CustomerFilter, top_n: int
) -> PortfolioMetrics:
    return portfolio_metrics(cached_snapshot(db_path, mtime, options, customer_filter), top_n)


@st.cache_data(max_entries=32, show_spinner="Computing the month-end trend…")
def cached_trend(
    db_path: str,
    mtime: float,
    as_of: date,
    window_days: int,
    customer_filter: CustomerFilter,
    months: int,
) -> pd.DataFrame:
    keys = customer_filter.customer_keys(dimensions(db_path, mtime))
    return monthly_trend(connection(db_path, mtime), as_of, window_days, months, keys)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_translation_rate(db_path: str, mtime: float, as_of: date, currency: str) -> float:
    """Reporting → display currency at the as-of closing rate (1 for the reporting currency)."""
    con = connection(db_path, mtime)
    reporting = info(db_path, mtime).reporting_currency
    try:
        return translation_rate(con, as_of, currency, reporting)
    except LedgerError:
        return float("nan")
