"""Data for the Credit limits page: the cached snapshot (with the page's insurance coverage)
turned into the limit views. The views are linear in customers, so they are not cached
separately; the snapshot under them is (ui/cache.py)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.portfolio import limits_view as limit_views
from analytics.portfolio.limits_view import LimitSummary

from .context import Context


@dataclass(frozen=True)
class LimitsPage:
    summary: LimitSummary
    utilisation: pd.Series  # of customers with a limit
    over_limit: pd.DataFrame
    no_limit: pd.DataFrame
    by_rating: pd.DataFrame


def limits_page(ctx: Context, coverage: float) -> LimitsPage:
    """Spec §6 views as of the sidebar date; ``coverage`` is a share (0.9 = 90 %)."""
    customers = ctx.snapshot(coverage=coverage).customers
    return LimitsPage(
        summary=limit_views.limit_summary(customers),
        utilisation=limit_views.limited_utilisation(customers),
        over_limit=limit_views.over_limit(customers),
        no_limit=limit_views.no_limit_exposure(customers),
        by_rating=limit_views.by_rating(customers),
    )
