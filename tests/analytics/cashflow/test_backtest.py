"""Backtest of the receipts projection: origins, the naive methods by hand, the summary by
hand, and the figures on a small deterministic sample as regression values."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.cashflow.backtest import (
    backtest,
    backtest_origins,
    data_end,
    naive_due_date,
    summarise,
)
from analytics.cashflow.model import CashflowOptions
from data.loader import load_ledger
from data.sample import generate_sample
from engines.duckdb.engine import connect
from tests.ledger_factory import inv, load, pay


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        # 12 months after Nov 2023 -> from 31 Oct 2024; 13 weeks (91 days) before the end
        (date(2023, 11, 1), date(2024, 12, 31), []),  # latest 1 Oct 2024 < 31 Oct 2024
        (date(2023, 11, 15), date(2025, 3, 31), [date(2024, 10, 31), date(2024, 11, 30)]),
        (date(2023, 11, 1), date(2025, 3, 1), [date(2024, 10, 31), date(2024, 11, 30)]),
        (None, date(2025, 3, 1), []),
    ],
)
def test_origins_are_month_ends_with_a_year_before_and_13_weeks_after(first, last, expected):
    assert backtest_origins(first, last) == expected


def test_at_most_the_latest_24_origins():
    origins = backtest_origins(date(2015, 1, 1), date(2025, 1, 1))
    assert len(origins) == 24 and origins[-1] == date(2024, 9, 30)


@pytest.fixture
def small(tmp_path):
    """As of 30 Jun 2024 (a Sunday): I1 300 overdue, I2 200 due 10 Jul (day 10, week 2),
    C1 −50 (a credit: no receipt). Sales in the 13 weeks to 30 Jun: I1 + I2 + I3 (paid) +
    C1 = 300 + 200 + 410 − 50 = 860 over 91 days; terms of its positive invoices, weighted:
    (300 × 30 + 200 × 30 + 410 × 16) / 910 = 23.7 -> paid 24 days after invoicing."""
    return load(
        tmp_path,
        invoices=[
            inv("I1", "A", "2024-04-15", "2024-05-15", 300),
            inv("I2", "A", "2024-06-10", "2024-07-10", 200),
            inv("I3", "A", "2024-06-01", "2024-06-17", 410),
            inv("C1", "A", "2024-06-20", "2024-06-20", -50),
        ],
        payments=[pay("P3", "A", "2024-06-17", 410, "I3")],
    )


def test_naive_due_date_by_hand(small):
    weeks = naive_due_date(small, date(2024, 6, 30), 5)
    per_day = 860 / 91
    # new sales invoiced from day 1 are paid from day 25 (24 days later): days 25-35
    expected = [300.0, 200.0, 0.0, 4 * per_day, 7 * per_day]
    assert weeks == pytest.approx(expected)
    assert data_end(small) == date(2024, 6, 20)


def test_summary_errors_and_coverage_by_hand():
    def origin(day, actual, projection, p10, p90):
        frame = pd.DataFrame({
            "origin": day, "period": [1, 2, 3, 4], "projection": projection,
            "p10_amount": p10, "p50_amount": projection, "p90_amount": p90, "actual": actual,
            "due_date": [100.0] * 4, "average": [50.0] * 4,
        })  # fmt: skip
        draws = np.vstack([np.cumsum(p10), np.cumsum(projection), np.cumsum(p90)])
        frame["cumulative_draws"] = list(draws.T)
        return frame

    a = origin(date(2024, 1, 31), [10.0] * 4, [12.0] * 4, [8.0] * 4, [9.0] * 4)
    b = origin(date(2024, 2, 29), [20.0] * 4, [18.0] * 4, [15.0] * 4, [25.0] * 4)
    bt = summarise([a, b], [date(2024, 1, 31), date(2024, 2, 29)], weeks=4)
    row = bt.errors[(bt.errors["horizon_weeks"] == 4)].set_index("method")
    # 4 weeks: a 48 vs 40 (+20 %), b 72 vs 80 (−10 %): MAPE 15 %, bias +5 %
    assert row.loc["Projection (ours)", "mape"] == pytest.approx(0.15)
    assert row.loc["Projection (ours)", "bias"] == pytest.approx(0.05)
    # due date 400 vs 40 (+900 %) and vs 80 (+400 %); average 200: +400 % and +150 %
    assert row.loc["Due date", "mape"] == pytest.approx(6.5)
    assert row.loc["13-week average", "mape"] == pytest.approx(2.75)
    assert list(bt.errors["horizon_weeks"].unique()) == [4]  # 8 and 13 weeks are beyond 4
    # a's weeks (10 outside 8-9) miss, b's (20 inside 15-25) hit: half the weeks
    assert bt.coverage == 0.5


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("backtest")
    generate_sample(folder / "sample", invoices=3000, seed=5, years=2)
    load_ledger(folder / "sample", folder / "ledger.duckdb")
    con = connect(folder / "ledger.duckdb")
    yield con
    con.close()


def test_backtest_on_a_small_sample_regression_values(sample_con):
    """Figures of the projection method as it stands (seed 5, 3,000 invoices, 2 years); a
    change to the model shows here first. Regenerate on purpose, never to make a test pass."""
    bt = backtest(sample_con, CashflowOptions(as_of=date(2026, 10, 31)))
    assert bt.origins[0] == date(2025, 10, 31) and len(bt.origins) == 10
    mape = bt.errors.pivot(index="method", columns="horizon_weeks", values="mape").round(4)
    # (0.0857, 0.0359, 0.0739 while the expected receipts were the mean of 500 draws; exact
    # since issue 9 made Cash flow and Scenarios show one expectation; 0.0855, 0.0354, 0.0740
    # until issue 10's sample made one customer of 20 (E-rated, 6 % of invoices) pay later and
    # later from 8 months before the end: the lateness history lags behind it)
    assert mape.loc["Projection (ours)"].tolist() == pytest.approx(
        [0.1887, 0.0964, 0.0853], abs=2e-4
    )
    assert mape.loc["Due date"].tolist() == pytest.approx([0.6948, 0.2384, 0.2140], abs=2e-4)
    assert mape.loc["13-week average"].tolist() == pytest.approx([0.1646, 0.1560, 0.1441], abs=2e-4)
    assert bt.coverage == pytest.approx(100 / 130, abs=2e-4)  # 100 of 130 weeks in P10-P90
    # the targets hold here too: 13-week error below both naive methods, 70-90 %
    assert mape.loc["Projection (ours)", 13] < mape.loc[["Due date", "13-week average"], 13].min()
    assert 0.7 <= bt.coverage <= 0.9
