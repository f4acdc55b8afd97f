"""The Concentration page's cards (figures: reports/figures/concentration.py; columns:
reports/columns.py)."""

from __future__ import annotations

import pandas as pd

from reports import format

from .components import Card, card_row


def hhi_colour(reading: str) -> str:
    """st.metric delta colour for an HHI reading."""
    return {"unconcentrated": "green", "moderately concentrated": "orange"}.get(
        reading, "red" if reading.startswith("highly") else "gray"
    )


def concentration_cards(f: pd.Series, units: str, top_n: int, currency: str) -> None:
    """Units, total, top-N share and HHI of the chosen level and measure (a summary row)."""
    card_row([
        Card(units.capitalize(), format.count(f.n_units),
             "How many hold a positive amount: only these have a share (definitions: docs/metrics.md)."),
        Card(f"Total ({currency})", format.money(f.total_amount, "").strip(),
             "Σ positive amounts of the units (definitions: docs/metrics.md)."),
        Card(f"Top-{top_n} share", format.pct(f.top_n_share),
             f"Share held by the {top_n} largest {units} (definitions: docs/metrics.md)."),
        Card("HHI", format.hhi_points(f.hhi), "Σ (100 · share)², 0-10,000: unconcentrated < "
             "1,500 ≤ moderately concentrated ≤ 2,500 < highly concentrated (definitions: docs/metrics.md).",
             delta=f.reading, delta_color=hhi_colour(f.reading), delta_arrow="off"),
    ])  # fmt: skip
