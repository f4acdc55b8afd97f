"""Credit limits and insurance (spec §6)."""

import numpy as np
import pandas as pd
import pytest

from analytics.metrics.limits import (
    exposure,
    headroom,
    insured_part,
    portfolio_utilisation,
    uninsured_exposure,
    utilisation,
)


def test_exposure_floors_credit_balances_and_adds_open_orders():
    # balances 800, -100 (credit), 50; open orders 200, 0, NaN -> 1,000, 0, 50
    out = exposure(pd.Series([800.0, -100.0, 50.0]), pd.Series([200.0, 0.0, np.nan]))
    assert list(out) == [1_000, 0, 50]


def test_utilisation_headroom_and_the_no_limit_class():
    expo = pd.Series([1_200.0, 400.0, 300.0])
    limit = pd.Series([1_000.0, 800.0, np.nan])
    # 1,200/1,000 = 1.2 (over limit); 400/800 = .5; no limit -> NaN
    u = utilisation(expo, limit)
    assert (
        u.iloc[0] == pytest.approx(1.2) and u.iloc[1] == pytest.approx(0.5) and np.isnan(u.iloc[2])
    )
    h = headroom(expo, limit)
    assert (
        h.iloc[0] == pytest.approx(-200) and h.iloc[1] == pytest.approx(400) and np.isnan(h.iloc[2])
    )
    # portfolio: (1,200 + 400) / (1,000 + 800) = 0.8889; the unlimited 300 is left out
    assert portfolio_utilisation(expo, limit) == pytest.approx(1_600 / 1_800)


def test_zero_limit_is_treated_as_no_limit():
    assert np.isnan(utilisation(pd.Series([10.0]), pd.Series([0.0])).iloc[0])
    assert portfolio_utilisation(pd.Series([10.0]), pd.Series([0.0])) is None


def test_insured_part_is_capped_by_the_insured_limit_and_coverage():
    expo = pd.Series([1_000.0, 300.0, 500.0])
    insured = pd.Series([600.0, 1_000.0, np.nan])
    # min(1000, 600) × .9 = 540; min(300, 1000) × .9 = 270; uninsured -> 0
    assert list(insured_part(expo, insured)) == pytest.approx([540, 270, 0])
    # uninsured = 1000-540, 300-270, 500
    assert list(uninsured_exposure(expo, insured)) == pytest.approx([460, 30, 500])
    assert list(insured_part(expo, insured, coverage=1.0)) == pytest.approx([600, 300, 0])


def test_coverage_outside_0_to_1_is_rejected():
    with pytest.raises(ValueError, match="between 0 and 1"):
        insured_part(pd.Series([1.0]), pd.Series([1.0]), coverage=1.5)
