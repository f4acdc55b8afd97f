"""Roll rates (spec §9) on the hand-worked ledger of test_loss_rates.

From each calibration month-end to the next (amounts at m):
  01-31 → 02-29: I1 current 1,000 → 1-30 1,000 (dpd 15); I3 current 500 → collected (02-20)
  02-29 → 03-31: I1 1-30 1,000 → 31-60 600 (dpd 46), 400 collected (03-10);
                 I2 current 500 → 1-30 500 (dpd 29)
  03-31 → 04-30: I1 31-60 600 → 60+ 600 (dpd 76); I2 1-30 500 → 31-60 200 (dpd 59), 300 written
                 off (04-15); I5 current 400 → 1-30 400 (dpd 30)
  current: 2,400 → 1-30 1,900 (0.791667), collected 500 (0.208333)
  1-30:    1,500 → 31-60 800 (0.533333), collected 400 (0.266667), written off 300 (0.2)
  31-60:     600 → 60+ 600 (1.0); 60+: never held an amount (NaN)
"""

import math

import pytest

from analytics.risk.loss_rates import calibration
from analytics.risk.roll_rates import roll_amounts, roll_rates
from tests.analytics.risk.test_loss_rates import AS_OF, EDGES, risk_ledger  # noqa: F401

COLUMNS = ["current", "1-30", "31-60", "60+", "collected", "written off"]


@pytest.fixture(scope="module")
def cal(risk_ledger):  # noqa: F811
    return calibration(risk_ledger, as_of=AS_OF, edges=EDGES)


def test_roll_amounts_follow_each_document_to_the_next_month_end(cal):
    amounts = roll_amounts(cal, EDGES)
    assert list(amounts.columns) == COLUMNS
    assert amounts.loc["current"].tolist() == pytest.approx([0, 1900, 0, 0, 500, 0])
    assert amounts.loc["1-30"].tolist() == pytest.approx([0, 0, 800, 0, 400, 300])
    assert amounts.loc["31-60"].tolist() == pytest.approx([0, 0, 0, 600, 0, 0])
    assert amounts.loc["60+"].tolist() == [0.0] * 6


def test_roll_rates_are_amount_weighted_shares_that_add_up_to_one(cal):
    rates = roll_rates(cal, EDGES)
    assert rates.loc["current", "1-30"] == pytest.approx(1900 / 2400)
    assert rates.loc["1-30", "written off"] == pytest.approx(0.2)
    assert rates.loc["31-60", "60+"] == pytest.approx(1.0)
    assert rates.iloc[:3].sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])
    assert all(math.isnan(v) for v in rates.loc["60+"])


def test_no_calibration_month_end_gives_an_empty_matrix(risk_ledger):  # noqa: F811
    cal = calibration(risk_ledger, as_of=AS_OF.replace(year=2024, month=12), edges=EDGES)
    assert roll_amounts(cal, EDGES).to_numpy().sum() == 0
    assert roll_rates(cal, EDGES).isna().all().all()
