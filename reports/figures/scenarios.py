"""Figures of the Scenarios page. Money inputs are in the display currency."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import money_axis, style

BASELINE, SCENARIO = "#8a98a8", "#1f4e79"
UP, DOWN = "#1e8449", "#c0392b"


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
