"""The Customer page's payment-habit chart."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from reports import format
from reports.figures.style import style

TREND_TITLE = "Days late and days to pay of invoices settled each month"


def days_late_trend(trend: pd.DataFrame, terms_days: float | None) -> go.Figure:
    """Amount-weighted days late and days to pay per month (lines, left axis) over the count
    of invoices settled (bars, right axis); the terms as a dashed line."""
    x = trend["month_start"]
    fig = go.Figure()
    fig.add_bar(
        x=x, y=trend["n_settled"], name="Invoices settled", yaxis="y", marker_color="#d5dbdb",
        hovertemplate="%{x|%b %Y}: %{y:,} invoices settled<extra></extra>",
    )  # fmt: skip
    for column, name, colour in (
        ("days_to_pay", "Days to pay", "#2e86c1"),
        ("days_late", "Days late", "#c0392b"),
    ):
        fig.add_scatter(
            x=x, y=trend[column], name=name, mode="lines+markers", yaxis="y2",
            line={"color": colour}, connectgaps=False,
            hovertemplate="%{x|%b %Y}: %{y:,.1f} days<extra>" + name + "</extra>",
        )  # fmt: skip
    if not format.is_missing(terms_days):
        fig.add_hline(
            y=float(terms_days), yref="y2", line_dash="dash", line_color="#566573",
            annotation_text=f"terms {int(terms_days)} days", annotation_position="bottom left",
        )  # fmt: skip
    style(fig, TREND_TITLE, "Month settled")
    # Lines on the overlaying axis so they draw above the bars; days on the left.
    fig.update_layout(
        yaxis={"title": {"text": "Invoices settled (count)"}, "side": "right", "showgrid": False,
               "rangemode": "tozero", "tickmode": "auto"},
        yaxis2={"title": {"text": "Days (amount-weighted average)"}, "side": "left",
                "overlaying": "y", "rangemode": "tozero", "zeroline": True, "tickmode": "auto"},
    )  # fmt: skip
    fig.update_xaxes(dtick="M3", tickformat="%b %Y")
    return fig
