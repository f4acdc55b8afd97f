"""The page's frames of an ECL (analytics/risk/ecl_view.py) on the hand-worked ledger of
test_loss_rates / test_ecl (as of 2025-03-31, edges 30,60):

  bucket   open    rate    ECL
  current  1,000   0.3125  312.5
  1-30         0   0.5       0
  31-60        0   0.75      0
  60+        450   0.75    337.5   (borrowed from 31-60)
  disputed   800   (60+ → 0.75) 600
  total    2,250           1,250  → weighted rate 1,250 / 2,250 = 0.5556, also the coverage
"""

from datetime import date

import pytest

from analytics.risk.allowance import allowance_movement
from analytics.risk.ecl import EclOptions, expected_credit_loss
from analytics.risk.ecl_view import (
    DISPUTED_ROW,
    TOTAL_ROW,
    calibration_table,
    coverage_ratio,
    movement_rows,
    provision_matrix,
)
from core.filters import CustomerFilter
from tests.analytics.risk.test_loss_rates import AS_OF, EDGES, risk_ledger  # noqa: F401

OPTIONS = EclOptions(as_of=AS_OF, edges=EDGES)


@pytest.fixture(scope="module")
def ecl(risk_ledger):  # noqa: F811
    return expected_credit_loss(risk_ledger, OPTIONS)


def test_the_provision_matrix_has_a_row_per_bucket_the_disputed_line_and_the_total(ecl):
    m = provision_matrix(ecl).set_index("bucket")
    assert list(m.index) == ["current", "1-30", "31-60", "60+", DISPUTED_ROW, TOTAL_ROW]
    assert m["open_amount"].tolist() == pytest.approx([1000, 0, 0, 450, 800, 2250])
    assert m["ecl_amount"].tolist() == pytest.approx([312.5, 0, 0, 337.5, 600, 1250])
    assert m.loc["60+", "source"].startswith("borrowed from 31-60")
    assert m.loc[DISPUTED_ROW, "rate_applied"] == pytest.approx(0.75)  # 600 / 800
    assert m.loc[TOTAL_ROW, "rate_applied"] == pytest.approx(1250 / 2250)
    assert coverage_ratio(ecl) == pytest.approx(1250 / 2250)


def test_calibration_table_shows_the_sums_behind_each_rate(ecl):
    t = calibration_table(ecl.loss_rates)
    # from test_loss_rates: Σ open 2,400 / 1,500 / 600 / 0, Σ lost 750 / 750 / 450 / 0
    assert t["open_amount"].tolist() == pytest.approx([2400, 1500, 600, 0])
    assert t["lost_amount"].tolist() == pytest.approx([750, 750, 450, 0])
    assert t["loss_rate"].tolist() == pytest.approx([0.3125, 0.5, 0.75, 0.75])


def test_undefined_ecl_leaves_rates_and_amounts_empty_not_zero(risk_ledger):  # noqa: F811
    undefined = expected_credit_loss(risk_ledger, EclOptions(as_of=date(2024, 12, 31), edges=EDGES))
    m = provision_matrix(undefined)
    assert m["ecl_amount"].isna().all() and m["rate_applied"].isna().all()
    assert coverage_ratio(undefined) is None


def test_a_customer_filter_keeps_the_whole_ledgers_rates_and_only_its_customers(risk_ledger):  # noqa: F811
    only_c1 = expected_credit_loss(risk_ledger, OPTIONS, CustomerFilter(search="C1"))
    # C1: I1 450 in 60+ at 0.75 = 337.5; the rates are still the whole ledger's
    assert only_c1.rates == pytest.approx((0.3125, 0.5, 0.75, 0.75))
    assert only_c1.total == pytest.approx(337.5)
    assert only_c1.customers["customer_id"].tolist() == ["C1"]


def test_movement_rows_say_charge_or_release(ecl):
    from dataclasses import replace

    later = replace(ecl, options=replace(ecl.options, as_of=date(2025, 4, 30)))
    release = movement_rows(allowance_movement(later, replace(ecl, options=replace(
        ecl.options, as_of=date(2025, 5, 31)), open_amounts=(0.0, 0.0, 0.0, 0.0))))  # fmt: skip
    # closing without the undisputed 1,450: 600 of disputed ECL, opening 1,250 → release 650
    assert release["amount"].tolist() == pytest.approx([1250.0, -650.0, 600.0])
    assert release["line"][1].startswith("Release")
