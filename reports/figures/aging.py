"""Figures of the Aging page. Inputs are already in the display currency."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.portfolio.aging_view import disputed_columns
from reports.columns import GROUP_TITLES

from .style import aging_colours, legend_under_title, money_axis, style

DISPUTED_COLOUR = "#7d3c98"
UNAPPLIED_COLOUR = "#95a5a6"
DISPUTED = "of which disputed (hatched)"
DISPUTED_LINE = "of which disputed (all ages)"
UNAPPLIED = "Unapplied cash (not aged)"


def group_labels(table: pd.DataFrame) -> list[str]:
    """Axis labels: 'name (id)' for customers (names need not be unique), else the value."""
    if "name" in table:
        return [f"{n} ({g})" for n, g in zip(table["name"], table["group"], strict=True)]
    return table["group"].astype(str).tolist()


def group_aging_bar(
    table: pd.DataFrame, labels: list[str], currency: str, by: str, max_groups: int = 25
) -> go.Figure:
    """Stacked horizontal bars per group: each bucket (every open document in one bucket), its
    disputed part hatched in the same colour, and unapplied cash drawn below zero (it is
    subtracted from the balance, never aged)."""
    top = table.head(max_groups)
    y = group_labels(top)
    fig = go.Figure()
    money = "%{x:,.0f} " + currency

    def bar(values, name, colour, **extra):
        fig.add_bar(
            y=y, x=values, name=name, orientation="h", marker_color=colour,
            hovertemplate="%{y}<br>" + name + ": " + money + "<extra></extra>", **extra,
        )  # fmt: skip

    parts = dict(zip(labels, disputed_columns(labels), strict=True))
    for label, colour in zip(labels, aging_colours(len(labels)), strict=True):
        bar(top[label] - top[parts[label]], label, colour)
        bar(top[parts[label]], f"{label}, disputed", colour, marker_pattern_shape="/",
            showlegend=False, legendgroup="disputed")  # fmt: skip
    fig.add_bar(y=[None], x=[None], name=DISPUTED, orientation="h", marker_color="white",
                marker_pattern_shape="/", marker_line_color="#555", legendgroup="disputed")  # fmt: skip
    fig.add_bar(
        y=y, x=-top["unapplied_amount"], name=UNAPPLIED, orientation="h",
        marker_color=UNAPPLIED_COLOUR, customdata=top["unapplied_amount"],
        hovertemplate="%{y}<br>" + UNAPPLIED + ": %{customdata:,.0f} " + currency + "<extra></extra>",
    )  # fmt: skip
    fig.update_layout(barmode="relative", yaxis={"autorange": "reversed", "automargin": True})
    shown = f" (largest {len(top)} of {len(table)})" if len(table) > len(top) else ""
    title = f"Open items by {GROUP_TITLES[by].lower()} and age{shown}"
    style(fig, title, f"Amount ({currency})", GROUP_TITLES[by], height=180 + 26 * max(len(top), 4))
    legend_under_title(fig, rows=2)
    return money_axis(fig, currency, axis="x")


def aging_history_area(history: pd.DataFrame, labels: list[str], currency: str) -> go.Figure:
    """Buckets stacked at each month-end (every open document in one bucket); the disputed part
    and unapplied cash as lines of their own (not stacked: the first is inside the buckets,
    the second is not part of the aging)."""
    fig = go.Figure()
    x = history["month_end"]
    money = "%{x|%b %Y}: %{y:,.0f} " + currency
    for label, colour in zip(labels, aging_colours(len(labels)), strict=True):
        fig.add_scatter(
            x=x, y=history[label], name=label, stackgroup="aging", mode="lines",
            line={"color": colour, "width": 0.5}, hovertemplate=money + f"<extra>{label}</extra>",
        )  # fmt: skip
    fig.add_scatter(
        x=x, y=history["disputed_amount"], name=DISPUTED_LINE, mode="lines",
        line={"color": DISPUTED_COLOUR, "dash": "dot"},
        hovertemplate=money + f"<extra>{DISPUTED_LINE}</extra>",
    )  # fmt: skip
    fig.add_scatter(
        x=x, y=history["unapplied_amount"], name=UNAPPLIED, mode="lines+markers",
        line={"color": "#34495e", "dash": "dash"},
        hovertemplate=money + f"<extra>{UNAPPLIED}</extra>",
    )  # fmt: skip
    style(fig, "Aging at month-end", "Month-end", f"Amount ({currency})", height=440)
    legend_under_title(fig, rows=2)
    fig.update_layout(hovermode="x unified", legend_traceorder="normal")
    return money_axis(fig, currency)
