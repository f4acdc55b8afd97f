"""Two dates side by side, worked by hand.

Ledger (USD). Limits: A 1,000, B 2,000, C 500.
  I1 A 1,200 dated 2024-01-10 due 02-09
  I2 B   600 dated 2024-01-05 due 01-20, paid in full (P1) on 02-10
  I3 C   900 dated 2024-02-15 due 03-16
  I4 B   300 dated 2024-02-20 due 03-21
Date A = 2024-01-31: open I1 1,200 (dpd -9, current), I2 600 (dpd 11, 1-30).
  AR 1,800; overdue 600; overdue share 600 / 1,800 = 1/3.
  Over limit: A (1,200 > 1,000) -> 1.  Top-10 share: two positive balances -> 1.0.
  Countback: January's sales 1,200 + 600 = 1,800 = AR -> exactly 31 days.
Date B = 2024-02-29: open I1 1,200 (dpd 20, 1-30), I3 900 (current), I4 300 (current).
  AR 2,400; overdue 1,200; overdue share 1,200 / 2,400 = 0.5.
  Over limit: A, and C (900 > 500) -> 2.  Top-10 share 1.0.
  Countback: February's sales 900 + 300 = 1,200 < 2,400 -> 29 days, r = 1,200;
  January's 1,800 > 1,200 -> 1,200 / 1,800 × 31 = 20.667 -> 49.667 days.
"""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.portfolio.compare import (
    HEADLINE_COLUMNS,
    aging_comparison,
    balance_ranks,
    change_of,
    change_pct_of,
    comparison,
    headline_comparison,
    top_customer_comparison,
)
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from core.errors import LedgerError
from tests.ledger_factory import inv, load, pay

A, B = date(2024, 1, 31), date(2024, 2, 29)
COUNTBACK_B = 29 + 1200 / 1800 * 31  # 49.667


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("compare")
    return load(
        tmp,
        customers=[
            {"customer_id": "A", "name": "Alpha", "credit_limit": 1000},
            {"customer_id": "B", "name": "Beta", "credit_limit": 2000},
            {"customer_id": "C", "name": "Gamma", "credit_limit": 500},
        ],
        invoices=[
            inv("I1", "A", "2024-01-10", "2024-02-09", 1200),
            inv("I2", "B", "2024-01-05", "2024-01-20", 600),
            inv("I3", "C", "2024-02-15", "2024-03-16", 900),
            inv("I4", "B", "2024-02-20", "2024-03-21", 300),
        ],
        payments=[pay("P1", "B", "2024-02-10", 600, "I2")],
    )


@pytest.fixture(scope="module")
def snaps(con):
    return snapshot(con, Options(as_of=A)), snapshot(con, Options(as_of=B))


def test_change_is_b_minus_a_and_undefined_when_either_is():
    assert change_of(1800.0, 2400.0) == 600.0
    assert np.isnan(change_of(None, 2400.0)) and np.isnan(change_of(1.0, float("nan")))
    assert change_of(pd.Series([1.0, None]), pd.Series([3.0, 4.0])).tolist()[0] == 2.0


def test_change_pct_is_null_when_a_is_zero_and_keeps_the_sign_of_the_change():
    assert change_pct_of(1800.0, 2400.0) == pytest.approx(600 / 1800)
    assert np.isnan(change_pct_of(0.0, 900.0))  # from nothing: no percentage
    assert change_pct_of(-100.0, -150.0) == pytest.approx(-0.5)  # a credit grew: down 50 %
    assert np.isnan(change_pct_of(None, 1.0))


def test_headline_figures_are_overviews_at_each_date_and_their_differences(snaps):
    frame = headline_comparison(*(portfolio_metrics(s) for s in snaps))
    assert frame.columns.tolist() == HEADLINE_COLUMNS
    rows = frame.set_index("figure")
    assert rows["unit"].tolist() == ["money", "money", "share", "days", "count", "share"]
    expected = {  # figure: (A, B, B − A, (B − A) / |A|)
        "Total AR": (1800, 2400, 600, 600 / 1800),
        "Overdue": (600, 1200, 600, 1.0),
        "Overdue share": (1 / 3, 0.5, 0.5 - 1 / 3, (0.5 - 1 / 3) * 3),
        "DSO (countback)": (31, COUNTBACK_B, COUNTBACK_B - 31, (COUNTBACK_B - 31) / 31),
        "Over limit": (1, 2, 1, 1.0),
        "Top-10 share": (1.0, 1.0, 0.0, 0.0),
    }
    for figure, values in expected.items():
        got = rows.loc[figure, ["a_value", "b_value", "change", "change_pct"]].tolist()
        assert got == pytest.approx(list(values)), figure


def test_an_undefined_figure_has_no_change(tmp_path):
    # nothing sold before 2024-01-31: countback DSO is undefined at A, defined at B
    con = load(tmp_path, invoices=[inv("I1", "A", "2024-02-10", "2024-03-11", 100)])
    a = portfolio_metrics(snapshot(con, Options(as_of=A)))
    b = portfolio_metrics(snapshot(con, Options(as_of=B)))
    row = headline_comparison(a, b).set_index("figure").loc["DSO (countback)"]
    # at B: February's sales 100 = AR 100 -> the whole of period 0, 1-29 Feb = 29 days
    assert np.isnan(row["a_value"]) and row["b_value"] == pytest.approx(29)
    assert np.isnan(row["change"]) and np.isnan(row["change_pct"])


def test_aging_per_bucket_at_both_dates_adds_up_to_the_open_amounts(snaps):
    frame = aging_comparison(*(portfolio_metrics(s) for s in snaps))
    assert frame["bucket"].tolist() == ["current", "1-30", "31-60", "61-90", "91-120", "120+"]
    assert frame["a_amount"].tolist() == [1200, 600, 0, 0, 0, 0]
    assert frame["b_amount"].tolist() == [1200, 1200, 0, 0, 0, 0]
    assert frame["change_amount"].tolist() == [0, 600, 0, 0, 0, 0]
    assert frame["change_pct"].iloc[:2].tolist() == [0.0, 1.0]
    assert frame["change_pct"].iloc[2:].isna().all()  # nothing at A: no percentage
    # identity: the buckets' changes add up to the change in open items (current + overdue)
    assert frame["change_amount"].sum() == (1200 + 1200) - (1200 + 600)


def test_aging_with_different_buckets_is_refused(con):
    a = portfolio_metrics(snapshot(con, Options(as_of=A)))
    b = portfolio_metrics(snapshot(con, Options(as_of=B, edges=(15, 45))))
    with pytest.raises(LedgerError, match="same bucket edges"):
        aging_comparison(a, b)


def test_ranks_count_positive_balances_only(snaps):
    at_a = snaps[0].customers
    ranks = dict(zip(at_a["customer_id"], balance_ranks(at_a), strict=True))
    assert ranks["A"] == 1 and ranks["B"] == 2 and ranks["C"] is pd.NA  # C owes nothing at A


def test_top_customers_keep_the_one_that_dropped_out(snaps):
    # top 2 at B: A 1,200, C 900; top 2 at A: A 1,200, B 600 -> A, C, B (B is third at B)
    frame = top_customer_comparison(*snaps, n=2)
    assert frame["customer_id"].tolist() == ["A", "C", "B"]
    assert frame["name"].tolist() == ["Alpha", "Gamma", "Beta"]
    assert frame["a_rank"].dtype == "Int64"  # whole ranks in the downloads, <NA> when none
    assert frame["a_rank"].fillna(0).tolist() == [1, 0, 2]  # C: no positive balance at A
    assert frame["b_rank"].tolist() == [1, 2, 3]
    assert frame["a_balance_amount"].tolist() == [1200, 0, 600]
    assert frame["b_balance_amount"].tolist() == [1200, 900, 300]
    assert frame["change_amount"].tolist() == [0, 900, -300]
    assert frame["change_pct"].tolist()[0] == 0 and np.isnan(frame["change_pct"].iloc[1])
    assert frame["change_pct"].iloc[2] == pytest.approx(-0.5)
    # A's I1 fell due on 02-09; B's I2 (overdue at A) was paid on 02-10
    assert frame["a_overdue_amount"].tolist() == [0, 0, 600]
    assert frame["b_overdue_amount"].tolist() == [1200, 0, 0]


def test_top_one_is_the_largest_at_both_dates(snaps):
    assert top_customer_comparison(*snaps, n=1)["customer_id"].tolist() == ["A"]
    with pytest.raises(LedgerError, match="at least 1"):
        top_customer_comparison(*snaps, n=0)


def test_comparison_holds_the_three_frames_and_leaves_the_snapshots_alone(snaps):
    before = [s.customers.copy() for s in snaps]
    result = comparison(*snaps, n=2)
    assert (result.a_date, result.b_date) == (A, B)
    assert result.headline["figure"].iloc[0] == "Total AR"
    assert len(result.aging) == 6 and len(result.customers) == 3
    for snap, copy in zip(snaps, before, strict=True):
        pd.testing.assert_frame_equal(snap.customers, copy)
