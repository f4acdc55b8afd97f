"""Figures of the DSO & collections page. Money inputs are already in the
display currency; days and index values need no translation."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import style

DSO_LINES = [
    ("dso_standard", "Standard DSO", "#1f4e79"),
    ("dso_countback", "Countback DSO", "#48c9b0"),
    ("dso_best_possible", "Best possible DSO", "#2e86c1"),
]
UP_IS_BAD = {"increasing": {"marker": {"color": "#c0392b"}},
             "decreasing": {"marker": {"color": "#27ae60"}},
             "totals": {"marker": {"color": "#1f4e79"}}}  # fmt: skip


def _days_hover(name: str) -> str:
    return "%{x|%b %Y}: %{y:,.1f} days<extra>" + name + "</extra>"


def dso_trend(trend: pd.DataFrame) -> go.Figure:
    """Standard, countback and best possible DSO at each month-end."""
    fig = go.Figure()
    for column, name, colour in DSO_LINES:
        fig.add_scatter(
            x=trend["month_end"], y=trend[column], name=name, mode="lines+markers",
            line={"color": colour, "dash": "dot" if column == "dso_best_possible" else "solid"},
            hovertemplate=_days_hover(name),
        )  # fmt: skip
    style(fig, "DSO at month-end", "Month-end", "Days")
    return fig.update_yaxes(rangemode="tozero")


def add_bars(trend: pd.DataFrame) -> go.Figure:
    """Average days delinquent (standard − best possible DSO) at each month-end."""
    fig = go.Figure(
        go.Bar(x=trend["month_end"], y=trend["add"], marker_color="#eb984e", name="ADD",
               hovertemplate=_days_hover("ADD"))
    )  # fmt: skip
    style(fig, "Average days delinquent (ADD) at month-end", "Month-end", "Days", height=300)
    return fig


def cei_line(trend: pd.DataFrame) -> go.Figure:
    """CEI of each calendar month (0-100, higher is better)."""
    fig = go.Figure(
        go.Scatter(
            x=trend["month_end"], y=trend["cei"], mode="lines+markers", name="CEI",
            line={"color": "#7d3c98"},
            hovertemplate="%{x|%b %Y}: %{y:,.1f}<extra>CEI</extra>",
        )
    )  # fmt: skip
    style(fig, "Collection effectiveness index (CEI) by month", "Month", "CEI (index, 0-100)",
          height=300)  # fmt: skip
    return fig.update_yaxes(range=[0, 105])


def _signed(value: float) -> str:
    return f"{value:+,.1f} days"


def bridge_waterfall(row: pd.Series) -> go.Figure:
    """DSO of the previous month-end → sales effect → collections effect → DSO of this one."""
    before, after = f"{row['previous_month_end']:%b %Y}", f"{row['month_end']:%b %Y}"
    labels = [f"DSO {before}", "Sales volume", "Collections (AR)", f"DSO {after}"]
    values = [row["dso_previous"], row["sales_effect"], row["collections_effect"], row["dso"]]
    fig = go.Figure(
        go.Waterfall(
            x=labels, y=values, measure=["absolute", "relative", "relative", "total"],
            text=[f"{values[0]:,.1f} days", _signed(values[1]), _signed(values[2]),
                  f"{values[3]:,.1f} days"],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{x}: %{text}<extra></extra>",
            connector={"line": {"color": "#999", "dash": "dot"}}, **UP_IS_BAD,
        )
    )  # fmt: skip
    change = row["dso_change"]
    style(fig, f"Standard DSO bridge, {before} → {after} ({_signed(change)})", None, "Days")
    levels = [0.0, values[0], values[0] + values[1], values[3]]
    low, high = min(levels), max(levels)
    pad = (high - low) * 0.15 or 1.0
    return fig.update_yaxes(range=[low - pad if low < 0 else 0, high + pad])
