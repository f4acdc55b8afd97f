"""DSO (spec §4) on hand-worked figures."""

import pytest

from analytics.metrics.dso import (
    average_days_delinquent,
    best_possible_dso,
    countback_dso,
    standard_dso,
)


def test_spec_example_standard_best_possible_and_add_on_a_30_day_window():
    # Spec worked example: 30-day window, sales 1,000; AR 1,500 of which 400 not yet due.
    # standard = 1,500 / 1,000 × 30 = 45; best possible = 400 / 1,000 × 30 = 12; ADD = 33
    standard = standard_dso(1_500, 1_000, 30)
    best = best_possible_dso(400, 1_000, 30)
    assert standard == pytest.approx(45)
    assert best == pytest.approx(12)
    assert average_days_delinquent(standard, best) == pytest.approx(33)


def test_spec_example_countback_is_129_days():
    # D = 31 Jan, AR 2,000; Jan 200 (31 d), Dec 400 (31), Nov 600 (30), Oct 700 (31), Sep 500 (30)
    # 2000-200-400-600-700 = 100 left -> 31+31+30+31 + 100/500 × 30 = 129
    result = countback_dso(2_000, [(200, 31), (400, 31), (600, 30), (700, 31), (500, 30)])
    assert result.days == pytest.approx(129)
    assert not result.is_lower_bound


def test_countback_inside_the_current_period():
    # AR 50 against period 0 sales 200 over 20 days -> 50/200 × 20 = 5
    assert countback_dso(50, [(200, 20), (400, 31)]).days == pytest.approx(5)


def test_countback_stops_once_ar_is_exactly_accounted_for():
    # AR 200 = period 0 sales -> 31 days, even though earlier months have no sales
    assert countback_dso(200, [(200, 31), (0, 31), (0, 30)]).days == pytest.approx(31)


def test_countback_negative_month_adds_to_what_is_left():
    # AR 100; period 0 net sales -50 (credit notes) -> r = 150, 30 days; period 1 300 over 31
    # -> 30 + 150/300 × 31 = 45.5
    assert countback_dso(100, [(-50, 30), (300, 31)]).days == pytest.approx(45.5)


def test_countback_reports_a_lower_bound_after_36_periods():
    # 36 months of 10 each cannot cover AR 1,000: 36 × 30 days, flagged as a lower bound
    result = countback_dso(1_000, [(10, 30)] * 40)
    assert result.days == pytest.approx(36 * 30)
    assert result.is_lower_bound


def test_countback_of_no_receivables_is_zero():
    assert countback_dso(0, [(100, 31)]).days == 0
    assert countback_dso(-20, [(100, 31)]).days == 0


def test_every_dso_is_undefined_without_sales_never_an_error():
    assert standard_dso(1_000, 0, 90) is None
    assert standard_dso(1_000, -5, 90) is None
    assert best_possible_dso(1_000, 0, 90) is None
    assert average_days_delinquent(None, 3.0) is None
    assert countback_dso(1_000, [(0, 31), (-10, 30)]).days is None
    assert countback_dso(1_000, []).days is None


def test_scaling_every_amount_leaves_dso_unchanged():
    periods = [(200, 31), (400, 31), (600, 30), (700, 31), (500, 30)]
    scaled = [(s * 1_000, d) for s, d in periods]
    assert countback_dso(2_000_000, scaled).days == pytest.approx(
        countback_dso(2_000, periods).days
    )
    assert standard_dso(1_500_000, 1_000_000, 30) == pytest.approx(standard_dso(1_500, 1_000, 30))


def test_countback_does_not_mutate_its_input():
    periods = [(200, 31), (400, 31)]
    countback_dso(300, periods)
    assert periods == [(200, 31), (400, 31)]
