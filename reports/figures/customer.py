"""The Customer page's charts: payment habit, credit-risk history."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

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


RISK_PANELS = (  # column, panel title, colour
    ("pd", "PD (6 months)", "#c0392b"),
    ("gross_ecl_amount", "Expected credit loss (gross)", "#eb984e"),
    ("recommended_limit", "Recommended limit", "#2e86c1"),
)


def risk_history(history: pd.DataFrame, currency: str) -> go.Figure:
    """PD, gross expected credit loss and recommended limit at each date of ``history``
    (columns date and RISK_PANELS' columns, money in ``currency``), one small panel each so
    that a limit in the hundreds of thousands does not flatten an ECL in the hundreds; a
    panel with no value at any date says so."""
    fig = make_subplots(rows=1, cols=len(RISK_PANELS), horizontal_spacing=0.08,
                        subplot_titles=[title for _, title, _ in RISK_PANELS])  # fmt: skip
    x = pd.to_datetime(history["date"])
    for col, (column, title, colour) in enumerate(RISK_PANELS, start=1):
        money = column != "pd"
        value = "%{y:,.0f} " + currency if money else "%{y:.2%}"
        fig.add_scatter(
            x=x, y=history[column], name=title, mode="lines+markers", line={"color": colour},
            showlegend=False, hovertemplate="%{x|%d %b %Y}: " + value + "<extra></extra>",
            row=1, col=col,
        )  # fmt: skip
        largest = history[column].max()
        ticks = ("~s" if largest >= 1000 else ",.2~f") if money else ".1%"
        fig.update_yaxes(rangemode="tozero", tickformat=ticks,
                         title_text=currency if money else None, row=1, col=col)  # fmt: skip
        if format.is_missing(largest):
            axis = "x" if col == 1 else f"x{col}"
            fig.update_yaxes(range=[0, 1], showticklabels=False, row=1, col=col)
            fig.add_annotation(text="none at these dates", showarrow=False, x=0.5, y=0.5,
                               xref=f"{axis} domain", yref=f"{axis.replace('x', 'y')} domain",
                               font={"color": "#566573"})  # fmt: skip
    style(fig, "", height=280)
    fig.update_layout(margin={"t": 30})
    fig.update_xaxes(tickformat="%b<br>%Y", tickangle=0, tickvals=_tick_dates(x))
    return fig


def _tick_dates(x: pd.Series) -> list:
    """Every date but the as-of date when it falls within 15 days of the month-end before it
    (their labels would overlap in a small panel)."""
    days = list(x)
    if len(days) > 1 and (days[-1] - days[-2]).days < 15:
        days = days[:-1]
    return days
