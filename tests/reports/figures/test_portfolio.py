"""reports/figures/portfolio.py: the aging bar and the AR trend (Overview, Customer)."""

from __future__ import annotations

import pandas as pd

from reports.figures.portfolio import aging_bar, ar_trend


def test_aging_bar_has_one_bar_per_bucket_with_its_amount_written_on_it():
    fig = aging_bar({"Current": 1500.0, "1-30": 250.4, "31+": -20.0}, "EUR")
    bar = fig.data[0]
    assert list(bar.x) == ["Current", "1-30", "31+"]
    assert list(bar.y) == [1500.0, 250.4, -20.0]
    assert list(bar.text) == ["1,500", "250", "-20"]
    assert list(bar.marker.color) == ["#2e86c1", "#f7dc6f", "#641e16"]
    assert fig.layout.title.text == "Aging of open items"
    assert fig.layout.yaxis.title.text == "Open amount (EUR)"
    assert "EUR" in bar.hovertemplate


def test_ar_trend_draws_total_and_overdue_at_each_month_end():
    trend = pd.DataFrame({"month_end": pd.to_datetime(["2025-01-31", "2025-02-28"]),
                          "ar_total": [100.0, 120.0], "ar_overdue": [30.0, 45.0]})  # fmt: skip
    total, overdue = ar_trend(trend, "USD").data
    assert (total.name, overdue.name) == ("Total AR", "Overdue")
    assert list(total.y) == [100.0, 120.0] and list(overdue.y) == [30.0, 45.0]
    assert overdue.fill == "tozeroy"
