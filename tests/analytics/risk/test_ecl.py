"""Expected credit loss (spec §9) on the hand-worked ledger of test_loss_rates.

Rates as of D = 2025-03-31: current 0.3125, 1-30 0.5, 31-60 0.75, 60+ 0.75 (borrowed).
Open at D (positive documents only; CN2's −100 is not netted):
  I1 C1 450, dpd 411 → 60+: 450 × 0.75 = 337.5
  I6 C2 1,000 current (entity EU01): 1,000 × 0.3125 = 312.5
  I4 C2 800 disputed, 60+ → disputed ECL 800 × 0.75 = 600
  total 337.5 + 312.5 + 600 = 1,250
Net of insurance (exposure = max(balance, 0) + orders; insured = min(exposure, limit) × 90 %):
  C1 exposure 450 − 100 = 350, uninsured 350 → 337.5
  C2 exposure 1,800, insured min(1,800, 1,000) × 0.9 = 900, uninsured 900 → 912.5 × ½ = 456.25
  total net 793.75
"""

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.ecl import (
    EclOptions,
    ecl_by,
    ecl_by_grade,
    ecl_from,
    expected_credit_loss,
    loss_rates_for,
    net_of_insurance,
)
from core.errors import LedgerError
from engines import facts
from tests.analytics.risk.test_loss_rates import AS_OF, EDGES, risk_ledger  # noqa: F401

OPTIONS = EclOptions(as_of=AS_OF, edges=EDGES)


@pytest.fixture(scope="module")
def ecl(risk_ledger):  # noqa: F811
    return expected_credit_loss(risk_ledger, OPTIONS)


def test_ecl_by_bucket_with_disputed_documents_apart(ecl):
    assert ecl.rates == pytest.approx((0.3125, 0.5, 0.75, 0.75))
    assert ecl.open_amounts == pytest.approx((1000.0, 0.0, 0.0, 450.0))
    assert ecl.bucket_ecl == pytest.approx((312.5, 0.0, 0.0, 337.5))
    assert ecl.disputed_open_amounts == pytest.approx((0.0, 0.0, 0.0, 800.0))
    assert ecl.disputed_ecl == pytest.approx(600.0)
    assert ecl.total == pytest.approx(1250.0)


def test_ecl_net_of_insurance_scales_each_customer_by_its_uninsured_share(ecl):
    by_customer = ecl_by(ecl, "customer_id").set_index("customer_id")
    assert by_customer["gross_ecl_amount"].to_dict() == pytest.approx({"C1": 337.5, "C2": 912.5})
    assert by_customer["net_ecl_amount"].to_dict() == pytest.approx({"C1": 337.5, "C2": 456.25})
    assert by_customer.loc["C1", "open_amount"] == pytest.approx(450.0)  # the credit not netted
    assert ecl.total_net_of_insurance == pytest.approx(793.75)


def test_ecl_by_entity_and_segment_add_up_to_the_total(ecl):
    by_entity = ecl_by(ecl, "entity").set_index("entity")["gross_ecl_amount"]
    assert by_entity.to_dict() == pytest.approx({"default": 937.5, "EU01": 312.5})
    by_segment = ecl_by(ecl, "segment").set_index("segment")["gross_ecl_amount"]
    assert by_segment.to_dict() == pytest.approx({"Enterprise": 912.5, "SMB": 337.5})
    assert list(by_segment.index) == ["Enterprise", "SMB"]  # largest first
    with pytest.raises(LedgerError, match="ECL by"):
        ecl_by(ecl, "region")


def test_ecl_by_grade_takes_a_customer_to_grade_mapping(ecl):
    c1 = int(ecl.customers.loc[ecl.customers["customer_id"] == "C1", "customer_key"].iloc[0])
    by_grade = ecl_by_grade(ecl, {c1: "B"}).set_index("grade")["gross_ecl_amount"]
    assert by_grade.to_dict() == pytest.approx({"(no grade)": 912.5, "B": 337.5})


def test_the_overlay_raises_calibrated_rates_up_to_one(risk_ledger):  # noqa: F811
    # 0.3125 × 1.5 = 0.46875; 0.75 × 1.5 = 1.125 → 1: 1,000 × 0.46875 + 450 × 1 + 800 × 1
    ecl = expected_credit_loss(risk_ledger, replace(OPTIONS, overlay=0.5))
    assert ecl.rates == pytest.approx((0.46875, 0.75, 1.0, 1.0))
    assert ecl.loss_rates.rates == pytest.approx((0.3125, 0.5, 0.75, 0.75))  # before it
    assert ecl.total == pytest.approx(1718.75)


def test_one_entity_has_its_own_ecl(risk_ledger):  # noqa: F811
    # the default entity: I1 337.5 + I4 600 (its calibration holds every calibrated document)
    ecl = expected_credit_loss(risk_ledger.scoped("default"), OPTIONS)
    assert ecl.total == pytest.approx(937.5)


def test_without_calibration_month_ends_the_ecl_is_undefined_not_an_error(risk_ledger):  # noqa: F811
    ecl = expected_credit_loss(risk_ledger, EclOptions(as_of=date(2024, 12, 31), edges=EDGES))
    assert ecl.rates is None and ecl.bucket_ecl is None
    assert ecl.total is None and ecl.disputed_ecl is None and ecl.total_net_of_insurance is None
    assert ecl.open_amounts == pytest.approx((0.0, 0.0, 0.0, 450.0))  # still shown
    assert ecl.customers["gross_ecl_amount"].isna().all()
    assert "expected credit loss undefined" in ecl.warnings[0]


def test_given_rates_replace_the_calibrated_ones_and_refuse_an_overlay(risk_ledger):  # noqa: F811
    # 1,000 × 0.01 + 450 × 0.5 + disputed 800 × 0.5 = 635
    given = EclOptions(as_of=AS_OF, edges=EDGES, given_rates=(0.01, 0.1, 0.2, 0.5))
    ecl = expected_credit_loss(risk_ledger, given)
    assert ecl.total == pytest.approx(635.0) and ecl.loss_rates.n_month_ends == 0
    with pytest.raises(LedgerError, match="^--overlay: given loss rates"):
        replace(given, overlay=0.1)


def test_net_of_insurance_is_zero_without_exposure():
    # 100 × 280 / 1,000 = 28; no exposure → 0
    net = net_of_insurance(pd.Series([100.0, 50.0]), pd.Series([1000.0, 0.0]),
                           pd.Series([280.0, 0.0]))  # fmt: skip
    assert net.tolist() == [28.0, 0.0]


def test_the_customer_rows_add_up_to_the_total_and_no_input_is_changed(risk_ledger):  # noqa: F811
    exposure = facts.risk_open_exposure(risk_ledger, as_of=AS_OF, edges=[0, *EDGES])
    customers = snapshot(risk_ledger, Options(as_of=AS_OF, edges=EDGES)).customers
    before = exposure.copy(), customers.copy()
    ecl = ecl_from(OPTIONS, loss_rates_for(risk_ledger, OPTIONS), exposure, customers)
    assert ecl.customers["gross_ecl_amount"].sum() == pytest.approx(ecl.total)
    pd.testing.assert_frame_equal(exposure, before[0])
    pd.testing.assert_frame_equal(customers, before[1])
