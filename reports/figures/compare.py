"""Figures of the Compare dates page. Inputs are already in the display currency."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import money_axis, style

A_COLOUR = "#a9cce3"  # the earlier date, light
B_COLOUR = "#1f4e79"  # the later date, dark


def aging_comparison_bar(
    aging: pd.DataFrame, a_label: str, b_label: str, currency: str
) -> go.Figure:
    """Open amount per bucket at date A and at date B, side by side (the frame of
    analytics.portfolio.compare.aging_comparison)."""
    fig = go.Figure()
    for column, name, colour in (("a_amount", a_label, A_COLOUR), ("b_amount", b_label, B_COLOUR)):
        fig.add_bar(
            x=aging["bucket"], y=aging[column], name=name, marker_color=colour,
            hovertemplate="%{x}: %{y:,.0f} " + currency + f"<extra>{name}</extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group")
    style(fig, "Aging of open items at both dates", "Days past due", f"Open amount ({currency})")
    return money_axis(fig, currency)
