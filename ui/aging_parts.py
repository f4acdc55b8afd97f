"""The Aging page's cards (figures: reports/figures/aging.py; columns: reports/columns.py)."""

from __future__ import annotations

from reports import format

from .components import Card, card_row

CARDS = [
    ("Open items", "open_amount", "Σ open amounts of all ages, disputed included (definitions: docs/metrics.md)."),
    ("Overdue share", "overdue_share", "Open amounts past their due date (dpd ≥ 1) ÷ all open "
     "amounts (definitions: docs/metrics.md), whatever the aging basis."),
    ("Of which disputed", "disputed_amount", "Open amount of documents flagged as disputed, "
     "all ages; each is in its bucket like any open item (hatched in the chart)."),
    ("Unapplied", "unapplied_amount", "Payments on account not applied to any invoice: "
     "not aged, subtracted from the balance (definitions: docs/metrics.md)."),
    ("Balance", "balance_amount", "Total receivables: open items − unapplied cash (definitions: docs/metrics.md)."),
]  # fmt: skip


def _card(label: str, key: str, note: str, value: float | None, currency: str) -> Card:
    if key == "overdue_share":
        return Card(label, format.pct(value), note)
    text = format.money(value, "").replace(" ", "")  # "-12.63M"
    return Card(f"{label} ({currency})", text, note)


def aging_cards(totals: dict[str, float | None], currency: str) -> None:
    """One card per portfolio total of the aging table (display currency, named in the label
    so that the compact value fits a fifth of the page)."""
    card_row([_card(label, key, note, totals[key], currency) for label, key, note in CARDS])
