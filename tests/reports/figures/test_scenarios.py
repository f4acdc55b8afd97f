"""reports/figures/scenarios.py: profit waterfall, receipts, comparison."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.figures.scenarios import (
    DOWN,
    UP,
    comparison_chart,
    profit_range,
    receipts_chart,
    waterfall,
)

BRIDGE = pd.DataFrame({"step": ["Baseline", "Sales", "Financing", "Scenario"],
                       "amount": [1000.0, 50.0, -20.0, 1030.0],
                       "kind": ["absolute", "relative", "relative", "total"]})  # fmt: skip


def test_profit_range_frames_the_path_not_zero():
    # path 1000 → 1050 → 1030: low 1000, high 1050; pad = max(50, 2 % of 1050 = 21, 1) = 50
    assert profit_range(BRIDGE) == pytest.approx((950.0, 1080.0))  # 1050 + 50 × 0.6


def test_waterfall_signs_the_steps_and_totals_the_ends():
    fig = waterfall(BRIDGE, "EUR")
    step = fig.data[0]
    assert list(step.text) == ["1,000", "+50", "-20", "1,030"]
    assert list(step.measure) == ["absolute", "relative", "relative", "total"]
    assert fig.layout.yaxis.range == pytest.approx((950.0, 1080.0))
    assert fig.layout.yaxis.title.text == "Net profit (EUR)"


def test_receipts_pair_baseline_and_scenario_per_period():
    table = pd.DataFrame({"period": [1, 2], "start_date": ["2025-01-01", "2025-01-08"],
                          "end_date": ["2025-01-07", "2025-01-14"],
                          "baseline_amount": [10.0, 20.0], "scenario_amount": [12.0, 18.0]})  # fmt: skip
    fig = receipts_chart(table, "USD", "week")
    assert [t.name for t in fig.data] == ["Baseline", "Scenario"]
    assert list(fig.data[0].x) == ["W1", "W2"] and list(fig.data[1].y) == [12.0, 18.0]
    assert fig.layout.title.text == "Expected receipts per week"


def test_comparison_shows_each_scenarios_profit_effect_green_up_red_down():
    table = pd.DataFrame({"figure": ["AR balance", "Net profit effect per year"],
                          "unit": ["money", "money"], "baseline": [1.0, 0.0],
                          "Plan A": [2.0, 150.0], "Plan B": [3.0, -40.0]})  # fmt: skip
    bar = comparison_chart(table, "EUR").data[0]
    assert list(bar.x) == ["Plan A", "Plan B"] and list(bar.y) == [150.0, -40.0]
    assert list(bar.text) == ["+150", "-40"]
    assert list(bar.marker.color) == [UP, DOWN]
