"""Expected receipts for the simulator: the projection's distributions in expectation, and
how a scenario moves them, worked by hand."""

import numpy as np
import pytest

from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from analytics.policy.receipts import (
    baseline_receipts,
    mixed_curve,
    receipts_base,
    scenario_receipts,
    shifted_earlier,
)
from tests.analytics.policy.test_simulator import PUNCTUAL, D, daily_ledger


def test_receipts_moved_earlier_pile_up_on_the_first_day():
    daily = np.array([[0, 0, 5, 0, 7.0], [1, 2, 3, 4, 5.0]])
    # row 0 three days earlier: 5 (day 3) → day 1, 7 (day 5) → day 2; row 1 unmoved
    assert shifted_earlier(daily, np.array([3, 0])).tolist() == [6, 9, 3, 4, 5]


def test_a_mixed_curve_moves_each_part_later_or_earlier():
    curve = np.array([0.1, 0.2, 0.3, 0.0])
    # half of it 2 days later, a quarter 1 day earlier (its day-0 share stays on day 0)
    mixed = mixed_curve(curve, np.array([0.5, 0.25]), np.array([2, -1]))
    assert mixed.tolist() == pytest.approx([0.025 + 0.05, 0.075, 0.05, 0.1, 0.15, 0.0])
    assert mixed.sum() == pytest.approx(0.75 * curve.sum())


@pytest.fixture
def punctual_base(tmp_path):
    con = daily_ledger(tmp_path, PUNCTUAL)
    return con, receipts_base(con, D)


def test_punctual_payers_pay_their_open_items_on_the_due_date(punctual_base):
    """Open at D = 30 Jun: X 100 and Y 300 a day, invoiced 1-30 Jun, due 1-30 Jul: 400 a day
    on days 1 … 30, nothing after; their history is all on time."""
    con, base = punctual_base
    open_ar = base.undisputed.sum(axis=0)
    assert open_ar[:30] == pytest.approx(np.full(30, 400.0))
    assert open_ar[30:].sum() == pytest.approx(0) and base.disputed.sum() == 0
    r = baseline_receipts(base)
    p = project(con, CashflowOptions(as_of=D))
    assert r.weekly["receipts_amount"].to_numpy() == pytest.approx(
        p.weekly["mean_amount"].to_numpy()
    )
    assert r.months_total == pytest.approx(p.monthly["mean_amount"].sum())


def test_a_scenario_moves_open_ar_earlier_and_new_sales_later(punctual_base):
    _, base = punctual_base
    keys = base.customer_keys  # X = 0, Y = 1
    none = scenario_receipts(base, keys[:0], *[np.array([])] * 5)
    assert np.array_equal(none.daily, baseline_receipts(base).daily)
    # X's 100 a day 10 days earlier: days 1-11 all on day 1 (+1,100 − 100), days 12-30
    # on days 2-20 (unchanged there), nothing left on days 21-30 (−100)
    earlier = scenario_receipts(base, keys[:1], np.array([10]), np.array([0]),
                                np.array([0.25]), np.array([1.0]), np.array([0]))  # fmt: skip
    moved = earlier.daily - baseline_receipts(base).daily
    assert moved[0] == pytest.approx(1100 - 100) and moved[1:20] == pytest.approx(0)
    assert moved[20:30] == pytest.approx(-100)
    # all new sales 30 days later: the first month's receipts fall, nothing is lost overall
    later = scenario_receipts(base, keys, np.zeros(2), np.zeros(2), np.array([0.25, 0.75]),
                              np.ones(2), np.array([30, 30]))  # fmt: skip
    assert later.weeks_total < baseline_receipts(base).weeks_total
    gone = scenario_receipts(base, keys, np.zeros(2), np.zeros(2), np.array([0.25, 0.75]),
                             np.zeros(2), np.zeros(2))  # fmt: skip
    assert gone.daily == pytest.approx(base.undisputed.sum(axis=0))  # no sales: open AR only
