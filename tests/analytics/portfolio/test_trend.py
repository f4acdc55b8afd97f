"""Month-end trend on the base ledger of test_engine, worked by hand."""

from datetime import date

import pandas as pd
import pytest

from analytics.portfolio.trend import TREND_COLUMNS, monthly_trend
from tests.analytics.portfolio.test_report import base_tables
from tests.ledger_factory import inv, load


def test_two_month_ends_by_hand(tmp_path):
    con = load(tmp_path, **base_tables())
    trend = monthly_trend(con, date(2024, 2, 29), months=2)
    assert list(trend.columns) == TREND_COLUMNS
    jan, feb = trend.to_dict("records")
    # 31 Jan: I1 1,000 + I2 500 both current (C1 is dated 1 Feb); sales (Nov 2, Jan 31] 1,500
    assert jan["month_end"] == date(2024, 1, 31)
    assert (jan["ar_total"], jan["ar_current"], jan["ar_overdue"]) == (1500, 1500, 0)
    assert jan["dso_standard"] == pytest.approx(90) and jan["add"] == pytest.approx(0)
    assert jan["dso_countback"] == pytest.approx(31)  # January's sales equal AR
    assert pd.isna(jan["cei"])  # nothing was collectable in January
    # 29 Feb: I1 600 (dpd 25), I2 400 (dpd 10) overdue; I3 300 current; 50 unapplied -> 1,250
    assert (feb["ar_total"], feb["ar_current"], feb["ar_overdue"]) == (1250, 300, 1000)
    assert feb["overdue_share"] == pytest.approx(1000 / 1300)
    assert feb["dso_standard"] == pytest.approx(1250 / 1700 * 90)
    # countback: Feb (29 d) sales 200 -> r 1,050; Jan 1,500 -> 29 + 1,050/1,500 × 31
    assert feb["dso_countback"] == pytest.approx(29 + 1050 / 1500 * 31)
    # CEI Feb: (1,500 + 200 - 1,250) / (1,500 + 200 - 300)
    assert feb["cei"] == pytest.approx(450 / 1400 * 100)


def test_trend_ends_at_the_last_full_month_and_starts_at_the_first_document(tmp_path):
    con = load(tmp_path, **base_tables())
    trend = monthly_trend(con, date(2024, 3, 15))
    # the base ledger starts on 5 Jan 2024: the 22 month-ends before it are absent, not
    # zero (issue 9: AR "jumped from 0 to 8.5M" on charts)
    assert trend["month_end"].tolist() == [date(2024, 1, 31), date(2024, 2, 29)]
    assert trend["ar_total"].tolist() == [1500, 1250]


def test_trend_has_24_month_ends_by_default_on_a_longer_ledger(tmp_path):
    tables = base_tables()
    tables["invoices"].append(inv("I0", "B", "2021-06-01", "2021-07-01", 10.0))
    trend = monthly_trend(load(tmp_path, **tables), date(2024, 3, 15))
    assert len(trend) == 24
    assert trend["month_end"].iloc[0] == date(2022, 3, 31)
    assert trend["month_end"].iloc[-1] == date(2024, 2, 29)


def test_month_end_balances_agree_with_the_as_of_open_items_at_every_month_end(tmp_path):
    # two independent routes to the same numbers: the load-time month-end segments
    # (data/sql/09) and the as-of macro open_items() (data/sql/08), on a realistic sample with
    # instalments, credit notes, EUR invoices and unapplied cash
    from analytics.portfolio.trend import ar_parts_at_month_ends
    from core.calendar import month_ends
    from data.loader import load_ledger
    from data.sample import generate_sample
    from engines import facts
    from engines.duckdb.engine import connect

    generate_sample(tmp_path / "s", invoices=3_000, seed=5)
    load_ledger(tmp_path / "s", tmp_path / "l.duckdb")
    con = connect(tmp_path / "l.duckdb")
    ends = month_ends(date(2026, 10, 31), 36)
    fast = ar_parts_at_month_ends(con, ends)
    for end, parts in zip(ends, fast, strict=True):
        slow = facts.open_totals(con, as_of=end, customer_keys=None)
        for key in ("current_amount", "overdue_amount", "unapplied_amount"):
            assert parts[key] == pytest.approx(slow[key], abs=1e-6), (end, key)
    assert sum(p["overdue_amount"] for p in fast) > 0
