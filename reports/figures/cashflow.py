"""Figures and table layouts for the Cash flow page. Money inputs are already in the display
currency."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from .charts import legend_under_title, money_axis, style
from .tables import download_buttons

OPEN_AR, NEW_SALES, BAND, MEDIAN, ACTUAL = "#2e86c1", "#48c9b0", "#1f4e79", "#1f4e79", "#222222"
SHORT, AT_RISK = "#c0392b", "#eb984e"
HOW_COMPUTED = """
**Receipts from open AR.** Every document open at the as-of date D with a positive open amount
is expected to be paid on its due date + L days, L drawn from its customer's history of *days
late* (payment date − due date, spec §4): every payment of the last two years on its
invoices, weighted by the amount paid and by recency (half-life 180 days), plus what was still
unpaid 365 days after the due date ("never paid"). A customer with little history is shrunk
toward its segment × rating pool, with weight n / (n + 10) on its own (n = effective number of
payments). An item already d days past due can only be paid more than d days late: the
distribution is cut there and rescaled; the never-paid share of what is left is taken off the
amount. If nothing in the ledger was ever that late and nothing was ever left unpaid, the
item is spread over the next 4 weeks. Disputed items are either *delayed* (paid as past
disputed invoices were) or *excluded*. Credit notes, overpayments and unapplied cash are not
receipts.

**Receipts from sales not yet invoiced.** Monthly credit sales are forecast with statsmodels
ETS: seasonal (12 months) with two years of history or more, non-seasonal below; the lower
AICc picks trend or none. Each day's forecast sales are turned into cash by the ledger's own
collection curve: the share of a day's sales paid 0, 1, 2, … days after the invoice date,
measured on the last year of invoices.

**Intervals.** 500 Monte Carlo draws (fixed seed). Items move together through a shock
shared by the whole portfolio and one shared by each customer's items, with correlations
estimated from how past payments clustered by due month; sales paths are simulated from the
ETS model. P10, P50 and P90 are taken over the draws; the cards' P10-P90 is that of the
13 weeks' total, not a sum of weekly quantiles. The backtest below checks the band holds
about 80 % of actual weeks. Details: docs/forecasting.md.
"""


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


def period_columns(currency: str, unit: str) -> dict:
    money = {"format": "%,.0f"}
    return {
        "period": st.column_config.NumberColumn(unit.capitalize(), format="%d"),
        "start_date": st.column_config.DateColumn("From", format="DD MMM YYYY"),
        "end_date": st.column_config.DateColumn("To", format="DD MMM YYYY"),
        "open_ar_amount": st.column_config.NumberColumn(f"From open AR ({currency})", **money,
                                                        help="Expected (mean of the draws)"),
        "new_sales_amount": st.column_config.NumberColumn(f"From new sales ({currency})", **money,
                                                          help="Expected (mean of the draws)"),
        "mean_amount": st.column_config.NumberColumn(f"Expected ({currency})", **money),
        "p10_amount": st.column_config.NumberColumn(f"P10 ({currency})", **money),
        "p50_amount": st.column_config.NumberColumn(f"P50 ({currency})", **money),
        "p90_amount": st.column_config.NumberColumn(f"P90 ({currency})", **money),
    }  # fmt: skip


def funding_columns(currency: str) -> dict:
    money = {"format": "%,.0f"}
    return {
        "period": st.column_config.NumberColumn("Week", format="%d"),
        "start_date": None,
        "end_date": st.column_config.DateColumn("Week to", format="DD MMM YYYY"),
        "receipts_p50_amount": st.column_config.NumberColumn(f"Receipts P50 ({currency})", **money),
        "outflow_amount": st.column_config.NumberColumn(f"Outflows ({currency})", **money),
        "cash_p10_amount": st.column_config.NumberColumn(f"Cash P10 ({currency})", **money),
        "cash_p50_amount": st.column_config.NumberColumn(f"Cash P50 ({currency})", **money),
        "cash_p90_amount": st.column_config.NumberColumn(f"Cash P90 ({currency})", **money),
        "shortfall_p50_amount": st.column_config.NumberColumn(
            f"Shortfall P50 ({currency})", **money, help="Median of max(0, buffer − cash)"),
        "shortfall_p90_amount": st.column_config.NumberColumn(
            f"Shortfall P90 ({currency})", **money, help="90th percentile of max(0, buffer − cash)"),
        "status": st.column_config.TextColumn("Status", help="short: P50 cash below the buffer; "
                                              "at risk: P10 cash below it"),
    }  # fmt: skip


def backtest_columns() -> dict:
    pct = {"format": "percent"}
    help_text = "Mean absolute % error of the cumulative receipts over the past month-ends"
    return {
        "method": st.column_config.TextColumn("Method"),
        "error_4w": st.column_config.NumberColumn("Error, 4 weeks", **pct, help=help_text),
        "error_8w": st.column_config.NumberColumn("Error, 8 weeks", **pct, help=help_text),
        "error_13w": st.column_config.NumberColumn("Error, 13 weeks", **pct, help=help_text),
        "bias_13w": st.column_config.NumberColumn(
            "Bias, 13 weeks", **pct, help="Mean signed error: > 0 = projected too much"),
    }  # fmt: skip


def funding_table(gap: pd.DataFrame, currency: str, key: str) -> None:
    """The funding weeks with short weeks red and at-risk weeks amber, and the downloads."""
    colours = {"short": "background-color: #f5b7b1", "at risk": "background-color: #fae5d3"}
    styled = gap.style.apply(lambda row: [colours.get(row["status"], "")] * len(row), axis=1)
    st.dataframe(styled, hide_index=True, column_config=funding_columns(currency), key=key)
    download_buttons(gap, "funding-gap", key)
