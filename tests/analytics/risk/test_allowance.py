"""The allowance movement between two dates (spec §9) on the ledger of test_loss_rates.

Opening, D1 = 2025-02-28: month-ends 2024-01-31 and 02-29 (m + 365 ≤ D1); current 750 / 2,000
= 0.375 (I1 1,000 → 450 lost, I3 500 → 0, I2 500 → 300 written off); 1-30 450 / 1,000 = 0.45
(I1); 31-60 and 60+ borrow 0.45 from 1-30. Open at D1: I1 450 in 60+ → 202.5; I4 disputed 800
→ 360: opening 562.5. Net: C1 202.5 (uninsured); C2 exposure 800, insured 720, 360 × 80 / 800
= 36: opening net 238.5.
Closing, D2 = 2025-03-31: 1,250 gross, 793.75 net (test_ecl). Charge 687.5 gross, 555.25 net.
"""

from datetime import date

import pytest

from analytics.risk.allowance import allowance_movement, ecl_at_two_dates
from analytics.risk.ecl import EclOptions
from core.errors import LedgerError
from tests.analytics.risk.test_loss_rates import AS_OF, EDGES, risk_ledger  # noqa: F401

OPENING = date(2025, 2, 28)


@pytest.fixture(scope="module")
def two_dates(risk_ledger):  # noqa: F811
    return ecl_at_two_dates(risk_ledger, EclOptions(as_of=AS_OF, edges=EDGES), OPENING)


def test_opening_plus_charge_is_closing(two_dates):
    movement = allowance_movement(*two_dates)
    assert (movement.opening_date, movement.closing_date) == (OPENING, AS_OF)
    assert movement.opening == pytest.approx(562.5)
    assert movement.charge == pytest.approx(687.5)
    assert movement.closing == pytest.approx(1250.0)
    assert movement.opening + movement.charge == pytest.approx(movement.closing)


def test_the_movement_net_of_insurance(two_dates):
    movement = allowance_movement(*two_dates, net_of_insurance=True)
    assert (movement.opening, movement.charge, movement.closing) == pytest.approx(
        (238.5, 555.25, 793.75)
    )


def test_an_undefined_opening_leaves_the_charge_undefined(risk_ledger):  # noqa: F811
    opening, closing = ecl_at_two_dates(
        risk_ledger, EclOptions(as_of=AS_OF, edges=EDGES), date(2024, 12, 31)
    )
    movement = allowance_movement(opening, closing)
    assert movement.opening is None and movement.charge is None
    assert movement.closing == pytest.approx(1250.0)


def test_the_opening_date_must_come_first(two_dates):
    opening, closing = two_dates
    with pytest.raises(LedgerError, match="must be before the closing date"):
        allowance_movement(closing, opening)
