"""What a page needs from the sidebar: settings plus cached, currency-aware accessors."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from analytics.portfolio.ledger import LedgerInfo
from analytics.portfolio.report import PortfolioMetrics
from analytics.portfolio.snapshot import Options, Snapshot
from reports import format

from . import cache
from .settings import Settings

CONTEXT_KEY = "_context"


@dataclass(frozen=True)
class Context:
    settings: Settings
    mtime: float
    info: LedgerInfo
    rate: float  # reporting-currency amount × rate = display-currency amount

    @property
    def ledger(self) -> cache.LedgerKey:
        """The cache key of the ledger and entity the sidebar shows."""
        s = self.settings
        return cache.LedgerKey(s.db_path, self.mtime, s.entity)

    # --- options and cached results ---------------------------------------------------
    def options(self, as_of: date | None = None, **overrides) -> Options:
        s = self.settings
        base = Options(as_of=as_of or s.as_of, edges=s.edges, window_days=s.window_days)
        return replace(base, **overrides) if overrides else base

    def snapshot(self, as_of: date | None = None, **overrides) -> Snapshot:
        s = self.settings
        return cache.cached_snapshot(
            self.ledger, self.options(as_of, **overrides), s.customer_filter
        )

    def metrics(self, as_of: date | None = None, top_n: int = 10) -> PortfolioMetrics:
        s = self.settings
        return cache.cached_metrics(self.ledger, self.options(as_of), s.customer_filter, top_n)

    def metrics_at_or_none(self, earlier: date, top_n: int = 10) -> PortfolioMetrics | None:
        """The same figures at an earlier date, or None before the ledger starts."""
        if self.info.first_date is None or earlier < self.info.first_date:
            return None
        return self.metrics(earlier, top_n)

    def trend(self, months: int = 24) -> pd.DataFrame:
        s = self.settings
        return cache.cached_trend(self.ledger, s.as_of, s.window_days, s.customer_filter, months)

    def connection(self):
        return cache.connection(self.ledger)

    # --- money in the display currency ------------------------------------------------
    @property
    def currency(self) -> str:
        return self.settings.currency

    def money(self, value: float | None, compact: bool = True) -> str:
        if format.is_missing(value):
            return format.NA
        return format.money(value * self.rate, self.currency, compact=compact)

    def translate(self, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
        """A copy with the money columns in the display currency."""
        out = frame.copy()
        out[columns] = out[columns] * self.rate
        return out


def set_context(ctx: Context | None) -> None:
    st.session_state[CONTEXT_KEY] = ctx


def require_context() -> Context:
    """The sidebar's context; stops the page with a pointer to the Data page when no ledger."""
    ctx = st.session_state.get(CONTEXT_KEY)
    if ctx is None:
        st.info("No ledger is loaded yet. Open **Data** to load a ledger folder or upload files.")
        st.stop()
    return ctx
