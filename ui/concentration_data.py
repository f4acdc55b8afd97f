"""What the Concentration page shows for one choice of level, measure, N and coverage, from
the cached snapshot (customer grain). Money comes back in the display currency."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.portfolio.concentration_view import (
    concentration_summary,
    pareto_curve,
    top_units,
    treemap_nodes,
    unit_amounts,
)
from reports.columns import LEVEL_TITLES, MEASURE_TITLES

from .context import Context


@dataclass(frozen=True)
class ConcentrationView:
    top: pd.DataFrame  # top_units(), amount in the display currency
    curve: pd.DataFrame  # pareto_curve()
    figures: pd.Series  # the chosen level × measure row of the summary
    summary: pd.DataFrame  # concentration_summary(), titles for level and measure, display ccy
    treemap: pd.DataFrame  # treemap_nodes(), balance in the display currency


def concentration_view(
    ctx: Context, coverage_pct: float, level: str, measure: str, n: int
) -> ConcentrationView:
    """Every figure of the page; ``coverage_pct`` (0-100) sets the insured part (spec §6)."""
    customers = ctx.snapshot(coverage=coverage_pct / 100).customers
    summary = ctx.translate(concentration_summary(customers, n), ["total_amount"])
    chosen = (summary["level"] == level) & (summary["measure"] == measure)
    return ConcentrationView(
        top=ctx.translate(top_units(customers, level, measure, n), ["amount"]),
        curve=pareto_curve(unit_amounts(customers, level, measure)),
        figures=summary[chosen].iloc[0],
        summary=summary.replace({"level": LEVEL_TITLES, "measure": MEASURE_TITLES}),
        treemap=ctx.translate(treemap_nodes(customers), ["balance_amount"]),
    )
