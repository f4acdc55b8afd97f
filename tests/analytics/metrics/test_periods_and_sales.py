"""Calendar periods and sales windows (spec §4)."""

from datetime import date

import pandas as pd
import pytest

from analytics.metrics.sales import DailySales
from core.calendar import countback_periods, month_ends, previous_month_end


def test_countback_period_zero_runs_from_the_first_of_the_month_to_d():
    periods = countback_periods(date(2024, 3, 10), 3)
    assert periods == [
        (date(2024, 3, 1), date(2024, 3, 10)),
        (date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        (date(2024, 1, 1), date(2024, 1, 31)),
    ]


def test_month_ends_include_d_when_it_is_a_month_end():
    assert month_ends(date(2024, 3, 31), 2) == [date(2024, 2, 29), date(2024, 3, 31)]
    assert month_ends(date(2024, 3, 30), 2) == [date(2024, 1, 31), date(2024, 2, 29)]
    assert previous_month_end(date(2024, 1, 15)) == date(2023, 12, 31)


def test_sales_window_is_open_at_the_start_and_closed_at_the_end():
    daily = DailySales.from_frame(
        pd.DataFrame(
            {
                "sales_date": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-03-01"]),
                "sales_amount": [100.0, 20.0, 5.0],
            }
        )
    )
    # (2024-01-01, 2024-03-01] excludes Jan 1 and includes Mar 1 -> 20 + 5
    assert daily.between(date(2024, 1, 1), date(2024, 3, 1)) == pytest.approx(25)
    # 30-day window ending Jan 31: (Jan 1, Jan 31] -> 20
    assert daily.window(date(2024, 1, 31), 30) == pytest.approx(20)
    # countback inputs as of Mar 10: Mar 1-10 -> 5 (10 days), Feb -> 0 (29), Jan -> 120 (31)
    assert daily.countback_inputs(date(2024, 3, 10), 3) == [(5.0, 10), (0.0, 29), (120.0, 31)]


def test_empty_sales_are_zero():
    empty = DailySales.from_frame(pd.DataFrame({"sales_date": [], "sales_amount": []}))
    assert empty.window(date(2024, 1, 1), 90) == 0
