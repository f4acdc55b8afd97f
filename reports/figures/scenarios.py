"""Figures, cards and table layouts for the Scenarios page. Money inputs are in the display
currency unless a function says otherwise."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics.policy.limit_backtest import BacktestResult
from analytics.policy.simulator import SimulationResult, comparison_table
from reports import format

from .charts import money_axis, style
from .context import Context

BASELINE, SCENARIO = "#8a98a8", "#1f4e79"
UP, DOWN = "#1e8449", "#c0392b"
CARD_ROWS = [  # figure labels of comparison_table, as the cards show them, row by row
    ["DSO (standard)", "DSO (countback)", "AR balance"],
    ["Working capital tied up", "Receipts, next 13 weeks", "Receipts, next 12 months"],
    ["Sales gained per year", "Sales blocked per year", "Financing cost per year"],
    ["Expected credit loss", "Net profit per year", "Net profit effect per year"],
]
LOWER_IS_BETTER = {"DSO (standard)", "DSO (countback)", "AR balance", "Working capital tied up",
                   "Sales blocked per year", "Financing cost per year", "Expected credit loss"}  # fmt: skip


def value_text(ctx: Context, value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return format.NA
    if unit == "days":
        return format.days(value)
    if unit == "count":
        return format.count(value)
    return ctx.money(value)


def delta_text(ctx: Context, change: float | None, unit: str) -> str | None:
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return None
    if abs(change) < (0.05 if unit == "days" else 0.5):
        return "no change"
    if unit == "days":
        return f"{change:+,.1f} days"
    if unit == "count":
        return f"{change:+,.0f}"
    return ("+" if change >= 0 else "") + ctx.money(change)


def result_cards(ctx: Context, r: SimulationResult) -> None:
    """Scenario value, change against the baseline and, under each, how it is computed."""
    rows = comparison_table(r).set_index("figure")
    for labels in CARD_ROWS:
        for column, label in zip(st.columns(len(labels)), labels, strict=True):
            row = rows.loc[label]
            flow = label.startswith(("Sales gained", "Sales blocked", "Net profit effect"))
            delta = None if flow else delta_text(ctx, row["change"], row["unit"])
            still = delta == "no change"
            colour = "inverse" if label in LOWER_IS_BETTER else "normal"
            column.metric(label, value_text(ctx, row["scenario"], row["unit"]), delta,
                          delta_color="off" if still else colour,
                          delta_arrow="off" if still else "auto", border=True)  # fmt: skip
            baseline = "" if flow else f"Baseline {value_text(ctx, row['baseline'], row['unit'])}. "
            column.caption(baseline + row["how"])


def waterfall(bridge: pd.DataFrame, currency: str) -> go.Figure:
    """From the baseline's yearly net profit to the scenario's, step by step."""
    measure = bridge["kind"].map({"absolute": "absolute", "relative": "relative", "total": "total"})
    fig = go.Figure(
        go.Waterfall(
            x=bridge["step"], y=bridge["amount"], measure=measure,
            increasing={"marker": {"color": UP}}, decreasing={"marker": {"color": DOWN}},
            totals={"marker": {"color": SCENARIO}},
            text=[f"{v:+,.0f}" if k == "relative" else f"{v:,.0f}"
                  for v, k in zip(bridge["amount"], bridge["kind"], strict=True)],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{x}: %{y:,.0f} " + currency + "<extra></extra>",
        )
    )  # fmt: skip
    style(fig, "Net profit per year: baseline to scenario", None, f"Net profit ({currency})", 400)
    low, high = profit_range(bridge)
    fig.update_yaxes(range=[low, high])
    fig.update_layout(
        title_subtitle_text="The axis does not start at zero, so that the steps show."
    )
    return money_axis(fig, currency)


def profit_range(bridge: pd.DataFrame) -> tuple[float, float]:
    """A y range around the path from baseline to scenario profit, so that steps small next
    to the profit itself stay visible (the axis then does not start at zero)."""
    path = bridge["amount"].where(bridge["kind"] != "relative").ffill()
    running = bridge["amount"].iloc[0] + bridge["amount"].where(bridge["kind"] == "relative",
                                                                0.0).cumsum()  # fmt: skip
    values = pd.concat([path, running])
    low, high = float(values.min()), float(values.max())
    pad = max(high - low, 0.02 * max(abs(low), abs(high)), 1.0)
    return low - pad, high + pad * 0.6


def receipts_chart(table: pd.DataFrame, currency: str, unit: str) -> go.Figure:
    """Expected receipts per week or month, baseline and scenario."""
    label = "Week" if unit == "week" else "Month"
    x = [f"{label[0]}{p}" for p in table["period"]]
    fig = go.Figure()
    for column, name, colour in (("baseline_amount", "Baseline", BASELINE),
                                 ("scenario_amount", "Scenario", SCENARIO)):  # fmt: skip
        fig.add_bar(
            x=x, y=table[column], name=name, marker_color=colour,
            customdata=table[["start_date", "end_date"]].astype(str),
            hovertemplate="%{customdata[0]} to %{customdata[1]}: %{y:,.0f} " + currency
            + "<extra>" + name + "</extra>",
        )  # fmt: skip
    fig.update_layout(barmode="group")
    style(fig, f"Expected receipts per {unit}", f"{label} after the as-of date",
          f"Receipts ({currency})")  # fmt: skip
    return money_axis(fig, currency)


def comparison_chart(table: pd.DataFrame, currency: str) -> go.Figure:
    """Net profit effect of each compared scenario against its baseline."""
    effect = table[table["figure"] == "Net profit effect per year"].iloc[0]
    names = [c for c in table.columns if c not in ("figure", "unit", "baseline")]
    values = [float(effect[n]) for n in names]
    fig = go.Figure(
        go.Bar(
            x=names, y=values, marker_color=[UP if v >= 0 else DOWN for v in values],
            text=[f"{v:+,.0f}" for v in values], textposition="outside", cliponaxis=False,
            hovertemplate="%{x}: %{y:+,.0f} " + currency + " a year<extra></extra>",
        )
    )  # fmt: skip
    style(fig, "Net profit effect per year", "Scenario", f"Change in net profit ({currency})")
    return money_axis(fig, currency)


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
    for column, (label, value, how) in zip(st.columns(len(cards)), cards, strict=True):
        column.metric(label, value, border=True)
        column.caption(how)


def comparison_columns(currency: str) -> dict:
    return {
        "figure": st.column_config.TextColumn("Figure"),
        "unit": st.column_config.TextColumn("Unit", help=f"money in {currency}"),
        "baseline": st.column_config.NumberColumn("Baseline", format="%,.1f"),
        "scenario": st.column_config.NumberColumn("Scenario", format="%,.1f"),
        "change": st.column_config.NumberColumn("Change", format="%+,.1f"),
        "how": st.column_config.TextColumn("How it is computed", width="large"),
    }


def compare_columns(table: pd.DataFrame, currency: str) -> dict:
    """Saved scenarios side by side: one number column per scenario."""
    config = {c: st.column_config.NumberColumn(c, format="%,.1f") for c in table.columns[2:]}
    return {"unit": st.column_config.TextColumn("Unit", help=f"money in {currency}"), **config}


def customer_columns(currency: str) -> dict:
    money = {"proposed_limit": "Proposed limit", "balance_amount": "AR",
             "scenario_balance_amount": "Scenario AR", "sales_amount": "Window sales",
             "scenario_sales_amount": "Scenario window sales"}  # fmt: skip
    days = {"terms_days": "Terms (days)", "terms_change_days": "Terms change (days)",
            "late_cut_days": "Lateness cut (days)"}  # fmt: skip
    factors = {"sales_factor": "Sales factor", "block_factor": "Share not blocked"}
    return {
        **{c: st.column_config.NumberColumn(f"{t} ({currency})", format="%,.0f")
           for c, t in money.items()},
        **{c: st.column_config.NumberColumn(t, format="%,.1f") for c, t in days.items()},
        **{c: st.column_config.NumberColumn(t, format="%.3f") for c, t in factors.items()},
    }  # fmt: skip


def receipts_columns(currency: str) -> dict:
    money = {c: st.column_config.NumberColumn(f"{c.split('_')[0].title()} ({currency})",
                                              format="%,.0f")
             for c in ("baseline_amount", "scenario_amount", "change_amount")}  # fmt: skip
    return {"period": st.column_config.NumberColumn("Period"), **money}


def backtest_columns(currency: str) -> dict:
    money = {"amount": "Amount", "balance_before_amount": "Balance before",
             "exposure_amount": "Exposure with it", "cap_amount": "Cap",
             "defaulted_amount": "Open 91 days after due"}  # fmt: skip
    return {c: st.column_config.NumberColumn(f"{label} ({currency})", format="%,.0f")
            for c, label in money.items()}  # fmt: skip


HOW_COMPUTED = """
**Baseline** is today's policy on the sidebar's customers as of the sidebar date: the same AR,
DSO and exposure as every other page (spec §2-§6), and the Cash flow page's expected receipts.
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
  financing cost = working capital × cost of capital; expected credit loss = Σ PD(rating) ×
  (exposure − min(exposure, insured limit) × insurance cover) × LGD; net profit = gross margin
  on sales − financing cost − expected credit loss.
- **PD by rating** (table below) comes from this ledger: the amount of undisputed invoices
  still unpaid 91 days after their due date (due dates in the 12 months ending 91 days before
  the as-of date) ÷ the rating's average month-end AR over those months; at least 0.03 % (the
  Basel floor); a rating without history takes the whole portfolio's rate.
- **Receipts** are the cash-flow projection in expectation: open items by each customer's
  payment history (earlier by the lateness cut; terms change only new invoices), sales not
  yet invoiced by the sales forecast through the collection curve (scaled by the scenario's
  sales, later by the terms change). Details: docs/simulator.md.
"""
