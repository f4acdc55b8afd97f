"""DSO bridge: the month's change in standard DSO = sales effect + collections effect."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.metrics.dso_bridge import BRIDGE_COLUMNS, dso_bridge
from analytics.portfolio.trend import monthly_trend
from tests.analytics.portfolio.test_report import base_tables
from tests.ledger_factory import load


def trend_frame(ar: list[float], sales: list[float]) -> pd.DataFrame:
    ends = [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31), date(2024, 4, 30)]
    return pd.DataFrame({"month_end": ends[: len(ar)], "ar_total": ar, "sales_window": sales})


def test_two_months_by_hand_add_up_exactly():
    # N = 90. Jan: AR 900, S 1,800 -> DSO 45. Feb: AR 1,200, S 2,000 -> DSO 54; change +9
    # sales effect       = 900 / 2,000 × 90 − 45 = 40.5 − 45 = −4.5  (more sales, lower DSO)
    # collections effect = (1,200 − 900) / 2,000 × 90 = 13.5          (AR grew)
    # −4.5 + 13.5 = 9 = 54 − 45
    out = dso_bridge(trend_frame([900, 1_200], [1_800, 2_000]), 90)
    assert list(out.columns) == BRIDGE_COLUMNS and len(out) == 1
    row = out.iloc[0]
    assert row["month_end"] == date(2024, 2, 29) and row["previous_month_end"] == date(2024, 1, 31)
    assert (row["dso_previous"], row["dso"], row["dso_change"]) == (45, 54, 9)
    assert (row["sales_effect"], row["collections_effect"]) == (-4.5, 13.5)
    assert row["sales_effect"] + row["collections_effect"] == row["dso_change"]


def test_unchanged_ar_with_halved_sales_is_all_sales_effect():
    # AR 1,000 both months; S 2,000 -> 1,000 with N 30: DSO 15 -> 30
    # sales effect = 1,000/1,000 × 30 − 15 = 15; collections effect = 0 / 1,000 × 30 = 0
    row = dso_bridge(trend_frame([1_000, 1_000], [2_000, 1_000]), 30).iloc[0]
    assert (row["sales_effect"], row["collections_effect"], row["dso_change"]) == (15, 0, 15)


def test_a_month_without_sales_makes_its_bridge_and_the_next_one_undefined():
    # S: 1,000, 0, 500, 400. Feb has no sales: Feb's DSO is undefined, and so are the changes
    # Jan -> Feb and Feb -> Mar; Mar -> Apr is defined again:
    # DSO Mar = 300/500 × 90 = 54, Apr = 200/400 × 90 = 45; sales effect 300/400 × 90 − 54 = 13.5;
    # collections effect (200 − 300)/400 × 90 = −22.5; 13.5 − 22.5 = −9 = 45 − 54
    out = dso_bridge(trend_frame([100, 200, 300, 200], [1_000, 0, 500, 400]), 90)
    assert out["dso"].isna().tolist() == [True, False, False]
    for column in ("dso_change", "sales_effect", "collections_effect"):
        assert out[column].isna().tolist() == [True, True, False]
    apr = out.iloc[2]
    assert (apr["sales_effect"], apr["collections_effect"], apr["dso_change"]) == (13.5, -22.5, -9)


def test_negative_sales_are_undefined_too():
    out = dso_bridge(trend_frame([100, 200], [-50, 400]), 90)
    assert np.isnan(out["dso_previous"].iloc[0]) and np.isnan(out["sales_effect"].iloc[0])


def test_effects_always_add_up_to_the_change():
    rng = np.random.default_rng(3)
    ar = rng.uniform(-1e5, 1e7, 4)
    sales = rng.uniform(1e3, 1e7, 4)
    out = dso_bridge(trend_frame(list(ar), list(sales)), 91)
    total = out["sales_effect"] + out["collections_effect"]
    assert np.allclose(total, out["dso_change"], rtol=0, atol=1e-9 * out["dso"].abs().max())


def test_one_month_or_none_gives_an_empty_bridge_and_the_input_is_not_changed():
    frame = trend_frame([900, 1_200], [1_800, 2_000])
    before = frame.copy()
    dso_bridge(frame, 90)
    pd.testing.assert_frame_equal(frame, before)
    assert dso_bridge(frame.iloc[:1], 90).empty
    assert dso_bridge(frame.iloc[:0], 90).empty


def test_bridge_over_the_engine_trend_matches_its_standard_dso(tmp_path):
    # test_engine's ledger: 31 Jan AR 1,500, S 1,500 -> DSO 90;
    # 29 Feb AR 1,250, S 1,700 -> DSO 1,250/1,700 × 90 = 66.18
    # sales effect = 1,500/1,700 × 90 − 90 = −10.59; collections = −250/1,700 × 90 = −13.24
    con = load(tmp_path, **base_tables())
    trend = monthly_trend(con, date(2024, 2, 29), months=2)
    row = dso_bridge(trend, 90).iloc[0]
    assert row["dso_previous"] == pytest.approx(trend["dso_standard"].iloc[0]) == 90
    assert row["dso"] == pytest.approx(trend["dso_standard"].iloc[1])
    assert row["sales_effect"] == pytest.approx(1_500 / 1_700 * 90 - 90)
    assert row["collections_effect"] == pytest.approx(-250 / 1_700 * 90)
    assert row["sales_effect"] + row["collections_effect"] == pytest.approx(1_250 / 1_700 * 90 - 90)


def test_before_the_first_document_there_is_no_trend_and_no_bridge(tmp_path):
    # the month-ends before the ledger's first document are absent from the trend (issue 9:
    # they were zero rows), so the bridge has no month either, and says so without failing
    con = load(tmp_path, **base_tables())
    out = dso_bridge(monthly_trend(con, date(2023, 12, 31), months=4), 90)
    assert out.empty and "dso_change" in out.columns
