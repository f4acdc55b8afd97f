"""The one metric set: hand-worked rows, undefined → NaN, and the three grains agreeing."""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import pytest

from analytics.metrics.metric_set import MEASURES, METRICS, countback_days, metric_set
from analytics.portfolio.breakdown import breakdown
from analytics.portfolio.report import portfolio_measures, portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from analytics.portfolio.trend import monthly_trend
from tests.analytics.portfolio.test_report import base_tables
from tests.ledger_factory import load


def row(**values: float) -> dict:
    return {name: 0.0 for name in MEASURES} | values


def test_two_rows_worked_by_hand():
    frame = pd.DataFrame(
        [
            # open 1,000 (600 current + 400 overdue), AR 950 after 50 unapplied, 90-day sales
            # 1,900; opening AR 800, period sales 700.
            # overdue share 400 / 1,000 = 0.4; standard 950 / 1,900 × 90 = 45;
            # best possible 600 / 1,900 × 90 = 28.421…; ADD 45 − 28.421… = 16.578…;
            # CEI (800 + 700 − 950) / (800 + 700 − 600) × 100 = 550 / 900 × 100 = 61.11…
            row(ar_current=600, ar_overdue=400, ar_unapplied=50, ar_total=950,
                sales_window=1_900, ar_opening=800, sales_period=700),
            # nothing open, no sales, nothing collectable: every ratio undefined
            row(),
        ]
    )  # fmt: skip
    out = metric_set(frame, 90)
    assert list(out.columns) == list(METRICS)
    first = out.iloc[0]
    assert first["overdue_share"] == pytest.approx(0.4)
    assert first["dso_standard"] == pytest.approx(45.0)
    assert first["dso_best_possible"] == pytest.approx(600 / 1900 * 90)
    assert first["add"] == pytest.approx(45.0 - 600 / 1900 * 90)
    assert first["cei"] == pytest.approx(550 / 900 * 100)
    assert out.iloc[1].isna().all()


def test_negative_sales_leave_dso_undefined_but_not_the_overdue_share():
    # credit notes outweigh invoices in the window: S = -10 → DSO undefined (spec §4)
    out = metric_set(pd.DataFrame([row(ar_current=10, ar_overdue=30, ar_total=40,
                                       sales_window=-10)]), 30).iloc[0]  # fmt: skip
    assert math.isnan(out["dso_standard"]) and math.isnan(out["add"])
    assert out["overdue_share"] == pytest.approx(0.75)  # 30 / 40


def test_the_measures_are_not_changed():
    frame = pd.DataFrame([row(ar_total=1.0, sales_window=2.0)])
    before = frame.copy()
    metric_set(frame, 90)
    pd.testing.assert_frame_equal(frame, before)


def test_countback_per_row_including_an_undefined_and_a_lower_bound():
    days, bound = countback_days(
        [2_000.0, 100.0, 1_000.0],
        [
            [(200, 31), (400, 31), (600, 30), (700, 31), (500, 30)],  # spec example: 129 days
            [],  # no sales at all: undefined
            [(100, 31), (100, 30)],  # runs out of periods: 61 days, a lower bound
        ],
    )
    assert days[0] == pytest.approx(129.0)
    assert math.isnan(days[1])
    assert days[2] == pytest.approx(61.0) and bound.tolist() == [False, False, True]


@pytest.fixture
def base(tmp_path):
    return load(tmp_path, **base_tables())


def test_portfolio_figures_are_the_metric_set_of_the_portfolio_measures(base):
    snap = snapshot(base, Options(as_of=date(2024, 2, 20)))
    m = portfolio_metrics(snap)
    measures = portfolio_measures(snap).iloc[0]
    # the base ledger (tests/analytics/portfolio/test_report.py): AR 1,250, current 300,
    # overdue 1,000, unapplied 50, 90-day sales 1,700, AR at 31 Jan 1,500, sales since 200
    assert measures.to_dict() == pytest.approx(dict(
        ar_current=300, ar_overdue=1_000, ar_unapplied=50, ar_total=1_250,
        sales_window=1_700, ar_opening=1_500, sales_period=200))  # fmt: skip
    assert m.overdue_share == pytest.approx(1_000 / 1_300)
    assert m.cei == pytest.approx(450 / 1_400 * 100)


def test_a_one_group_breakdown_and_a_month_end_trend_row_equal_the_portfolio(base):
    as_of = date(2024, 2, 29)  # a month-end, so the trend's last row is the same date
    snap = snapshot(base, Options(as_of=as_of))
    m = portfolio_metrics(snap)
    whole = pd.DataFrame([{"dso_standard": m.dso_standard, "dso_best_possible": m.dso_best_possible,
                           "add": m.add, "cei": m.cei, "overdue_share": m.overdue_share,
                           "dso_countback": m.dso_countback}])  # fmt: skip
    by_segment = breakdown(base, snap, "segment")  # every customer in the one default segment
    assert len(by_segment) == 1
    last = monthly_trend(base, as_of, months=2).iloc[-1]
    for name in whole.columns:
        assert by_segment[name].iloc[0] == pytest.approx(whole[name].iloc[0]), name
        assert last[name] == pytest.approx(whole[name].iloc[0]), name
