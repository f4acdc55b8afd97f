"""The Customer page's cards (figure: reports/figures/customer.py; columns: reports/columns.py)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics.portfolio.customer import Disputes
from reports import format

from .components import Card, card_row
from .context import Context
from .customer_risk import CustomerRisk

# cards of a row line up, as tall as the tallest (a fixed 130 px cut notes off)
CARD_HEIGHT = "stretch"


def header_cards(ctx: Context, row: pd.Series) -> None:
    """Two rows of four cards: money and limits, then rating, terms and dimensions."""
    limit, insured, terms = row["credit_limit"], row["insured_limit"], row["payment_terms_days"]
    has_limit = not format.is_missing(limit) and limit > 0
    over = bool(row["is_over_limit"])
    cards = [
        ("Balance", ctx.money(row["balance_amount"]), None,
         f"Open items {ctx.money(row['open_amount'])} − unapplied cash "
         f"{ctx.money(row['unapplied_amount'])} (definitions: docs/metrics.md)."),
        ("Overdue", ctx.money(row["overdue_amount"]),
         None if format.is_missing(row["overdue_share"]) else f"{format.pct(row['overdue_share'])} of open",
         "Open amounts with days past due ≥ 1 (definitions: docs/metrics.md)."),
        ("Credit limit", ctx.money(limit) if has_limit else "no limit", None,
         "Set in the reporting currency (definitions: docs/metrics.md), shown translated."),
        ("Utilisation", format.pct(row["utilisation"]) if has_limit else "no limit",
         (f"over limit by {ctx.money(-row['headroom_amount'])}" if over
          else f"headroom {ctx.money(row['headroom_amount'])}") if has_limit else None,
         f"Exposure {ctx.money(row['exposure_amount'])} = positive balance + open orders "
         f"{ctx.money(row['open_orders_amount'])}; utilisation = exposure ÷ credit limit, "
         "headroom = limit − exposure (definitions: docs/metrics.md)."),
        ("Insured limit", "uninsured" if format.is_missing(insured) else ctx.money(insured),
         None if format.is_missing(insured) else f"covers {ctx.money(row['insured_amount'])}",
         "Insured part = min(exposure, insured limit) × coverage (definitions: docs/metrics.md)."),
        ("Risk rating", str(row["risk_rating"]), None, "Internal grade, A (best) to E."),
        ("Payment terms", "n/a" if format.is_missing(terms) else f"{int(terms)} days", None,
         "Standard terms, net days from the invoice date."),
        ("Segment · region · group", str(row["segment"]),
         f"{row['region']} · group {row['group_id']}",
         "Segment, region and parent group (the customer's own id when it has none)."),
    ]  # fmt: skip
    shown = [
        Card(label, value, help_text, note, delta_arrow="off",
             delta_color="red" if over and label == "Utilisation" else "off")
        for label, value, note, help_text in cards
    ]  # fmt: skip
    card_row(shown[:4], height=CARD_HEIGHT)
    card_row(shown[4:], height=CARD_HEIGHT)


def dispute_cards(ctx: Context, disputed: Disputes) -> None:
    """Open disputed items and their amount, apart from the aging they are also part of."""
    st.metric("Disputed open items", format.count(disputed.n_items), border=True)
    st.metric(
        "Disputed amount",
        ctx.money(disputed.open_amount),
        border=True,
        help="Open amount of documents under dispute; also counted in the aging.",
    )


def risk_cards(ctx: Context, risk: CustomerRisk, rating: str) -> None:
    """One row of four: behavioural grade beside the assigned rating, PD, expected credit
    loss gross (net of insurance under it) and the recommended limit (the current under it)."""
    grade = risk.grade or "not graded"
    has_limit = not format.is_missing(risk.credit_limit) and risk.credit_limit > 0
    current = ctx.money(risk.credit_limit) if has_limit else "no limit"
    cards = [
        Card("Behavioural grade", grade, "A (best) to E from the PD; E when in default. "
             "Not graded: too little history or no model.", f"assigned rating {rating}"),
        Card("PD (6 months)", "n/a" if format.is_missing(risk.pd) else format.pct(risk.pd, 2),
             "Probability of an invoice 91+ days past due or a write-off in the next 6 months.",
             "in default" if risk.is_in_default else None),
        Card("Expected credit loss", ctx.money(risk.gross_ecl_amount),
             "Open amounts × the calibrated loss rate of their aging bucket, before insurance "
             "(the Expected credit loss page).", f"net of insurance {ctx.money(risk.net_ecl_amount)}"),
        Card("Recommended limit", ctx.money(risk.recommended_limit),
             "Monthly sales × terms × the grade's multiplier, rounded (the Limits review page); "
             "staged: a part of it while the customer is young.",
             f"current {current}" + (" · staged" if risk.is_staged else "")),
    ]  # fmt: skip
    card_row([replace(c, delta_arrow="off", delta_color="off") for c in cards], height=CARD_HEIGHT)
