"""Figures shared by several pages. Inputs are metric outputs already in display currency."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import aging_colours, money_axis, style


def aging_bar(
    aging: dict[str, float], currency: str, title: str = "Aging of open items"
) -> go.Figure:
    """One bar per bucket, current in blue, older buckets warmer."""
    labels, values = list(aging), list(aging.values())
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=values,
            marker_color=aging_colours(len(labels)),
            hovertemplate="%{x}: %{y:,.0f} " + currency + "<extra></extra>",
            text=[f"{v:,.0f}" for v in values],
            textposition="outside",
            cliponaxis=False,
        )
    )
    style(fig, title, "Days past due", f"Open amount ({currency})")
    return money_axis(fig, currency)


def ar_trend(trend: pd.DataFrame, currency: str) -> go.Figure:
    """Total AR and its overdue part at each month-end."""
    fig = go.Figure()
    fig.add_scatter(
        x=trend["month_end"], y=trend["ar_total"], name="Total AR", mode="lines+markers",
        hovertemplate="%{x|%b %Y}: %{y:,.0f} " + currency + "<extra>Total AR</extra>",
    )  # fmt: skip
    fig.add_scatter(
        x=trend["month_end"], y=trend["ar_overdue"], name="Overdue", mode="lines+markers",
        fill="tozeroy", line={"color": "#c0392b"},
        hovertemplate="%{x|%b %Y}: %{y:,.0f} " + currency + "<extra>Overdue</extra>",
    )  # fmt: skip
    style(fig, "Receivables and overdue at month-end", "Month-end", f"Amount ({currency})")
    return money_axis(fig, currency)
