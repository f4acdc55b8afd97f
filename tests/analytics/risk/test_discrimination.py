"""AUC, Gini, Brier, calibration and the bootstrap interval (spec §10 validation)."""

import numpy as np
import pytest

from analytics.risk.discrimination import (
    auc,
    auc_difference_interval,
    brier_score,
    calibration_by_decile,
    gini,
)


@pytest.mark.parametrize(
    ("y", "score", "expected"),
    [
        # pairs (defaulted, performing): (0.35, 0.1) ✓ (0.35, 0.4) ✗ (0.8, ·) ✓✓ → 3 / 4
        ([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], 0.75),
        ([0, 1], [0.2, 0.9], 1.0),
        ([0, 1], [0.9, 0.2], 0.0),
        # one tie counts one half: (0.5, 0.5) ½ + (0.5, 0.1) 1 → 1.5 / 2
        ([0, 0, 1], [0.1, 0.5, 0.5], 0.75),
        ([1, 0, 1, 0], [3, 3, 3, 3], 0.5),  # a constant score cannot rank
    ],
)
def test_auc_known_values(y, score, expected):
    assert auc(np.array(y), np.array(score)) == pytest.approx(expected)


def test_auc_is_undefined_without_both_outcomes():
    assert np.isnan(auc(np.array([1, 1]), np.array([0.2, 0.3])))
    assert np.isnan(auc(np.array([]), np.array([])))


def test_auc_does_not_depend_on_the_scale_of_the_score():
    y, s = np.array([0, 1, 0, 1, 1]), np.array([0.1, 0.7, 0.3, 0.2, 0.9])
    assert auc(y, s) == auc(y, np.log(s)) == auc(y, 100 * s + 3)


def test_gini_is_twice_auc_less_one():
    assert (gini(0.5), gini(0.75), gini(1.0)) == (0.0, 0.5, 1.0)


def test_brier_known_values():
    # ((0.1 − 0)² + (0.6 − 1)²) / 2 = (0.01 + 0.16) / 2
    assert brier_score(np.array([0, 1]), np.array([0.1, 0.6])) == pytest.approx(0.085)
    assert brier_score(np.array([1, 0]), np.array([1.0, 0.0])) == 0.0
    assert np.isnan(brier_score(np.array([]), np.array([])))


def test_calibration_cuts_sorted_pds_into_equal_groups():
    pd_values = np.array([0.9, 0.1, 0.2, 0.8, 0.3, 0.7])
    y = np.array([1, 0, 0, 1, 0, 0])
    table = calibration_by_decile(y, pd_values, bins=3)
    # sorted: (0.1, 0.2) → 0 of 2; (0.3, 0.7) → 0 of 2; (0.8, 0.9) → 2 of 2
    assert table["n_points"].tolist() == [2, 2, 2]
    assert table["mean_pd"].tolist() == pytest.approx([0.15, 0.5, 0.85])
    assert table["default_rate"].tolist() == [0.0, 0.0, 1.0]


def test_calibration_of_fewer_points_than_bins_has_one_row_per_point():
    table = calibration_by_decile(np.array([0, 1]), np.array([0.2, 0.4]))
    assert table["decile"].tolist() == [1, 2] and table["n_points"].tolist() == [1, 1]


def test_the_bootstrap_interval_holds_the_difference_and_is_exact_for_a_perfect_score():
    rng = np.random.default_rng(1)
    y = np.tile([0, 0, 0, 1], 50)
    groups = np.repeat(np.arange(50), 4)  # 50 customers of 4 points each
    perfect, noise = y + 0.0, rng.random(len(y))
    low, high = auc_difference_interval(y, perfect, noise, groups, draws=200)
    point = auc(y, perfect) - auc(y, noise)
    assert low <= point <= high and high - low < 0.3
    # the same score twice: every draw differs by exactly 0
    assert auc_difference_interval(y, noise, noise, groups, draws=50) == (0.0, 0.0)


def test_the_bootstrap_is_repeatable_with_its_seed():
    y, s, b = np.array([0, 1, 0, 1, 0, 1]), np.arange(6.0), np.zeros(6)
    groups = np.array([1, 1, 2, 2, 3, 3])
    first = auc_difference_interval(y, s, b, groups, draws=100, seed=5)
    assert first == auc_difference_interval(y, s, b, groups, draws=100, seed=5)
