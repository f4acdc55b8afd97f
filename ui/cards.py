"""Headline cards: a figure as of D with its change since a week and a month earlier, or since
another date (Compare dates)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from analytics.portfolio.report import PortfolioMetrics
from reports import format

from .components import Card, card_row
from .context import Context
from .text import plain


@dataclass(frozen=True)
class Headline:
    label: str
    value: Callable[[PortfolioMetrics], float | None]
    kind: str  # money | pct | days | index | count
    delta_color: str  # normal (up is good) | inverse (up is bad) | off
    help: str


DEFINITIONS = "Definitions: docs/metrics.md."
HEADLINE = [
    Headline("Total AR", lambda m: m.ar_total, "money", "off",
             "What customers owe: every open invoice and credit note, less cash received but "
             f"not yet applied to an invoice. {DEFINITIONS}"),
    Headline("Overdue", lambda m: m.ar_overdue, "money", "inverse",
             "Open amounts past their due date (one day or more), disputed items included. "
             f"{DEFINITIONS}"),
    Headline("Overdue share", lambda m: m.overdue_share, "pct", "inverse",
             f"The overdue amount as a share of all open amounts. {DEFINITIONS}"),
    Headline("DSO (countback)", lambda m: m.dso_countback, "days", "inverse",
             "How many days of recent sales the receivables amount to, counting back month by "
             f"month. {DEFINITIONS}"),
    Headline("Best possible DSO", lambda m: m.dso_best_possible, "days", "inverse",
             "The DSO if every customer paid on its due date: only not-yet-due receivables, "
             f"over the sales of the DSO window. {DEFINITIONS}"),
    Headline("CEI", lambda m: m.cei, "index", "normal",
             "Collection effectiveness this month: what was collected out of what could have "
             f"been, in %. 100 is perfect. {DEFINITIONS}"),
    Headline("Over limit", lambda m: m.customers_over_limit, "count", "inverse",
             "Customers whose balance plus open orders exceeds their credit limit. "
             f"{DEFINITIONS}"),
    Headline("Top-10 share", lambda m: m.top_n_share, "pct", "inverse",
             "Share of receivables held by the 10 largest customers (positive balances). "
             f"{DEFINITIONS}"),
]  # fmt: skip


def _value_text(ctx: Context, card: Headline, value: float | None) -> str:
    if card.kind == "money":
        return ctx.money(value)
    return {
        "pct": format.pct,
        "days": format.days,
        "index": format.index_points,
        "count": format.count,
    }[card.kind](value)


def _change(now: float | None, before: float | None) -> float | None:
    return None if format.is_missing(now) or format.is_missing(before) else now - before


def _shows_zero(card: Headline, change: float) -> bool:
    """Whether the change reads as no change at the card's precision (then it is grey, with no
    arrow: a red "+0" with an up arrow said something had got worse)."""
    step = {"money": 0.5, "pct": 0.0005, "count": 0.5}.get(card.kind, 0.05)
    return abs(change) < step


def _delta_text(
    ctx: Context, card: Headline, now: float | None, before: float | None
) -> str | None:
    change = _change(now, before)
    if change is None:
        return None
    if _shows_zero(card, change):
        return "no change"
    if card.kind == "money":
        return ("+" if change >= 0 else "") + ctx.money(change)
    if card.kind == "pct":
        return f"{change * 100:+.1f} pp"
    if card.kind == "days":
        return f"{change:+.1f} days"
    if card.kind == "count":
        return f"{int(change):+d}"
    return f"{change:+.1f}"


def _card(
    ctx: Context,
    card: Headline,
    value: float | None,
    earlier: float | None,
    description: str,
    caption: str,
) -> Card:
    """A headline card: ``value`` with its change since ``earlier`` (grey, no arrow, when it
    reads as no change)."""
    flat = (change := _change(value, earlier)) is not None and _shows_zero(card, change)
    return Card(
        card.label,
        _value_text(ctx, card, value),
        card.help,
        delta=_delta_text(ctx, card, value, earlier),
        delta_color="off" if flat else card.delta_color,
        delta_arrow="off" if flat else "auto",
        delta_description=description,
        caption=caption,
    )


def headline_cards(
    ctx: Context,
    now: PortfolioMetrics,
    week: PortfolioMetrics | None,
    month: PortfolioMetrics | None,
) -> None:
    """One card per headline figure (four to a row): delta = change in a week; the month
    change in its caption."""
    cards = []
    for card in HEADLINE:
        value = card.value(now)
        earlier = card.value(week) if week else None
        month_delta = _delta_text(ctx, card, value, card.value(month) if month else None)
        caption = f"{month_delta or 'n/a'} vs 1 month ago"
        cards.append(_card(ctx, card, value, earlier, "vs 1 week ago", caption))
    card_row(cards[:4], columns=4)
    card_row(cards[4:], columns=4)


def comparison_cards(ctx: Context, headline: pd.DataFrame, a_label: str) -> None:
    """One card per row of a comparison's headline frame (analytics.portfolio.compare; money
    in the reporting currency), four to a row as on Overview (two below 1180 px): the value
    at date B, its change since date A as the delta, the value at A in the caption. A row's
    ``figure`` is its card's label."""
    by_label = {card.label: card for card in HEADLINE}
    cards = []
    for row in headline.itertuples():
        card = by_label[row.figure]
        caption = f"{a_label}: {_value_text(ctx, card, row.a_value)}"
        cards.append(_card(ctx, card, row.b_value, row.a_value, f"vs {a_label}", caption))
    card_row(cards[:4], columns=4, height="stretch")  # one height a row: captions line up
    card_row(cards[4:], columns=4, height="stretch")


def problem_rows(ctx: Context, problems) -> None:
    """Overview's largest problems, one line per customer (amounts already in the display
    currency): who, overdue, over limit, and a link to the customer."""
    for row in problems.itertuples():
        cols = st.columns([3, 2, 2, 2])
        cols[0].markdown(_who(row))
        share = (
            "" if format.is_missing(row.overdue_share) else f" ({format.pct(row.overdue_share)})"
        )
        cols[1].markdown(f"overdue **{_money(ctx, row.overdue_amount)}**{share}")
        if row.over_limit_amount > 0:
            cols[2].markdown(f"over limit by **{_money(ctx, row.over_limit_amount)}** "
                             f"({format.pct(row.utilisation)} used)")  # fmt: skip
        else:
            cols[2].markdown("within its limit" if not format.is_missing(row.utilisation)
                             else "no credit limit")  # fmt: skip
        cols[3].page_link("app_pages/customer.py", label=f"Open {plain(row.customer_id)}",
                          icon=":material/arrow_forward:",
                          query_params={"customer": row.customer_id})  # fmt: skip


def _who(row) -> str:
    """'**Name** (C00012) · rating B', without a name that only repeats the id or a rating
    the ledger does not have."""
    named = row.name and row.name != row.customer_id
    name, customer_id = plain(row.name), plain(row.customer_id)  # ledger text, not Markdown
    who = f"**{name}** ({customer_id})" if named else f"**{customer_id}**"
    rating = row.risk_rating
    has_rating = not format.is_missing(rating) and rating not in ("", "(none)")
    return who + (f" · rating {plain(rating)}" if has_rating else "")


def _money(ctx: Context, amount: float) -> str:
    """An amount already in the display currency."""
    return format.money(amount, ctx.currency)
