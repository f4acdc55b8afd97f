"""reports/figures/cashflow.py: the fan chart, the funding chart, the backtest."""

from __future__ import annotations

from datetime import date

import pandas as pd

from reports.figures.cashflow import AT_RISK, SHORT, backtest_chart, fan_chart, funding_chart

ENDS = pd.to_datetime(["2025-01-07", "2025-01-14"])
PERIODS = pd.DataFrame({"end_date": ENDS, "open_ar_amount": [80.0, 60.0],
                        "new_sales_amount": [20.0, 30.0], "p10_amount": [70.0, 60.0],
                        "p50_amount": [99.0, 88.0], "p90_amount": [130.0, 120.0]})  # fmt: skip


def test_fan_chart_stacks_expected_receipts_under_the_band_and_the_median():
    actuals = pd.DataFrame({"end_date": pd.to_datetime(["2024-12-31"]), "receipts_amount": [95.0]})
    fig = fan_chart(PERIODS, actuals, date(2025, 1, 1), "EUR", "week")
    names = [t.name for t in fig.data]
    assert names == ["Expected from open AR", "Expected from new sales", None, "P10-P90",
                     "P50 (median)", "Actual receipts"]  # fmt: skip
    assert list(fig.data[2].y) == [130.0, 120.0] and fig.data[3].fill == "tonexty"  # P90, P10
    assert fig.layout.barmode == "stack"
    assert fig.layout.title.text == "Projected receipts per week, with the P10-P90 band"
    assert fig.layout.yaxis.title.text == "Receipts (EUR)"


def test_fan_chart_without_actuals_has_no_actual_line():
    fig = fan_chart(PERIODS, None, date(2025, 1, 1), "EUR", "month")
    assert "Actual receipts" not in [t.name for t in fig.data]
    assert fig.layout.xaxis.title.text == "Month ending"


def test_funding_chart_marks_short_and_at_risk_weeks_against_the_buffer():
    gap = pd.DataFrame({"end_date": ENDS, "cash_p10_amount": [5.0, -10.0],
                        "cash_p50_amount": [50.0, 8.0], "cash_p90_amount": [90.0, 40.0],
                        "status": ["at risk", "short"]})  # fmt: skip
    fig = funding_chart(gap, 10.0, "USD")
    short = next(t for t in fig.data if t.name == "Week short")
    at_risk = next(t for t in fig.data if t.name == "Week at risk")
    assert list(short.y) == [8.0] and short.marker.color == SHORT
    assert list(at_risk.y) == [50.0] and at_risk.marker.color == AT_RISK
    assert fig.layout.shapes[0].y0 == 10.0
    assert fig.layout.annotations[0].text == "Minimum buffer USD 10"


def test_backtest_draws_actual_and_the_three_methods():
    totals = pd.DataFrame({"origin": pd.to_datetime(["2024-06-30"]), "actual": [100.0],
                           "projection": [98.0], "due_date": [120.0], "average": [90.0]})  # fmt: skip
    fig = backtest_chart(totals, 13, "EUR")
    assert [t.name for t in fig.data] == ["Actual", "Projection (ours)", "Due date (naive)",
                                          "13-week average (naive)"]  # fmt: skip
    assert [list(t.y) for t in fig.data] == [[100.0], [98.0], [120.0], [90.0]]
