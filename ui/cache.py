"""Cached access to the ledger: one connection per database file, query results keyed by
their arguments and a `LedgerKey` (the file, its modification time, so a reload invalidates
everything, and the legal entity the figures are for)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analytics.portfolio.ledger import (
    LedgerInfo,
    customer_dimensions,
    display_currencies,
    entity_names,
    ledger_info,
)
from analytics.portfolio.report import PortfolioMetrics, portfolio_metrics, translation_rate
from analytics.portfolio.snapshot import Options, Snapshot, snapshot
from analytics.portfolio.trend import monthly_trend
from core.errors import LedgerError
from core.filters import CustomerFilter
from engines.base import Engine
from engines.duckdb import connect


@dataclass(frozen=True)
class LedgerKey:
    """Which ledger a cached result is of: the database file, its modification time (a
    reloaded file is a new key) and the legal entity (None: consolidated, spec §8)."""

    db_path: str
    mtime: float
    entity: str | None = None


class LedgerReplaced(Exception):
    """The file was replaced between reading its modification time and opening it: the
    engine would hold the new ledger under the old key. The caller reruns the view."""


@st.cache_resource(max_entries=4)
def _engine(db_path: str, mtime: float) -> Engine:
    """One read-only engine per database file; `mtime` makes a reloaded file a new entry.

    A load replaces the file in one rename (data/loader.py), so the file opened is either the
    one whose mtime the caller read or a newer one; the second is refused (never cached) so a
    view is never computed half from one ledger and half from the next."""
    engine = connect(db_path)
    if os.stat(db_path).st_mtime != mtime:
        engine.close()
        raise LedgerReplaced(db_path)
    return engine


def connection(ledger: LedgerKey) -> Engine:
    """The ledger's engine, scoped to its entity (sharing the file's one connection)."""
    return _engine(ledger.db_path, ledger.mtime).scoped(ledger.entity)


@st.cache_data(max_entries=8, show_spinner=False)
def entities(db_path: str, mtime: float) -> list[str]:
    """The ledger's legal entities (one, `default`, when it names none)."""
    return entity_names(_engine(db_path, mtime))


@st.cache_data(max_entries=8, show_spinner=False)
def info(ledger: LedgerKey) -> LedgerInfo:
    return ledger_info(connection(ledger))


@st.cache_data(max_entries=8, show_spinner=False)
def dimensions(ledger: LedgerKey) -> pd.DataFrame:
    return customer_dimensions(connection(ledger))


@st.cache_data(max_entries=32, show_spinner=False)
def currencies(ledger: LedgerKey, as_of: date) -> list[str]:
    return display_currencies(connection(ledger), as_of)


@st.cache_data(max_entries=64, show_spinner="Computing the portfolio as of the date…")
def cached_snapshot(
    ledger: LedgerKey, options: Options, customer_filter: CustomerFilter
) -> Snapshot:
    return snapshot(connection(ledger), options, customer_filter)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_metrics(
    ledger: LedgerKey, options: Options, customer_filter: CustomerFilter, top_n: int
) -> PortfolioMetrics:
    return portfolio_metrics(cached_snapshot(ledger, options, customer_filter), top_n)


@st.cache_data(max_entries=32, show_spinner="Computing the month-end trend…")
def cached_trend(
    ledger: LedgerKey,
    as_of: date,
    window_days: int,
    customer_filter: CustomerFilter,
    months: int,
) -> pd.DataFrame:
    keys = customer_filter.customer_keys(dimensions(ledger))
    return monthly_trend(connection(ledger), as_of, window_days, months, keys)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_translation_rate(ledger: LedgerKey, as_of: date, currency: str) -> float:
    """Reporting → display currency at the as-of closing rate (1 for the reporting currency)."""
    con = connection(ledger)
    reporting = info(ledger).reporting_currency
    try:
        return translation_rate(con, as_of, currency, reporting)
    except LedgerError:
        return float("nan")
