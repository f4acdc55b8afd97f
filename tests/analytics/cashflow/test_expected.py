"""Expected receipts from open AR, exactly: worked by hand, and the one figure the Cash flow
and Scenarios pages both show (issue 9: their weekly baselines differed by up to 5.5k)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from analytics.cashflow.expected import expected_by_target, expected_daily
from analytics.cashflow.model import (
    MIN_DAYS_LATE,
    N_BINS,
    NEVER,
    TAIL_DAYS,
    CashflowOptions,
    conditioned,
)
from analytics.cashflow.projection import project
from analytics.policy.receipts import baseline_receipts, receipts_base
from data.loader import load_ledger
from data.sample import generate_sample
from engines.duckdb import connect


def bin_of(days_late: int) -> int:
    return days_late - MIN_DAYS_LATE


def test_an_item_is_spread_by_its_lateness_given_the_days_already_past_due():
    """Lateness: 25 % on time, 25 % 10 days late, 40 % 30 days late, 10 % never paid.
    Not yet due (due in 5 days, dpd −5): paid on day 5 (¼ ÷ 0.9), 15 and 35.
    20 days past due: only the 30-days-late part is left: all on day 10.
    40 days past due: nothing left in the history: the tail rule, evenly over 28 days."""
    pmf = np.zeros((1, N_BINS))
    pmf[0, [bin_of(0), bin_of(10), bin_of(30), NEVER]] = [0.25, 0.25, 0.4, 0.1]
    shares = expected_daily(pmf, np.array([0, 0, 0]), np.array([-5, 20, 40]),
                            np.array([False, False, True]), horizon=60)  # fmt: skip
    assert np.flatnonzero(shares[0]).tolist() == [4, 14, 34]  # days 5, 15, 35
    assert shares[0, [4, 14, 34]] == pytest.approx([0.25 / 0.9, 0.25 / 0.9, 0.4 / 0.9])
    assert np.flatnonzero(shares[1]).tolist() == [9] and shares[1, 9] == pytest.approx(1.0)
    assert shares[2, :TAIL_DAYS] == pytest.approx(np.full(TAIL_DAYS, 1 / TAIL_DAYS))
    assert shares[2, TAIL_DAYS:].sum() == 0


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("expected")
    generate_sample(folder / "ledger", invoices=4_000, seed=5)
    load_ledger(folder / "ledger", folder / "ledger.duckdb")
    engine = connect(folder / "ledger.duckdb")
    yield engine
    engine.close()


@pytest.mark.parametrize("as_of", [date(2026, 6, 30), date(2026, 10, 14)])
def test_cash_flow_and_scenarios_show_the_same_expected_receipts_week_by_week(sample, as_of):
    projection = project(sample, CashflowOptions(as_of=as_of))
    baseline = baseline_receipts(receipts_base(sample, as_of))
    assert baseline.weekly["receipts_amount"].to_numpy() == pytest.approx(
        projection.weekly["mean_amount"].to_numpy(), rel=1e-9, abs=1e-6
    )
    assert baseline.monthly["receipts_amount"].to_numpy() == pytest.approx(
        projection.monthly["mean_amount"].to_numpy(), rel=1e-9, abs=1e-6
    )


def test_the_draws_average_out_to_the_exact_expectation(sample):
    """The draws sample the distribution whose expectation is exact: 500 draws' mean over 13
    weeks is within 1 % of it (the weekly noise the issue saw is why the exact one is shown)."""
    projection = project(sample, CashflowOptions(as_of=date(2026, 6, 30), include_sales=False))
    drawn = projection.weekly_draws.mean(axis=0).sum()
    assert drawn == pytest.approx(projection.weekly["open_ar_amount"].sum(), rel=0.01)


def test_the_sum_into_targets_is_each_items_daily_shares_times_its_collectible_amount():
    """expected_by_target gathers each item's shares from its row's bins instead of building
    them (issue 15): the same sums as expected_daily × collectible, item by item, for items not
    yet due, due far ahead (nothing inside 30 days), past due, beyond every bin and under the
    tail rule."""
    pmf = np.zeros((3, N_BINS))
    pmf[0, [bin_of(0), bin_of(10), bin_of(30), NEVER]] = [0.25, 0.25, 0.4, 0.1]
    pmf[1, [bin_of(-120), bin_of(365), NEVER]] = [0.5, 0.3, 0.2]
    pmf[2, bin_of(5)] = 1.0  # always paid 5 days late: 40 days past due is the tail rule
    dpd = np.array([-5, -200, 20, 40, 400, 3])
    c = conditioned(pmf, np.array([0, 1, 0, 2, 1, 1]), dpd,
                    np.array([100.0, 50.0, 80.0, 60.0, 30.0, 10.0]))  # fmt: skip
    target = np.array([0, 1, 1, 0, 2, 2])
    daily = expected_daily(pmf, c.row, dpd, c.tail, horizon=30) * c.collectible[:, None]
    by_item = np.stack([daily[target == k].sum(axis=0) for k in range(3)])
    assert c.tail.tolist() == [False, False, False, True, False, False]
    assert expected_by_target(c, pmf, target, 3, 30) == pytest.approx(by_item, abs=1e-12)
