"""Headline cards: a figure as of D with its change since a week and a month earlier."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from analytics.portfolio.report import PortfolioMetrics
from reports import format

from .components import Card, card_row
from .context import Context


@dataclass(frozen=True)
class Headline:
    label: str
    value: Callable[[PortfolioMetrics], float | None]
    kind: str  # money | pct | days | index | count
    delta_color: str  # normal (up is good) | inverse (up is bad) | off
    help: str


HEADLINE = [
    Headline(
        "Total AR",
        lambda m: m.ar_total,
        "money",
        "off",
        "Σ open amounts − unapplied cash (spec §2).",
    ),
    Headline(
        "Overdue",
        lambda m: m.overdue_share,
        "pct",
        "inverse",
        "Share of open amounts past due (dpd ≥ 1, spec §3).",
    ),
    Headline(
        "DSO (countback)",
        lambda m: m.dso_countback,
        "days",
        "inverse",
        "Months of sales, counted back, that make up AR (spec §4).",
    ),
    Headline(
        "Best possible DSO",
        lambda m: m.dso_best_possible,
        "days",
        "inverse",
        "Current (not yet due) AR / sales in the window × window days.",
    ),
    Headline(
        "CEI",
        lambda m: m.cei,
        "index",
        "normal",
        "Collected ÷ collectable this month, × 100 (spec §4).",
    ),
    Headline(
        "Over limit",
        lambda m: m.customers_over_limit,
        "count",
        "inverse",
        "Customers whose exposure exceeds their credit limit (spec §6).",
    ),
    Headline(
        "Top-10 share",
        lambda m: m.top_n_share,
        "pct",
        "inverse",
        "Share of positive balances held by the 10 largest customers (spec §5).",
    ),
]


def _value_text(ctx: Context, card: Headline, value: float | None) -> str:
    if card.kind == "money":
        return ctx.money(value)
    return {
        "pct": format.pct,
        "days": format.days,
        "index": format.index_points,
        "count": format.count,
    }[card.kind](value)


def _delta_text(
    ctx: Context, card: Headline, now: float | None, before: float | None
) -> str | None:
    if format.is_missing(now) or format.is_missing(before):
        return None
    change = now - before
    if card.kind == "money":
        return ("+" if change >= 0 else "") + ctx.money(change)
    if card.kind == "pct":
        return f"{change * 100:+.1f} pp"
    if card.kind == "days":
        return f"{change:+.1f} days"
    if card.kind == "count":
        return f"{int(change):+d}"
    return f"{change:+.1f}"


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
        month_delta = _delta_text(ctx, card, value, card.value(month) if month else None)
        cards.append(
            Card(
                card.label,
                _value_text(ctx, card, value),
                card.help,
                delta=_delta_text(ctx, card, value, card.value(week) if week else None),
                delta_color=card.delta_color,
                delta_description="vs 1 week ago",
                caption=f"{month_delta or 'n/a'} vs 1 month ago",
            )
        )
    card_row(cards[:4], columns=4)
    card_row(cards[4:], columns=4)
