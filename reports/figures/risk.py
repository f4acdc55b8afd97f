"""Figures of the Risk pages. Money inputs are already in the display currency; rates and
shares are fractions (0.25 = 25 %)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .style import aging_colours, money_axis, style

RATE_LINE = "#1f4e79"


def ecl_by_bucket_bar(matrix: pd.DataFrame, currency: str) -> go.Figure:
    """Open amount per aging bucket (bars) and the loss rate applied (line, right axis), from
    the provision matrix's bucket rows (``bucket, open_amount, rate_applied, ecl_amount``)."""
    fig = go.Figure()
    fig.add_bar(
        x=matrix["bucket"], y=matrix["open_amount"], name=f"Open ({currency})",
        marker_color=aging_colours(len(matrix)), customdata=matrix[["ecl_amount"]],
        hovertemplate="%{x}: open %{y:,.0f}<br>expected loss %{customdata[0]:,.0f}"
        f" {currency}<extra></extra>",
    )  # fmt: skip
    fig.add_scatter(
        x=matrix["bucket"], y=matrix["rate_applied"] * 100, name="Loss rate applied (%)",
        yaxis="y2", mode="lines+markers+text", line_color=RATE_LINE,
        text=[_pct_text(v) for v in matrix["rate_applied"]], textposition="top center",
        cliponaxis=False, hovertemplate="%{x}: %{y:.2f} % loss rate<extra></extra>",
    )  # fmt: skip
    style(fig, "Open receivables and loss rate by aging bucket", "Aging bucket (days past due)",
          f"Open ({currency})")  # fmt: skip
    money_axis(fig, currency)  # before the rate axis: it formats every y axis
    fig.update_layout(
        yaxis2={"overlaying": "y", "side": "right", "title": "Loss rate (%)", "tickformat": ".0f",
                "ticksuffix": " %", "range": [0, 105], "showgrid": False},
        showlegend=True,
    )  # fmt: skip
    return fig


def roll_rate_heatmap(rates: pd.DataFrame) -> go.Figure:
    """Where the amount in each bucket at a month-end is at the next (rows: from, columns:
    to, collected, written off), as shares; an empty row is a bucket that held nothing."""
    shares = rates * 100
    text = [[_pct_text(v / 100) for v in row] for row in shares.to_numpy()]
    fig = go.Figure(
        go.Heatmap(
            z=shares.to_numpy(), x=list(shares.columns), y=list(shares.index), text=text,
            texttemplate="%{text}", colorscale="Blues", zmin=0, zmax=100,
            colorbar={"title": "%", "ticksuffix": " %"},
            hovertemplate="From %{y} to %{x}: %{z:.1f} % of the amount<extra></extra>",
        )
    )  # fmt: skip
    style(fig, "Roll rates: where each bucket's amount is one month later",
          "At the next month-end", "At a month-end", height=380)  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category")
    return fig


def _pct_text(value: float) -> str:
    """'12.3 %', or '' for a missing value.

    >>> _pct_text(0.1234), _pct_text(float("nan"))
    ('12.3 %', '')
    """
    return "" if pd.isna(value) else f"{value * 100:.1f} %"


GRADE_COLOURS = {"A": "#1e8449", "B": "#52be80", "C": "#f4d03f", "D": "#eb984e", "E": "#c0392b",
                 "not graded": "#aab7b8"}  # fmt: skip


def grade_bar(distribution: pd.DataFrame) -> go.Figure:
    """Customers per behavioural grade (``grade, customers``)."""
    fig = go.Figure(
        go.Bar(
            x=distribution["grade"], y=distribution["customers"],
            marker_color=[GRADE_COLOURS.get(g, "#566573") for g in distribution["grade"]],
            text=distribution["customers"], textposition="outside", cliponaxis=False,
            hovertemplate="Grade %{x}: %{y} customers<extra></extra>",
        )
    )  # fmt: skip
    style(fig, "Customers by behavioural grade", "Grade", "Customers")
    return fig


def calibration_chart(calibration: pd.DataFrame) -> go.Figure:
    """Mean PD against the observed default rate per PD decile (``decile, mean_pd,
    default_rate``): a calibrated model's bars follow its line."""
    fig = go.Figure()
    fig.add_bar(x=calibration["decile"], y=calibration["default_rate"] * 100,
                name="Observed default rate", marker_color="#2e86c1",
                hovertemplate="Decile %{x}: %{y:.1f} % defaulted<extra></extra>")  # fmt: skip
    fig.add_scatter(x=calibration["decile"], y=calibration["mean_pd"] * 100, name="Mean PD",
                    mode="lines+markers", line_color="#c0392b",
                    hovertemplate="Decile %{x}: mean PD %{y:.1f} %<extra></extra>")  # fmt: skip
    style(fig, "Calibration out of time: PD against what happened",
          "PD decile (1: lowest PD)", "Share of points (%)")  # fmt: skip
    fig.update_yaxes(ticksuffix=" %", rangemode="tozero")
    fig.update_xaxes(dtick=1)
    return fig


def migration_heatmap(matrix: pd.DataFrame, before: str, after: str) -> go.Figure:
    """Customer counts from each grade at ``before`` (rows) to each at ``after`` (columns)."""
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(), x=list(matrix.columns), y=list(matrix.index),
            text=matrix.to_numpy(), texttemplate="%{text}", colorscale="Blues",
            showscale=False,
            hovertemplate=f"%{{z}} customers: %{{y}} on {before}, %{{x}} on {after}<extra></extra>",
        )
    )  # fmt: skip
    style(fig, f"Grade migration, {before} → {after}", f"Grade on {after}",
          f"Grade on {before}", height=380)  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="bottom")
    return fig
