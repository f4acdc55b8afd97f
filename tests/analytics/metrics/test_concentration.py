"""Concentration (spec §5)."""

import pandas as pd
import pytest

from analytics.metrics.concentration import (
    balance_shares,
    group_balances,
    hhi,
    hhi_reading,
    top_n_share,
)


def test_top_n_share_and_hhi_ignore_non_positive_balances():
    # positive balances 600, 300, 100 (total 1,000) -> shares .6 .3 .1; credit balance -50 ignored
    balances = pd.Series([600.0, 300.0, 100.0, -50.0, 0.0])
    assert top_n_share(balances, 1) == pytest.approx(0.6)
    assert top_n_share(balances, 2) == pytest.approx(0.9)
    assert top_n_share(balances, 10) == pytest.approx(1.0)
    # HHI = 60² + 30² + 10² = 3,600 + 900 + 100 = 4,600
    assert hhi(balances) == pytest.approx(4_600)
    assert hhi_reading(4_600) == "highly concentrated"


def test_one_customer_is_a_monopoly_and_equal_customers_are_1_over_n():
    assert hhi(pd.Series([42.0])) == pytest.approx(10_000)
    # 100 equal customers -> 100 × 1² = 100
    assert hhi(pd.Series([5.0] * 100)) == pytest.approx(100)
    assert hhi_reading(100) == "unconcentrated"
    assert hhi_reading(2_000) == "moderately concentrated"


def test_no_positive_balance_is_undefined():
    assert top_n_share(pd.Series([], dtype=float), 10) is None
    assert hhi(pd.Series([-10.0, 0.0])) is None
    assert hhi_reading(None) == "no balances"


def test_group_level_sums_members_first():
    # group G holds 300 + 200 = 500 of 1,000 -> shares .5 .5 -> HHI 5,000
    balances = pd.Series([300.0, 200.0, 500.0])
    groups = pd.Series(["G", "G", "H"])
    grouped = group_balances(balances, groups)
    assert hhi(grouped) == pytest.approx(5_000)
    assert top_n_share(grouped, 1) == pytest.approx(0.5)


def test_shares_sum_to_one_and_do_not_mutate_input():
    balances = pd.Series([3.0, 1.0, 6.0])
    shares = balance_shares(balances)
    assert shares.sum() == pytest.approx(1)
    assert list(balances) == [3.0, 1.0, 6.0]
