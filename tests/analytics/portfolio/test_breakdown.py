"""Breakdown by dimension on the base ledger of test_engine, worked by hand (as of 2024-02-20).

A: open I1 600 + I2 400 (both overdue), sales in 90 days 1,000 + 500 - 100 = 1,400
B: open I3 300 (current, disputed) - 50 unapplied = 250, sales 300
"""

from datetime import date

import pytest

from analytics.portfolio.breakdown import breakdown
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from tests.analytics.portfolio.test_report import base_tables
from tests.ledger_factory import load

D = date(2024, 2, 20)


@pytest.fixture
def snap_con(tmp_path):
    con = load(tmp_path, **base_tables())
    return snapshot(con, Options(as_of=D)), con


def test_by_customer_each_has_its_own_dso_countback_and_cei(snap_con):
    snap, con = snap_con
    rows = breakdown(con, snap, "customer").set_index("customer_id")
    a, b = rows.loc["A"], rows.loc["B"]
    # A: 1,000 / 1,400 × 90; nothing current -> best possible 0, ADD = standard
    assert a["dso_standard"] == pytest.approx(1000 / 1400 * 90)
    assert a["dso_best_possible"] == 0 and a["add"] == pytest.approx(1000 / 1400 * 90)
    # countback A: Feb 1-20 net sales -100 -> r = 1,100 after 20 days; Jan 1,500 -> 1,100/1,500 × 31
    assert a["dso_countback"] == pytest.approx(20 + 1100 / 1500 * 31)
    # CEI A: AR(Jan 31) 1,500, S = -100, AR 1,000, current 0 -> 400 / 1,400
    assert a["cei"] == pytest.approx(400 / 1400 * 100)
    # B: 250 / 300 × 90 = 75; best possible 300 / 300 × 90 = 90; ADD -15; countback 250/300 × 20
    assert (b["dso_standard"], b["dso_best_possible"], b["add"]) == pytest.approx((75, 90, -15))
    assert b["dso_countback"] == pytest.approx(250 / 300 * 20)
    assert b["cei"] is None or b["cei"] != b["cei"]  # nothing was collectable from B
    assert (a["overdue_amount"], b["disputed_amount"], b["unapplied_amount"]) == (1000, 300, 50)
    assert list(rows.index) == ["A", "B"]  # largest balance first


def test_one_group_holding_everyone_equals_the_portfolio(snap_con):
    snap, con = snap_con
    (row,) = breakdown(con, snap, "segment").to_dict("records")
    m = portfolio_metrics(snap)
    assert row["segment"] == "(none)" and row["n_customers"] == 2
    assert row["balance_amount"] == pytest.approx(m.ar_total)
    assert row["dso_standard"] == pytest.approx(m.dso_standard)
    assert row["dso_countback"] == pytest.approx(m.dso_countback)
    assert row["cei"] == pytest.approx(m.cei)
    assert row["hhi"] == pytest.approx(m.hhi)


def test_groups_add_up_to_the_portfolio_on_a_sample(tmp_path):
    from data.loader import load_ledger
    from data.sample import generate_sample
    from engines.duckdb.engine import connect

    generate_sample(tmp_path / "s", invoices=3_000, seed=3)
    load_ledger(tmp_path / "s", tmp_path / "l.duckdb")
    con = connect(tmp_path / "l.duckdb")
    snap = snapshot(con, Options(as_of=date(2026, 10, 31)))
    m = portfolio_metrics(snap)
    for by in ("segment", "region", "risk_rating"):
        rows = breakdown(con, snap, by)
        assert rows["balance_amount"].sum() == pytest.approx(m.ar_total)
        assert rows["overdue_amount"].sum() == pytest.approx(m.ar_overdue)
        assert rows["customers_over_limit"].sum() == m.customers_over_limit


def test_an_unknown_dimension_is_refused(snap_con):
    snap, con = snap_con
    with pytest.raises(ValueError, match="breakdown by must be one of"):
        breakdown(con, snap, "colour")
