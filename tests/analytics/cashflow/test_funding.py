"""Funding gap: cash per draw against the buffer, and planned outflows from a CSV."""

from datetime import date

import numpy as np
import pytest

from analytics.cashflow.funding import (
    FUNDING_COLUMNS,
    Outflows,
    constant_outflows,
    funding_gap,
    outflows_from_csv,
)
from core.errors import LedgerError

D = date(2024, 6, 30)
# five draws of two weeks' receipts: 10 … 50 each week
DRAWS = np.array([[10.0, 10.0], [20.0, 20.0], [30.0, 30.0], [40.0, 40.0], [50.0, 50.0]])


def test_cash_quantiles_come_from_the_cumulative_draws():
    # opening 20, outflow 30 a week: cash week 1 = 20 + r − 30 = 0, 10, 20, 30, 40;
    # week 2 = −20, 0, 20, 40, 60. Percentiles interpolate at (5 − 1) × p:
    # P10 (0.4): 4 and −12; P50: 20 and 20; P90 (3.6): 36 and 52.
    gap = funding_gap(DRAWS, D, constant_outflows(30.0, 2), opening_cash=20.0, buffer=10.0)
    assert list(gap.columns) == FUNDING_COLUMNS
    assert gap["cash_p10_amount"].tolist() == pytest.approx([4.0, -12.0])
    assert gap["cash_p50_amount"].tolist() == pytest.approx([20.0, 20.0])
    assert gap["cash_p90_amount"].tolist() == pytest.approx([36.0, 52.0])
    # shortfall = max(10 − cash, 0): week 1 (10, 0, 0, 0, 0), week 2 (30, 10, 0, 0, 0);
    # P50 0 and 0; P90 at 3.6 of the sorted values: 0.6 × 10 = 6 and 10 + 0.6 × 20 = 22
    assert gap["shortfall_p50_amount"].tolist() == pytest.approx([0.0, 0.0])
    assert gap["shortfall_p90_amount"].tolist() == pytest.approx([6.0, 22.0])
    assert gap["status"].tolist() == ["at risk", "at risk"]  # P50 ≥ 10 > P10
    assert gap["start_date"].tolist() == [date(2024, 7, 1), date(2024, 7, 8)]


def test_a_week_is_short_when_the_median_cash_misses_the_buffer():
    gap = funding_gap(DRAWS, D, constant_outflows(30.0, 2), opening_cash=20.0, buffer=25.0)
    # P50 cash 20 < 25: short by 5 at P50 in both weeks
    assert gap["status"].tolist() == ["short", "short"]
    assert gap["shortfall_p50_amount"].tolist() == pytest.approx([5.0, 5.0])


def test_no_outflows_and_enough_cash_is_ok():
    gap = funding_gap(DRAWS, D, constant_outflows(0.0, 2), opening_cash=100.0, buffer=50.0)
    assert gap["status"].tolist() == ["ok", "ok"]
    assert gap["shortfall_p90_amount"].tolist() == [0.0, 0.0]


def test_outflows_from_csv_fall_into_their_weeks():
    text = "Date,Amount\n2024-07-01,100\n2024-07-07,50\n2024-07-08,1000.5\n2024-09-30,9\n"
    out = outflows_from_csv(text, D, 2)
    # 1 and 7 Jul are week 1 (days 1-7), 8 Jul week 2; 30 Sep is outside the 2 weeks
    assert out == Outflows((150.0, 1000.5), n_rows_outside=1)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        # rows as a spreadsheet counts them (header = row 1), like the ledger files' errors
        ("date,amount\n2024-07-01,100\n07/02/2024,5\n", "row 3, column date"),
        ("date,amount\n2024-07-01,ten\n", "row 2, column amount"),
        ("day,amount\n2024-07-01,1\n", "missing column"),
    ],
)
def test_bad_outflow_files_name_the_row_and_column(text, message):
    with pytest.raises(LedgerError, match=message):
        outflows_from_csv(text, D, 13, name="plan.csv")


def test_outflows_must_cover_the_projected_weeks():
    with pytest.raises(LedgerError, match="outflows cover 3 weeks"):
        funding_gap(DRAWS, D, constant_outflows(1.0, 3), 0.0, 0.0)
