"""reports/format.py: how numbers read, with the expected strings worked by hand."""

from __future__ import annotations

import math
from datetime import date

import pytest

from reports import format


@pytest.mark.parametrize(
    ("value", "compact", "expected"),
    [
        (1_250_000, True, "USD 1.25M"),  # 1,250,000 / 1e6 = 1.25
        (2_500_000_000, True, "USD 2.50bn"),
        (12_345, True, "USD 12.35k"),  # 12.345 is stored as 12.34500000000000064: up
        (999, True, "USD 999"),  # under 1k: whole units
        (99.5, True, "USD 99.50"),  # under 100: cents
        (-12_630_000, True, "-USD 12.63M"),  # the sign before the currency
        (1_250_000, False, "USD 1,250,000"),
        (-0.25, False, "-USD 0.25"),
    ],
)
def test_money_compact_and_full(value, compact, expected):
    assert format.money(value, "USD", compact=compact) == expected


@pytest.mark.parametrize("missing", [None, math.nan])
def test_every_formatter_shows_a_missing_value_as_na(missing):
    texts = [format.money(missing, "EUR"), format.days(missing), format.pct(missing),
             format.index_points(missing), format.count(missing), format.hhi_points(missing)]  # fmt: skip
    assert texts == ["n/a"] * 6
    assert format.delta(missing) is None  # st.metric hides a None delta


def test_days_pct_index_count_and_hhi():
    assert format.days(1234.56) == "1,234.6 days"
    assert format.pct(0.256) == "25.6 %"  # 0.256 × 100
    assert format.pct(1.5, digits=0) == "150 %"
    assert format.index_points(99.96) == "100.0"
    assert format.count(1_000_000) == "1,000,000"
    assert format.count(7.9) == "7"  # cut, not rounded
    assert format.hhi_points(2500.4) == "2,500"


def test_delta_carries_a_sign_and_a_unit():
    assert format.delta(0.04, " pp") == "+0.0 pp"
    assert (
        format.delta(3.25, " days") == "+3.2 days"
    )  # 3.25 → 3.2 (binary 3.25 is exact: half to even)
    assert format.delta(-1234.5) == "-1,234.5"


def test_as_of_line_names_date_currency_details_and_the_filter():
    line = format.as_of_line(date(2025, 3, 9), "EUR", "aged by due date", "buckets 30, 60 days",
                             filtered="filtered")  # fmt: skip
    assert line == "As of 09 Mar 2025 · EUR · aged by due date · buckets 30, 60 days · filtered"
    assert format.as_of_line(date(2025, 3, 9), "USD") == "As of 09 Mar 2025 · USD"
