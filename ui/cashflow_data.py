"""Cached loaders for the Cash flow page, keyed by the database file, its mtime, the options
and the customer filter (see ui/cache.py). Money leaves here in the display currency."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from analytics.cashflow.backtest import (
    METHODS,
    Backtest,
    backtest_origins,
    data_end,
    origin_weeks,
    summarise,
)
from analytics.cashflow.funding import Outflows, constant_outflows, funding_gap, outflows_from_csv
from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import PERIOD_COLUMNS, Projection, project, weekly_actuals
from analytics.cashflow.promised import promised_sentence
from analytics.risk.promises import expected_receipts
from core.errors import LedgerError
from core.filters import CustomerFilter

from . import cache, collections_data
from .cache import LedgerKey
from .context import Context

HISTORY_WEEKS = 26  # actual receipts shown before the as-of date
BACKTEST_BY_DEFAULT_MAX_DOCUMENTS = 250_000  # larger ledgers run the backtest on request
PERIOD_MONEY = [c for c in PERIOD_COLUMNS if c.endswith("_amount")]


def _keys(ledger: LedgerKey, customer_filter: CustomerFilter) -> list[int] | None:
    return customer_filter.customer_keys(cache.dimensions(ledger))


@st.cache_data(max_entries=32, show_spinner="Projecting receipts…")
def cached_projection(
    ledger: LedgerKey,
    options: CashflowOptions,
    customer_filter: CustomerFilter,
    promised: pd.DataFrame | None = None,
) -> Projection:
    keys = _keys(ledger, customer_filter)
    return project(cache.connection(ledger), options, keys, promised)


@st.cache_data(max_entries=32, show_spinner=False)
def cached_actuals(
    ledger: LedgerKey, as_of: date, weeks: int, customer_filter: CustomerFilter
) -> pd.DataFrame:
    con = cache.connection(ledger)
    keys = _keys(ledger, customer_filter)
    return weekly_actuals(con, as_of, HISTORY_WEEKS, weeks, data_end(con), keys)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_origin(
    ledger: LedgerKey, options: CashflowOptions, customer_filter: CustomerFilter
) -> pd.DataFrame:
    """One backtest origin (cached alone, so a rerun only computes origins it has not seen)."""
    con = cache.connection(ledger)
    keys = _keys(ledger, customer_filter)
    return origin_weeks(con, options, data_end(con), keys)


def options(ctx: Context, disputed: str, include_sales: bool) -> CashflowOptions:
    return CashflowOptions(as_of=ctx.settings.as_of, disputed=disputed, include_sales=include_sales)


def promised_receipts(ctx: Context) -> pd.DataFrame:
    """The open promises and plan instalments recorded in the workspace, as of the sidebar
    date with the default tolerance, as receipts (reporting currency) whose dates replace
    the model's timing for the items they cover (analytics.cashflow.promised)."""
    return expected_receipts(collections_data.promise_book(ctx))


def projection(ctx: Context, disputed: str, include_sales: bool) -> Projection:
    s = ctx.settings
    return cached_projection(ctx.ledger, options(ctx, disputed, include_sales),
                             s.customer_filter, promised_receipts(ctx))  # fmt: skip


def promised_note(ctx: Context, p: Projection) -> str | None:
    """One line saying what the promises and plans changed (None when they placed nothing)."""
    o = p.open_ar
    if not o.n_promised:
        return None
    return (f"{promised_sentence(o.n_promised, ctx.money(o.promised_amount))}: what they cover "
            "is expected on the promised dates, up to the items' open amount (recorded on the "
            "Collections worklist).")  # fmt: skip


@dataclass(frozen=True)
class Summary:
    """The page's cards, in the reporting currency (``ctx.money`` translates them)."""

    weeks: int
    receipts: float  # expected receipts over the projected weeks (Σ of the weekly expected)
    receipts_p10: float  # P10 and P90 of the weeks' total (not sums of weekly quantiles)
    receipts_p90: float
    from_open_ar: float
    from_new_sales: float
    collectible: float  # open AR expected to be collected at all
    not_expected: float  # never-paid share + disputed items left out
    credits_and_unapplied: float  # credit notes and overpayments (< 0) and cash on account
    is_empty: bool  # nothing open and no sales: nothing to project


def summary(p: Projection) -> Summary:
    totals = p.weekly_draws.sum(axis=1)
    o = p.open_ar
    return Summary(
        weeks=p.options.weeks,
        receipts=float(p.weekly["mean_amount"].sum()),
        receipts_p10=float(np.percentile(totals, 10)),
        receipts_p90=float(np.percentile(totals, 90)),
        from_open_ar=float(p.weekly["open_ar_amount"].sum()),
        from_new_sales=float(p.weekly["new_sales_amount"].sum()),
        collectible=o.collectible,
        not_expected=o.never_expected + o.disputed_excluded,
        credits_and_unapplied=o.credits - p.unapplied_amount,
        is_empty=bool(o.open_amount == 0 and not p.monthly["mean_amount"].any()),
    )


def nice(value: float) -> float:
    """Two significant digits (1,234,567 -> 1,200,000), for placeholder inputs."""
    if value <= 0:
        return 0.0
    step = 10 ** (len(str(int(value))) - 2)
    return float(round(value / step) * step) if step >= 1 else round(value, 2)


def funding_defaults(ctx: Context, s: Summary) -> dict[str, float]:
    """Placeholders (display currency) until treasury types its own: two weeks of expected
    receipts in the bank, one week's paid out every week, one week's as the buffer."""
    week = s.receipts * ctx.rate / max(s.weeks, 1)
    return {"cf_opening": nice(2 * week), "cf_outflow": nice(week), "cf_buffer": nice(week)}


def period_table(ctx: Context, p: Projection, monthly: bool) -> pd.DataFrame:
    """Weekly or monthly projection in the display currency."""
    return ctx.translate(p.monthly if monthly else p.weekly, PERIOD_MONEY)


def actuals(ctx: Context, weeks: int) -> pd.DataFrame:
    """Receipts per week: HISTORY_WEEKS before the as-of date and any the ledger holds after."""
    s = ctx.settings
    frame = cached_actuals(ctx.ledger, s.as_of, weeks, s.customer_filter)
    return ctx.translate(frame, ["receipts_amount"])


def backtest_dates(ctx: Context) -> list[date]:
    """The month-ends the backtest reads: the ledger's (at most 24), up to the as-of date."""
    con = ctx.connection()
    last = min(data_end(con) or ctx.settings.as_of, ctx.settings.as_of)
    return backtest_origins(ctx.info.first_date, last)


def backtest_by_default(ctx: Context) -> bool:
    return ctx.info.n_documents <= BACKTEST_BY_DEFAULT_MAX_DOCUMENTS


def run_backtest(
    ctx: Context, template: CashflowOptions, progress: Callable[[float, str], None]
) -> Backtest:
    """Every origin (cached one by one), reporting progress as it goes."""
    s = ctx.settings
    origins = backtest_dates(ctx)
    frames = []
    for i, origin in enumerate(origins):
        progress(i / len(origins), f"Backtest at {origin:%d %b %Y} ({i + 1} of {len(origins)})")
        frames.append(cached_origin(ctx.ledger, replace(template, as_of=origin),
                                    s.customer_filter))  # fmt: skip
    progress(1.0, "Backtest done")
    return summarise(frames, origins, template.weeks)


def backtest_table(result: Backtest) -> pd.DataFrame:
    """Method × horizon: mean absolute % error (and bias) of the cumulative receipts."""
    errors = result.errors
    wide = errors.pivot(index="method", columns="horizon_weeks", values="mape")
    bias = errors.pivot(index="method", columns="horizon_weeks", values="bias")
    wide.columns = [f"error_{h}w" for h in wide.columns]
    wide["bias_13w"] = bias[bias.columns.max()] if not bias.empty else np.nan
    order = ["Projection (ours)", "Due date", "13-week average"]
    return wide.reindex([m for m in order if m in wide.index]).reset_index()


def our_error(result: Backtest, weeks: int = 13) -> float:
    """The projection's mean absolute % error of the first ``weeks`` weeks' receipts."""
    e = result.errors
    mine = e[(e["method"] == METHODS["projection"]) & (e["horizon_weeks"] == weeks)]["mape"]
    return float(mine.iloc[0]) if len(mine) else float("nan")


def origin_totals(ctx: Context, result: Backtest, weeks: int = 13) -> pd.DataFrame:
    """Per origin: the first ``weeks`` weeks' receipts, actual and by each method."""
    w = result.weeks
    upto = w[w["period"] <= weeks]
    totals = upto.groupby("origin")[["actual", "projection", "due_date", "average"]].sum()
    return ctx.translate(totals.reset_index(), ["actual", "projection", "due_date", "average"])


@dataclass(frozen=True)
class FundingInputs:
    opening_cash: float
    buffer: float
    weekly_outflow: float
    upload: bytes | None = None
    upload_name: str = "outflows.csv"


@dataclass(frozen=True)
class Funding:
    gap: pd.DataFrame | None  # analytics.cashflow.funding.FUNDING_COLUMNS, display currency
    outflows: Outflows | None
    error: str | None  # an unreadable outflow file, said in one line

    @property
    def n_flagged(self) -> int:
        """Weeks short or at risk."""
        return int((self.gap["status"] != "ok").sum())

    @property
    def largest_shortfall(self) -> tuple[float, float]:
        """The largest weekly shortfall in the median case (P50 cash) and in the pessimistic
        case (P10 cash; the 90th percentile of the shortfall)."""
        return (float(self.gap["shortfall_p50_amount"].max()),
                float(self.gap["shortfall_p90_amount"].max()))  # fmt: skip


def funding(ctx: Context, p: Projection, inputs: FundingInputs) -> Funding:
    """The funding gap in the display currency (inputs are display-currency amounts)."""
    weeks, as_of = p.options.weeks, p.options.as_of
    try:
        if inputs.upload is not None:
            outflows = outflows_from_csv(inputs.upload, as_of, weeks, inputs.upload_name)
        else:
            outflows = constant_outflows(inputs.weekly_outflow, weeks)
    except LedgerError as exc:
        return Funding(None, None, str(exc))
    gap = funding_gap(p.weekly_draws * ctx.rate, as_of, outflows, inputs.opening_cash,
                      inputs.buffer)  # fmt: skip
    return Funding(gap, outflows, None)
