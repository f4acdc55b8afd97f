"""Plotly figures with one look: titles, axis labels with units, readable hover values."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

PALETTE = ["#1f4e79", "#2e86c1", "#48c9b0", "#f4d03f", "#eb984e", "#c0392b", "#7d3c98", "#566573"]
AGING_COLOURS = [
    "#2e86c1",
    "#f7dc6f",
    "#f5b041",
    "#eb984e",
    "#dc7633",
    "#c0392b",
    "#922b21",
    "#641e16",
]


def style(
    fig: go.Figure,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 360,
) -> go.Figure:
    """Apply the house look and the labels every chart must have."""
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        height=height,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        template="plotly_white",
        colorway=PALETTE,
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1},
        hoverlabel={"namelength": -1},
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def aging_colours(n: int) -> list[str]:
    """Blue for current, then warmer as items age."""
    if n <= len(AGING_COLOURS):
        return AGING_COLOURS[: n - 1] + [AGING_COLOURS[-1]] if n > 1 else AGING_COLOURS[:1]
    return AGING_COLOURS + [AGING_COLOURS[-1]] * (n - len(AGING_COLOURS))


def money_axis(fig: go.Figure, currency: str, axis: str = "y") -> go.Figure:
    """Money ticks like '1.2M' with the currency in the axis title; amounts under 1,000 (or a
    chart of zeros) get plain numbers, never SI milli-units ('500m' read as 500 million)."""
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(tickformat="~s" if _largest(fig, axis) >= 1000 else ",.2~f")
    return fig


def _largest(fig: go.Figure, axis: str) -> float:
    """The largest absolute number plotted along ``axis`` (0 when none)."""
    largest = 0.0
    for trace in fig.data:
        values = getattr(trace, axis, None)
        if values is None:
            continue
        numbers = pd.to_numeric(pd.Series(list(values)), errors="coerce").abs()
        if numbers.notna().any():
            largest = max(largest, float(numbers.max()))
    return largest


def legend_under_title(fig: go.Figure, rows: int = 1) -> go.Figure:
    """Title on its own line, legend left-aligned under it: for charts with wide legends,
    which on the title's line (style()'s default) would cover it."""
    top = 50 + 22 * rows
    fig.update_layout(
        margin={"t": top},
        title={"y": 1, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        legend={"x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom"},
    )
    return fig
