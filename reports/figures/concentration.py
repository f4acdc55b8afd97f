"""Figures of the Concentration page. Money is in the display currency."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.constants import HHI_HIGH, HHI_MODERATE
from reports.columns import LEVEL_TITLES, MEASURE_TITLES

from .style import PALETTE, legend_under_title, style

RATING_COLOURS = ["#1e8449", "#52be80", "#f4d03f", "#eb984e", "#c0392b", "#7b241c"]
NODE_GREY = "#d5d8dc"


def pareto_chart(curve: pd.DataFrame, level: str, measure: str, top_n: int) -> go.Figure:
    """Cumulative share of the measure held by the largest x % of units, with the equality
    diagonal and the top-N point marked."""
    units, what = LEVEL_TITLES[level].split(" (")[0].lower(), MEASURE_TITLES[measure].lower()
    fig = go.Figure()
    fig.add_scatter(
        x=[0, 1], y=[0, 1], mode="lines", name="Equal shares",
        line={"color": "#95a5a6", "dash": "dash"}, hoverinfo="skip",
    )  # fmt: skip
    fig.add_scatter(
        x=curve["unit_share"], y=curve["amount_share"], mode="lines", name="Portfolio",
        line={"color": PALETTE[0], "width": 3}, fill="tonexty", fillcolor="rgba(46,134,193,0.12)",
        hovertemplate=f"Largest %{{x:.1%}} of {units} hold %{{y:.1%}} of {what}<extra></extra>",
    )  # fmt: skip
    n = min(top_n, len(curve) - 1)
    if n >= 1:
        point = curve.iloc[n]
        fig.add_scatter(
            x=[point["unit_share"]], y=[point["amount_share"]], mode="markers+text",
            name=f"Top {n}", marker={"size": 10, "color": PALETTE[5]},
            text=[f"top {n}: {point['amount_share']:.0%}"], textposition="bottom right",
            hovertemplate=f"Top {n} {units}: %{{y:.1%}} of {what}<extra></extra>",
        )  # fmt: skip
    style(
        fig,
        f"Pareto curve of {what}",
        f"Share of {units}, largest first (%)",
        f"Cumulative share of {what} (%)",
        height=420,
    )
    legend_under_title(fig)
    fig.update_xaxes(tickformat=".0%", range=[0, 1], dtick=0.2)
    fig.update_yaxes(tickformat=".0%", range=[0, 1.02])
    return fig


def hhi_chart(summary: pd.DataFrame) -> go.Figure:
    """HHI of every level for each measure, against the reading bands (summary with titles)."""
    fig = go.Figure()
    top = max(float(summary["hhi"].fillna(0).max()) * 1.15, HHI_HIGH * 1.3)
    bands = [(0, HHI_MODERATE, "#d5f5e3", "unconcentrated"),
             (HHI_MODERATE, HHI_HIGH, "#fdebd0", "moderately concentrated"),
             (HHI_HIGH, top, "#fadbd8", "highly concentrated")]  # fmt: skip
    for low, high, colour, reading in bands:
        fig.add_hrect(
            y0=low, y1=high, fillcolor=colour, line_width=0, layer="below",
            annotation_text=reading, annotation_position="top left",
            annotation_font={"size": 11, "color": "#566573"},
        )  # fmt: skip
    for i, (measure, part) in enumerate(summary.groupby("measure", sort=False)):
        fig.add_bar(
            x=part["level"], y=part["hhi"], name=measure, marker_color=PALETTE[i],
            text=[f"{v:,.0f}" if pd.notna(v) else "" for v in part["hhi"]], textposition="outside",
            customdata=part["reading"], hovertemplate="%{x} · " + measure
            + "<br>HHI %{y:,.0f}: %{customdata}<extra></extra>",
        )  # fmt: skip
    style(fig, "HHI by level", "Level", "HHI (0-10,000)", height=420)
    legend_under_title(fig)
    fig.update_yaxes(range=[0, top], tickformat=",")
    fig.update_layout(barmode="group")
    return fig


def treemap_chart(nodes: pd.DataFrame, colour_by: str, currency: str) -> go.Figure:
    """Segment → customer tiles sized by balance, coloured by overdue share or by rating."""
    is_customer = nodes["risk_rating"] != ""
    if colour_by == "overdue":
        marker = {
            "colors": nodes["overdue_share"].clip(0, 1),
            "colorscale": "RdYlGn_r",
            "cmin": 0,
            "cmax": 1,
            "colorbar": {"title": {"text": "Overdue share"}, "tickformat": ".0%"},
        }
    else:
        colours = rating_colours(nodes.loc[is_customer, "risk_rating"])
        marker = {"colors": [colours.get(r, NODE_GREY) for r in nodes["risk_rating"]]}
    fig = go.Figure(
        go.Treemap(
            ids=nodes["id"], parents=nodes["parent"], labels=nodes["label"],
            values=nodes["balance_amount"], branchvalues="total", marker=marker,
            customdata=nodes[["overdue_share", "risk_rating"]].fillna(0).to_numpy(),
            texttemplate="%{label}<br>%{value:,.3s}",
            hovertemplate="<b>%{label}</b><br>Balance: %{value:,.0f} " + currency
            + "<br>Share of parent: %{percentParent:.1%}<br>Overdue share: %{customdata[0]:.1%}"
            + "<br>Rating: %{customdata[1]}<extra></extra>",
        )
    )  # fmt: skip
    title = "Balance by segment and customer, coloured by " + (
        "overdue share" if colour_by == "overdue" else "risk rating"
    )
    style(fig, title, height=580)
    if colour_by == "rating":  # a treemap has no legend of its own: one empty marker per rating
        for rating, colour in colours.items():
            fig.add_scatter(x=[None], y=[None], mode="markers", name=f"Rating {rating}",
                            marker={"symbol": "square", "size": 12, "color": colour})  # fmt: skip
        fig.update_layout(xaxis_visible=False, yaxis_visible=False, plot_bgcolor="white")
        legend_under_title(fig)
    return fig


def rating_colours(ratings: pd.Series) -> dict[str, str]:
    """Best rating green to worst red, in sorted order; '(none)' and extras grey."""
    graded = sorted(r for r in ratings.unique() if r != "(none)")
    colours = dict(zip(graded, RATING_COLOURS + [NODE_GREY] * len(graded), strict=False))
    return colours | ({"(none)": NODE_GREY} if "(none)" in set(ratings) else {})
