"""reports/figures/limits.py: utilisation histogram, utilisation by rating, insurance."""

from __future__ import annotations

import pandas as pd

from reports.figures.limits import (
    OVER,
    WITHIN,
    insurance_bar,
    utilisation_by_rating_bar,
    utilisation_histogram,
)

BY_RATING = pd.DataFrame({"risk_rating": ["A", "B", "C"], "n_limited": [2, 1, 0],
                          "utilisation": [0.5, 1.25, None], "n_over_limit": [0, 1, 0],
                          "insured_amount": [80.0, 10.0, 0.0],
                          "uninsured_amount": [20.0, 40.0, 5.0]})  # fmt: skip


def test_histogram_splits_customers_within_and_over_their_limit_in_percent():
    fig = utilisation_histogram(pd.Series([0.2, 0.95, 1.0, 1.3]))
    within, over = fig.data
    assert list(within.x) == [20.0, 95.0, 100.0]  # 100 % is still within
    assert list(over.x) == [130.0]
    assert fig.layout.shapes[0].x0 == 100  # the limit line


def test_by_rating_leaves_out_ratings_without_limits_and_colours_the_over_ones():
    bar = utilisation_by_rating_bar(BY_RATING).data[0]
    assert list(bar.x) == ["A", "B"]
    assert list(bar.y) == [50.0, 125.0] and list(bar.text) == ["50 %", "125 %"]
    assert list(bar.marker.color) == [WITHIN, OVER]


def test_insurance_stacks_insured_under_uninsured_per_rating():
    fig = insurance_bar(BY_RATING, "EUR")
    assert [t.name for t in fig.data] == ["Insured", "Uninsured"]
    assert list(fig.data[1].y) == [20.0, 40.0, 5.0]
    assert fig.layout.barmode == "stack" and fig.layout.yaxis.title.text == "Exposure (EUR)"
