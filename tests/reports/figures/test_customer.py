"""reports/figures/customer.py: the payment-habit chart."""

from __future__ import annotations

import math

import pandas as pd

from reports.figures.customer import TREND_TITLE, days_late_trend

TREND = pd.DataFrame({"month_start": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                      "n_settled": [4, 0], "days_to_pay": [35.5, math.nan],
                      "days_late": [5.5, math.nan]})  # fmt: skip


def test_bars_count_settled_invoices_and_lines_show_the_days_on_the_second_axis():
    fig = days_late_trend(TREND, 30)
    bars, to_pay, late = fig.data
    assert list(bars.y) == [4, 0] and bars.yaxis == "y"
    assert (to_pay.name, late.name) == ("Days to pay", "Days late")
    assert to_pay.yaxis == late.yaxis == "y2"
    assert fig.layout.title.text == TREND_TITLE
    assert fig.layout.annotations[0].text == "terms 30 days"


def test_no_terms_line_without_terms():
    assert days_late_trend(TREND, math.nan).layout.shapes == ()
