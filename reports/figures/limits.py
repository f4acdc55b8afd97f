"""Figures of the Credit limits page. Money inputs are already in the
display currency; utilisation is a ratio (1 = 100 % of the limit)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import money_axis, style

WITHIN, OVER = "#2e86c1", "#c0392b"
BIN_PCT = 10


def _limit_line(fig: go.Figure, axis: str = "x") -> go.Figure:
    add = fig.add_vline if axis == "x" else fig.add_hline
    add(100, line_dash="dash", line_color="#444", annotation_text="100 % of limit",
        annotation_position="top right")  # fmt: skip
    return fig


def utilisation_histogram(utilisation: pd.Series) -> go.Figure:
    """Customers with a limit by utilisation in 10 % bins, over-limit ones in red."""
    pct = utilisation * 100
    fig = go.Figure()
    for mask, name, colour in (
        (pct <= 100, "Within limit", WITHIN),
        (pct > 100, "Over limit", OVER),
    ):
        fig.add_histogram(
            x=pct[mask], name=name, marker_color=colour, bingroup="u",
            xbins={"start": 0, "size": BIN_PCT},
            hovertemplate="%{x} %: %{y} customers<extra>" + name + "</extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", bargap=0.05, legend_traceorder="normal")
    style(fig, "Utilisation of customers with a limit", "Utilisation (% of credit limit)",
          "Customers")  # fmt: skip
    fig.update_xaxes(ticksuffix=" %", rangemode="tozero")
    return _limit_line(fig)


def utilisation_by_rating_bar(by_rating: pd.DataFrame) -> go.Figure:
    """Portfolio utilisation (Σ exposure / Σ limit of limited customers) per rating."""
    rated = by_rating[by_rating["n_limited"] > 0]
    pct = rated["utilisation"] * 100
    fig = go.Figure(
        go.Bar(
            x=rated["risk_rating"], y=pct, marker_color=[OVER if v > 100 else WITHIN for v in pct],
            text=[f"{v:,.0f} %" for v in pct], textposition="outside", cliponaxis=False,
            customdata=rated[["n_over_limit", "n_limited"]],
            hovertemplate="Rating %{x}: %{y:,.1f} % of limits used<br>"
            "%{customdata[0]} of %{customdata[1]} customers over limit<extra></extra>",
        )
    )  # fmt: skip
    style(fig, "Utilisation by risk rating", "Risk rating", "Utilisation (% of limits)")
    fig.update_yaxes(ticksuffix=" %", rangemode="tozero")
    return _limit_line(fig, "y")


def insurance_bar(by_rating: pd.DataFrame, currency: str) -> go.Figure:
    """Exposure per rating split into its insured and uninsured parts (stacked)."""
    fig = go.Figure()
    for column, name, colour in (("insured_amount", "Insured", "#48c9b0"),
                                 ("uninsured_amount", "Uninsured", "#eb984e")):  # fmt: skip
        fig.add_bar(
            x=by_rating["risk_rating"], y=by_rating[column], name=name, marker_color=colour,
            hovertemplate="Rating %{x}: %{y:,.0f} " + currency + "<extra>" + name + "</extra>",
        )  # fmt: skip
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    style(fig, "Insured and uninsured exposure by rating", "Risk rating",
          f"Exposure ({currency})")  # fmt: skip
    return money_axis(fig, currency)
