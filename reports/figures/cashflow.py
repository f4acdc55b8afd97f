"""Figures of the Cash flow page. Money inputs are already in the display currency."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go

from .style import legend_under_title, money_axis, style

OPEN_AR, NEW_SALES, BAND, MEDIAN, ACTUAL = "#2e86c1", "#48c9b0", "#1f4e79", "#1f4e79", "#222222"
SHORT, AT_RISK = "#c0392b", "#eb984e"


def _money_hover(currency: str, name: str) -> str:
    return "%{x|%d %b %Y}: " + currency + " %{y:,.0f}<extra>" + name + "</extra>"


def _band(fig: go.Figure, x, low, high, name: str, currency: str, colour: str = BAND) -> None:
    """A shaded P10-P90 band (upper edge first, lower edge filled up to it)."""
    fig.add_scatter(x=x, y=high, mode="lines", line={"width": 0}, showlegend=False,
                    hovertemplate=_money_hover(currency, "P90"))  # fmt: skip
    fig.add_scatter(x=x, y=low, mode="lines", line={"width": 0}, fill="tonexty",
                    fillcolor="rgba(31, 78, 121, 0.18)", name=name,
                    hovertemplate=_money_hover(currency, "P10"))  # fmt: skip


def fan_chart(
    periods: pd.DataFrame, actuals: pd.DataFrame | None, as_of: date, currency: str, unit: str
) -> go.Figure:
    """Expected receipts per period (open AR and new sales stacked), the P10-P90 band, the
    median, and actual receipts (before the as-of date, and after it where the ledger has them)."""
    x = periods["end_date"]
    fig = go.Figure()
    fig.add_bar(x=x, y=periods["open_ar_amount"], name="Expected from open AR",
                marker_color=OPEN_AR, opacity=0.55,
                hovertemplate=_money_hover(currency, "Expected from open AR"))  # fmt: skip
    fig.add_bar(x=x, y=periods["new_sales_amount"], name="Expected from new sales",
                marker_color=NEW_SALES, opacity=0.55,
                hovertemplate=_money_hover(currency, "Expected from new sales"))  # fmt: skip
    _band(fig, x, periods["p10_amount"], periods["p90_amount"], "P10-P90", currency)
    fig.add_scatter(x=x, y=periods["p50_amount"], mode="lines", name="P50 (median)",
                    line={"color": MEDIAN, "dash": "dash"},
                    hovertemplate=_money_hover(currency, "P50"))  # fmt: skip
    if actuals is not None and not actuals.empty:
        fig.add_scatter(x=actuals["end_date"], y=actuals["receipts_amount"], name="Actual receipts",
                        mode="lines+markers", line={"color": ACTUAL}, marker={"size": 5},
                        hovertemplate=_money_hover(currency, "Actual receipts"))  # fmt: skip
    fig.add_vline(x=pd.Timestamp(as_of).value / 1e6, line={"color": "#999", "dash": "dot"})
    fig.update_layout(barmode="stack", bargap=0.15)
    style(fig, f"Projected receipts per {unit}, with the P10-P90 band",
          f"{unit.capitalize()} ending", f"Receipts ({currency})", height=420)  # fmt: skip
    return legend_under_title(money_axis(fig, currency))


def funding_chart(gap: pd.DataFrame, buffer: float, currency: str) -> go.Figure:
    """Projected cash at each week-end (median and P10-P90) against the minimum buffer;
    short weeks (median below the buffer) red, at-risk weeks (P10 below it) amber."""
    x = gap["end_date"]
    fig = go.Figure()
    _band(fig, x, gap["cash_p10_amount"], gap["cash_p90_amount"], "Cash P10-P90", currency)
    fig.add_scatter(x=x, y=gap["cash_p50_amount"], mode="lines+markers", name="Cash P50",
                    line={"color": MEDIAN}, hovertemplate=_money_hover(currency, "Cash P50"))  # fmt: skip
    fig.add_hline(y=buffer, line={"color": SHORT, "dash": "dash"},
                  annotation_text=f"Minimum buffer {currency} {buffer:,.0f}",
                  annotation_position="top left")  # fmt: skip
    for status, colour in (("short", SHORT), ("at risk", AT_RISK)):
        weeks = gap[gap["status"] == status]
        fig.add_scatter(x=weeks["end_date"], y=weeks["cash_p50_amount"], mode="markers",
                        name=f"Week {status}", marker={"color": colour, "size": 13,
                                                       "symbol": "diamond"},
                        hovertemplate=_money_hover(currency, f"{status}: cash P50"))  # fmt: skip
    style(fig, "Projected cash at each week-end against the minimum buffer", "Week ending",
          f"Cash ({currency})", height=380)  # fmt: skip
    return legend_under_title(money_axis(fig, currency))


def backtest_chart(totals: pd.DataFrame, weeks: int, currency: str) -> go.Figure:
    """Receipts of the first ``weeks`` weeks after each backtest month-end: actual against the
    projection and the two naive methods."""
    fig = go.Figure()
    lines = [("actual", "Actual", ACTUAL, "solid"), ("projection", "Projection (ours)", BAND, "solid"),
             ("due_date", "Due date (naive)", "#7f8c8d", "dash"),
             ("average", "13-week average (naive)", AT_RISK, "dot")]  # fmt: skip
    for column, name, colour, dash in lines:
        fig.add_scatter(x=totals["origin"], y=totals[column], name=name, mode="lines+markers",
                        line={"color": colour, "dash": dash},
                        hovertemplate=_money_hover(currency, name))  # fmt: skip
    style(fig, f"Receipts in the {weeks} weeks after each past month-end: actual and projected",
          "Month-end the projection was made at", f"Receipts in {weeks} weeks ({currency})")  # fmt: skip
    return legend_under_title(money_axis(fig, currency))
