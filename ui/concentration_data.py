"""What the Concentration page shows for one choice of level, measure, N and coverage, from
the cached snapshot (customer grain). Money comes back in the display currency."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.concentration import hhi, hhi_reading, top_n_share
from analytics.concentration_views import (
    concentration_summary,
    pareto_curve,
    top_units,
    treemap_nodes,
    unit_amounts,
)

from .concentration_figures import LEVEL_TITLES, MEASURE_TITLES
from .context import Context


@dataclass(frozen=True)
class ConcentrationView:
    top: pd.DataFrame  # top_units(), amount in the display currency
    curve: pd.DataFrame  # pareto_curve()
    n_units: int  # units with a positive amount
    total: float  # Σ positive amounts, display currency
    top_n_share: float | None
    hhi: float | None
    reading: str
    summary: pd.DataFrame  # concentration_summary(), level and measure as titles
    treemap: pd.DataFrame  # treemap_nodes(), balance in the display currency


def concentration_view(
    ctx: Context, coverage_pct: float, level: str, measure: str, n: int
) -> ConcentrationView:
    """Every figure of the page; ``coverage_pct`` (0-100) sets the insured part (spec §6)."""
    customers = ctx.snapshot(coverage=coverage_pct / 100).customers
    amounts = unit_amounts(customers, level, measure)
    value = hhi(amounts)
    return ConcentrationView(
        top=ctx.translate(top_units(customers, level, measure, n), ["amount"]),
        curve=pareto_curve(amounts),
        n_units=int((amounts > 0).sum()),
        total=float(amounts[amounts > 0].sum()) * ctx.rate,
        top_n_share=top_n_share(amounts, n),
        hhi=value,
        reading=hhi_reading(value),
        summary=concentration_summary(customers, n).replace(
            {"level": LEVEL_TITLES, "measure": MEASURE_TITLES}
        ),
        treemap=ctx.translate(treemap_nodes(customers), ["balance_amount"]),
    )
