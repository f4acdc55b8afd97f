"""Cached loaders for the Risk pages, keyed by the ledger (file, mtime, entity), the as-of
date and the page's options. The expected credit loss, its allowance movement and the roll
rates are each computed once per key; the frames the page shows come from analytics."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from analytics.risk import ecl_view, grades_view
from analytics.risk.allowance import AllowanceMovement, allowance_movement
from analytics.risk.ecl import Ecl, EclOptions, ecl_by, ecl_by_grade, expected_credit_loss
from analytics.risk.grades import grade_migration
from analytics.risk.limits import (
    REASONS,
    LimitSettings,
    limited_totals,
    recommended_limits,
    review_table,
)
from analytics.risk.loss_rates import calibration
from analytics.risk.model import BehaviouralModel, behavioural_model
from analytics.risk.roll_rates import roll_rates
from analytics.risk.score import grades_on
from core.filters import CustomerFilter
from stores.decisions import DecisionStore
from stores.workspace import Workspace

from . import cache
from .cache import LedgerKey
from .context import Context
from .settings import data_dir

GROUPINGS = {  # the page's "Expected loss by" choice -> the Ecl column
    "Segment": "segment",
    "Behavioural grade": "grade",
    "Risk rating": "risk_rating",
    "Entity": "entity",
    "Customer": "customer_id",
}


@st.cache_data(max_entries=32, show_spinner="Calibrating loss rates and the expected credit loss…")
def cached_ecl(ledger: LedgerKey, options: EclOptions, customer_filter: CustomerFilter) -> Ecl:
    return expected_credit_loss(cache.connection(ledger), options, customer_filter)


@st.cache_data(max_entries=16, show_spinner="Following each bucket's amount month to month…")
def cached_roll_rates(ledger: LedgerKey, as_of: date, edges: tuple[int, ...]) -> pd.DataFrame:
    cal = calibration(cache.connection(ledger), as_of=as_of, edges=edges)
    return roll_rates(cal, edges)


@dataclass(frozen=True)
class EclPage:
    ecl: Ecl
    matrix: pd.DataFrame  # provision matrix: buckets, disputed line, total
    calibration: pd.DataFrame
    coverage: float | None  # allowance ÷ receivables it covers
    movement: AllowanceMovement | None  # None when the opening date is not before the as-of
    movement_rows: pd.DataFrame | None


def ecl_page(ctx: Context, options: EclOptions, opening: date | None) -> EclPage:
    """The ECL as of the sidebar date with the page's options, and the movement of the
    allowance from ``opening`` (same options, each date's own calibration)."""
    s = ctx.settings
    ecl = cached_ecl(ctx.ledger, options, s.customer_filter)
    movement = None
    if opening is not None and opening < options.as_of:
        before = cached_ecl(ctx.ledger, replace(options, as_of=opening), s.customer_filter)
        movement = allowance_movement(before, ecl)
    return EclPage(
        ecl=ecl,
        matrix=ecl_view.provision_matrix(ecl),
        calibration=ecl_view.calibration_table(ecl.loss_rates),
        coverage=ecl_view.coverage_ratio(ecl),
        movement=movement,
        movement_rows=None if movement is None else ecl_view.movement_rows(movement),
    )


def ecl_by_choice(ctx: Context, page: EclPage, by_label: str) -> pd.DataFrame:
    """The ECL summed by the page's choice (one of GROUPINGS), largest gross expected loss first
    (by behavioural grade: the model's grades as of the sidebar date)."""
    column = GROUPINGS[by_label]
    if column == "grade":
        frame = ecl_by_grade(page.ecl, grades_by_customer(ctx))
    else:
        frame = ecl_by(page.ecl, column)
    # the totals first, so they show without scrolling at 1280 px; a customer keeps its name
    first = [column, "name"] if column == "customer_id" else [column]
    order = [*first, "open_amount", "gross_ecl_amount", "net_ecl_amount", "ecl_amount",
             "disputed_open_amount", "disputed_ecl_amount"]  # fmt: skip
    return frame[[c for c in order if c in frame.columns]]


def roll_rates_of(ctx: Context, as_of: date) -> pd.DataFrame:
    return cached_roll_rates(ctx.ledger, as_of, ctx.settings.edges)


# what a reviewer reads first (the decision, then why), then the arithmetic, then the rest
LIMIT_COLUMNS = [
    "customer_id", "name", "grade", "credit_limit", "recommended_limit", "gap_share", "reasons",
    "exposure_amount", "utilisation", "credit_limit_date", "months_since_review",
    "monthly_sales_amount", "terms_days", "multiplier", "raw_amount", "rounded_amount",
    "insured_floor_applied", "full_amount", "staged_share", "is_staged", "first_invoice_date",
    "step_up_date", "history_months", "grade_source", "customer_key",
]  # fmt: skip


@st.cache_data(max_entries=16, show_spinner="Recommending limits…")
def cached_limits(
    ledger: LedgerKey, as_of: date, settings: LimitSettings, customer_filter: CustomerFilter
) -> pd.DataFrame:
    # the behavioural grade where there is one
    grades = grades_on(cache.connection(ledger), cached_model(ledger, as_of), as_of)
    return recommended_limits(cache.connection(ledger), as_of, grades, settings, customer_filter)


@dataclass(frozen=True)
class LimitsReview:
    table: pd.DataFrame  # every customer: recommendation, gap, reasons
    queue: pd.DataFrame  # those with a reason to review
    counts: dict[str, int]  # customers per reason
    totals: tuple[float, float]  # Σ current limits, Σ recommendations, of customers with a limit


def limits_review(ctx: Context, settings: LimitSettings) -> LimitsReview:
    """Recommended limits as of the sidebar date and the review queue (spec §11)."""
    s = ctx.settings
    limits = cached_limits(ctx.ledger, s.as_of, settings, s.customer_filter)
    decided = DecisionStore(Workspace.in_folder(data_dir())).last_limit_decision_dates(s.as_of)
    table = review_table(limits, ctx.snapshot().customers, s.as_of, settings, decided)
    table = table[[c for c in LIMIT_COLUMNS if c in table.columns]]
    queue = table[table["reasons"] != ""].reset_index(drop=True)
    counts = {r: int(queue["reasons"].str.contains(r, regex=False).sum()) for r in REASONS}
    return LimitsReview(table, queue, counts, limited_totals(table))


@st.cache_resource(max_entries=8, show_spinner="Fitting the behavioural model and validating it…")
def cached_model(ledger: LedgerKey, as_of: date) -> BehaviouralModel:
    """The model as of ``as_of``, held rather than pickled (its observations are every
    customer at 37 dates: about 1.6 MB on the 60k-invoice sample, some 270 MB at 10M, which
    st.cache_data would unpickle on every rerun of every page that reads it); read-only."""
    return behavioural_model(cache.connection(ledger), as_of=as_of)


@dataclass(frozen=True)
class GradesPage:
    model: BehaviouralModel
    customers: pd.DataFrame  # graded customers of the sidebar's selection
    distribution: pd.DataFrame
    figures: dict[str, float | None]  # out-of-time validation
    migration: pd.DataFrame | None  # grade at ``before`` (rows) → at the as-of (columns)


def grades_page(ctx: Context, before: date | None) -> GradesPage:
    """The model as of the sidebar date, its customers (sidebar filter) and the migration from
    the grades the model as of ``before`` gave (each date its own model: no look-ahead)."""
    s = ctx.settings
    model = cached_model(ctx.ledger, s.as_of)
    dims = cache.dimensions(ctx.ledger)
    keys = s.customer_filter.customer_keys(dims)
    shown = dims if keys is None else dims[dims["customer_key"].isin(keys)]
    customers = grades_view.graded_customers(model, shown)
    migration = None
    if before is not None and before < s.as_of:
        earlier = cached_model(ctx.ledger, before).scores
        now = model.scores
        if keys is not None:
            earlier, now = (f[f["customer_key"].isin(keys)] for f in (earlier, now))
        migration = grade_migration(earlier, now)
    return GradesPage(
        model, customers, grades_view.grade_distribution(customers),
        grades_view.validation_figures(model), migration,
    )  # fmt: skip


def grades_by_customer(ctx: Context) -> dict[int, str]:
    """customer_key → behavioural grade as of the sidebar date (graded customers only), for
    the limits recommendation and the expected loss by grade."""
    as_of = ctx.settings.as_of
    return grades_on(cache.connection(ctx.ledger), cached_model(ctx.ledger, as_of), as_of)
