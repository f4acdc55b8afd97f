"""The Customer page's figures: its header cards and its payment-habit chart."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.portfolio.customer import Disputes
from reports import format

from .charts import style
from .context import Context

CARD_HEIGHT = 130  # px: cards with and without a note line up
TREND_TITLE = "Days late and days to pay of invoices settled each month"


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def header_cards(ctx: Context, row: pd.Series) -> None:
    """Two rows of four cards: money and limits, then rating, terms and dimensions."""
    limit, insured, terms = row["credit_limit"], row["insured_limit"], row["payment_terms_days"]
    has_limit = not _missing(limit) and limit > 0
    over = bool(row["is_over_limit"])
    cards = [
        ("Balance", ctx.money(row["balance_amount"]), None,
         f"Open items {ctx.money(row['open_amount'])} − unapplied cash "
         f"{ctx.money(row['unapplied_amount'])} (spec §2)."),
        ("Overdue", ctx.money(row["overdue_amount"]),
         None if _missing(row["overdue_share"]) else f"{format.pct(row['overdue_share'])} of open",
         "Open amounts with days past due ≥ 1 (spec §3)."),
        ("Credit limit", ctx.money(limit) if has_limit else "no limit", None,
         "Set in the reporting currency (spec §1), shown translated."),
        ("Utilisation", format.pct(row["utilisation"]) if has_limit else "no limit",
         (f"over limit by {ctx.money(-row['headroom_amount'])}" if over
          else f"headroom {ctx.money(row['headroom_amount'])}") if has_limit else None,
         f"Exposure {ctx.money(row['exposure_amount'])} = positive balance + open orders "
         f"{ctx.money(row['open_orders_amount'])}; utilisation = exposure ÷ credit limit, "
         "headroom = limit − exposure (spec §6)."),
        ("Insured limit", "uninsured" if _missing(insured) else ctx.money(insured),
         None if _missing(insured) else f"covers {ctx.money(row['insured_amount'])}",
         "Insured part = min(exposure, insured limit) × coverage (spec §6)."),
        ("Risk rating", str(row["risk_rating"]), None, "Internal grade, A (best) to E."),
        ("Payment terms", "n/a" if _missing(terms) else f"{int(terms)} days", None,
         "Standard terms, net days from the invoice date."),
        ("Segment · region · group", str(row["segment"]),
         f"{row['region']} · group {row['group_id']}",
         "Segment, region and parent group (the customer's own id when it has none)."),
    ]  # fmt: skip
    for start in (0, 4):
        for column, (label, value, note, help_text) in zip(
            st.columns(4), cards[start : start + 4], strict=True
        ):
            column.metric(
                label, value, delta=note, delta_arrow="off",
                delta_color="red" if over and label == "Utilisation" else "off",
                help=help_text, border=True, height=CARD_HEIGHT,
            )  # fmt: skip


def dispute_cards(ctx: Context, disputed: Disputes) -> None:
    """Open disputed items and their amount, apart from the aging they are also part of."""
    st.metric("Disputed open items", format.count(disputed.n_items), border=True)
    st.metric(
        "Disputed amount",
        ctx.money(disputed.open_amount),
        border=True,
        help="Open amount of documents under dispute; also counted in the aging.",
    )


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
    if not _missing(terms_days):
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
