"""reports/figures/dso.py: DSO lines, ADD bars, CEI, the bridge waterfall."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.figures.dso import add_bars, bridge_waterfall, cei_line, dso_trend

TREND = pd.DataFrame({"month_end": pd.to_datetime(["2025-01-31", "2025-02-28"]),
                      "dso_standard": [50.0, 55.0], "dso_countback": [48.0, 52.0],
                      "dso_best_possible": [30.0, 31.0], "add": [20.0, 24.0],
                      "cei": [80.0, 85.5]})  # fmt: skip


def test_three_dso_lines_best_possible_dotted():
    fig = dso_trend(TREND)
    assert [t.name for t in fig.data] == ["Standard DSO", "Countback DSO", "Best possible DSO"]
    assert [t.line.dash for t in fig.data] == ["solid", "solid", "dot"]
    assert list(fig.data[0].y) == [50.0, 55.0]


def test_add_and_cei():
    assert list(add_bars(TREND).data[0].y) == [20.0, 24.0]
    cei = cei_line(TREND)
    assert list(cei.data[0].y) == [80.0, 85.5] and cei.layout.yaxis.range == (0, 105)


def test_the_bridge_walks_from_last_months_dso_to_this_months():
    row = pd.Series({"previous_month_end": pd.Timestamp("2025-01-31"),
                     "month_end": pd.Timestamp("2025-02-28"), "dso_previous": 50.0,
                     "sales_effect": -3.0, "collections_effect": 8.0, "dso": 55.0,
                     "dso_change": 5.0})  # fmt: skip
    fig = bridge_waterfall(row)
    step = fig.data[0]
    assert list(step.x) == ["DSO Jan 2025", "Sales volume", "Collections (AR)", "DSO Feb 2025"]
    assert list(step.text) == ["50.0 days", "-3.0 days", "+8.0 days", "55.0 days"]
    assert fig.layout.title.text == "Standard DSO bridge, Jan 2025 → Feb 2025 (+5.0 days)"
    # levels 0, 50, 47, 55: pad = (55 − 0) × 0.15 = 8.25; the axis starts at 0 (no negative level)
    assert fig.layout.yaxis.range == pytest.approx((0, 63.25))
