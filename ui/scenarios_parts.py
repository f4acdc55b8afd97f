"""The Scenarios page's cards and explanation (figures: reports/figures/scenarios.py; columns:
reports/columns.py). Money inputs are in the reporting currency; ``ctx.money`` translates."""

from __future__ import annotations

import pandas as pd

from analytics.policy.limit_backtest import BacktestResult
from analytics.policy.simulator import SimulationResult, comparison_table
from reports import format

from .components import Card, card_row
from .context import Context

CARD_ROWS = [  # figure labels of comparison_table, as the cards show them, row by row
    ["DSO (standard)", "DSO (countback)", "AR balance"],
    ["Working capital tied up", "Receipts, next 13 weeks", "Receipts, next 12 months"],
    ["Sales gained per year", "Sales blocked per year", "Financing cost per year"],
    ["Expected credit loss", "Net profit per year", "Net profit effect per year"],
]
LOWER_IS_BETTER = {"DSO (standard)", "DSO (countback)", "AR balance", "Working capital tied up",
                   "Sales blocked per year", "Financing cost per year", "Expected credit loss"}  # fmt: skip


def value_text(ctx: Context, value: float | None, unit: str) -> str:
    if format.is_missing(value):
        return format.NA
    if unit == "days":
        return format.days(value)
    if unit == "count":
        return format.count(value)
    return ctx.money(value)


def delta_text(ctx: Context, change: float | None, unit: str) -> str | None:
    if format.is_missing(change):
        return None
    if abs(change) < (0.05 if unit == "days" else 0.5):
        return "no change"
    if unit == "days":
        return f"{change:+,.1f} days"
    if unit == "count":
        return f"{change:+,.0f}"
    return ("+" if change >= 0 else "") + ctx.money(change)


def _result_card(ctx: Context, label: str, row: pd.Series) -> Card:
    flow = label.startswith(("Sales gained", "Sales blocked", "Net profit effect"))
    delta = None if flow else delta_text(ctx, row["change"], row["unit"])
    still = delta == "no change"
    colour = "inverse" if label in LOWER_IS_BETTER else "normal"
    baseline = "" if flow else f"Baseline {value_text(ctx, row['baseline'], row['unit'])}. "
    return Card(label, value_text(ctx, row["scenario"], row["unit"]), delta=delta,
                delta_color="off" if still else colour, delta_arrow="off" if still else "auto",
                caption=baseline + row["how"])  # fmt: skip


def result_cards(ctx: Context, r: SimulationResult) -> None:
    """Scenario value, change against the baseline and, under each, how it is computed."""
    rows = comparison_table(r).set_index("figure")
    for labels in CARD_ROWS:
        card_row([_result_card(ctx, label, rows.loc[label]) for label in labels])


def backtest_cards(ctx: Context, b: BacktestResult) -> None:
    verb = "blocked" if b.action == "block" else "flagged"
    share = format.pct(b.avoided_share) if b.avoided_share is not None else format.NA
    cards = [
        (f"Invoices {verb}", format.count(b.n_over), f"of {b.n_tested:,} invoices of customers "
         "with a proposed limit in the last 12 months."),
        (f"Amount {verb}", ctx.money(b.over_amount), f"Of {ctx.money(b.tested_amount)} invoiced "
         f"to them; {ctx.money(b.good_amount_over)} of it on invoices that were paid in time."),
        ("Customers affected", format.count(b.n_customers), "With at least one such invoice."),
        ("90+ exposure avoided", ctx.money(b.avoided_amount), f"{share} of the "
         f"{ctx.money(b.defaulted_amount)} that went more than 90 days past due (matured "
         "invoices of the year)."),
    ]  # fmt: skip
    card_row([Card(label, value, caption=how) for label, value, how in cards])


HOW_COMPUTED = """
**Baseline** is today's policy on the sidebar's customers as of the sidebar date: the same AR,
DSO and exposure as every other page, and the Cash flow page's expected receipts.
**Scenario** applies the levers to the chosen customers, **in steady state per year**: as if the
policy had been in force long enough for every invoice to be under it.

- **Terms.** A customer's AR = its daily credit sales (window sales ÷ N) × its days
  outstanding; paying Δ days later adds daily sales × Δ. *Change by* moves every term by Δ
  (never below 0 days); *new standard term* sets it, Δ = new − the customer's current terms
  (amount-weighted due − invoice date of its last year's invoices). Sales move by the
  elasticity: × (1 + e × Δ ÷ 10 days).
- **Collection effort** takes x % off each customer's average days late (amount-weighted,
  positive part, invoices settled in the last year); with *disputed invoices keep their
  lateness* only the undisputed part is cut. Fewer days late = less AR (never below zero).
- **Credit limits.** Proposed limit = today's limit (or x months of the last year's average
  monthly sales) × the rating's multiplier; the cap adds the tolerance. *Block*: a customer
  whose exposure (max(AR, 0) + open orders) would exceed its cap keeps cap ÷ exposure of its
  sales, AR and orders (a customer with no sales has nothing to block); *flag* only counts.
  The backtest replays the last 12 months of invoices in date order against these caps.
- **Economics** (the same on both sides): working capital = AR × (1 − gross margin);
  financing cost = working capital × cost of capital; expected credit loss = Σ PD ×
  (exposure − min(exposure, insured limit) × insurance cover) × LGD; net profit = gross margin
  on sales − financing cost − expected credit loss.
- **PD** is the behavioural model's (Risk, Grades and PD) for every customer it scores, made a
  12-month PD as 1 − (1 − 6-month PD)², the same hazard in both halves of the year; a customer
  in default counts at 100 %. A customer the model does not score (too little history) takes
  its rating's PD from this ledger (table below): the amount of undisputed invoices still
  unpaid 91 days after their due date (due dates in the 12 months ending 91 days before the
  as-of date) ÷ the rating's average month-end AR over those months; at least 0.03 % (the
  Basel floor); a rating without history takes the whole portfolio's rate.
- **Receipts** are the cash-flow projection in expectation: open items by each customer's
  payment history (earlier by the lateness cut; terms change only new invoices), sales not
  yet invoiced by the sales forecast through the collection curve (scaled by the scenario's
  sales, later by the terms change). Details: docs/simulator.md; definitions:
  docs/metrics.md#scenarios-page.
"""
