"""Aging views (spec §2-§3): by group with disputed items in their buckets (and their part of
each shown), open items, month-end history.

Ledger (USD reporting, EUR 1.10 from 2024-01-01 and 1.20 from 2024-03-15), as of D = 2024-03-31:
  A (S1, R1, rating A): I1 1,000 dated 03-10 due 04-09          -> dpd -9  current  (inv age 21: 1-30)
                        I2   500 dated 02-01 due 03-02 disputed -> dpd 29  1-30     (inv age 59: 31-60)
  B (S1, R2, rating B): I3   800 dated 2023-12-01 due 12-31, 300 paid 01-15
                                                  -> open 500, dpd 91 91-120    (inv age 121: 120+)
                        C1  -100 dated 03-20 due 03-20, stand-alone credit
                                                  -> dpd 11  1-30              (inv age 11: 1-30)
  C (S2, R1, rating C): I4   200 EUR dated 01-15 due 02-14 -> 200 × 1.20 = 240, dpd 46 31-60
                                                                                (inv age 76: 61-90)
                        P2 50 unapplied cash on 03-25; I5 999 dated 04-05 does not exist at D.
"""

from datetime import date

import pandas as pd
import pytest

from analytics.portfolio.aging_view import (
    aging_history,
    aging_totals,
    disputed_by_bucket,
    group_aging,
    group_customer_keys,
    open_items_detail,
)
from analytics.portfolio.snapshot import Options, snapshot
from tests.ledger_factory import inv, load, pay

D = date(2024, 3, 31)
LABELS = ["current", "1-30", "31-60", "61-90", "91-120", "120+"]


def customer(cid, segment, region, rating):
    return {"customer_id": cid, "name": f"Name {cid}", "segment": segment, "region": region,
            "risk_rating": rating}  # fmt: skip


@pytest.fixture
def con(tmp_path):
    return load(
        tmp_path,
        customers=[
            customer("A", "S1", "R1", "A"),
            customer("B", "S1", "R2", "B"),
            customer("C", "S2", "R1", "C"),
        ],  # fmt: skip
        invoices=[
            inv("I1", "A", "2024-03-10", "2024-04-09", 1000),
            inv("I2", "A", "2024-02-01", "2024-03-02", 500, disputed="true"),
            inv("I3", "B", "2023-12-01", "2023-12-31", 800),
            inv("C1", "B", "2024-03-20", "2024-03-20", -100),
            inv("I4", "C", "2024-01-15", "2024-02-14", 200, currency="EUR"),
            inv("I5", "C", "2024-04-05", "2024-05-05", 999),
        ],
        payments=[
            pay("P1", "B", "2024-01-15", 300, "I3"),
            pay("P2", "C", "2024-03-25", 50),
        ],
        fx_rates=[
            {"currency": "EUR", "rate_date": "2024-01-01", "rate": 1.10},
            {"currency": "EUR", "rate_date": "2024-03-15", "rate": 1.20},
        ],
    )


def aging_table(con, by, as_of=D, basis="due"):
    options = Options(as_of=as_of, basis=basis)
    customers = snapshot(con, options).customers
    return group_aging(customers, disputed_by_bucket(con, options), by, options.edges)


def row(table, group):
    return table.set_index("group").loc[group]


def test_by_segment_every_open_item_is_in_its_bucket_and_the_disputed_part_is_shown(con):
    table = aging_table(con, "segment")
    assert list(table["group"]) == ["S1", "S2"]  # open 1,900 before 240
    s1 = row(table, "S1")
    # S1 = A + B: current I1 1,000; 1-30 C1 -100 + I2 500 (disputed, in its bucket like any
    # item: issue 9, one rule on every page); 91-120 I3 500
    assert [s1[b] for b in LABELS] == [1000, 400, 0, 0, 500, 0]
    assert s1["disputed_amount"] == 500  # of which disputed: all in 1-30
    assert [s1[f"disputed {b}"] for b in LABELS] == [0, 500, 0, 0, 0, 0]
    assert s1["open_amount"] == 1900  # 1,000 + 500 + 500 - 100
    assert s1["overdue_amount"] == 900  # I2 500 + I3 500 + C1 -100
    assert s1["overdue_share"] == pytest.approx(900 / 1900)
    assert s1["n_customers"] == 2 and s1["n_open_items"] == 4
    s2 = row(table, "S2")
    assert [s2[b] for b in LABELS] == [0, 0, 240, 0, 0, 0]  # 200 EUR × 1.20
    assert s2["unapplied_amount"] == 50 and s2["balance_amount"] == 190  # 240 - 50


def test_buckets_equal_the_open_total_and_balance_subtracts_unapplied(con):
    disputed_parts = [f"disputed {b}" for b in LABELS]
    for by in ("customer", "segment", "region", "rating"):
        for basis in ("due", "invoice"):
            table = aging_table(con, by, basis=basis)
            assert table[LABELS].sum(axis=1).tolist() == pytest.approx(
                table["open_amount"].tolist()
            )
            assert table[disputed_parts].sum(axis=1).tolist() == pytest.approx(
                table["disputed_amount"].tolist()
            )
            assert (table["open_amount"] - table["unapplied_amount"]).tolist() == pytest.approx(
                table["balance_amount"].tolist()
            )


def test_invoice_date_basis_moves_items_to_older_buckets_but_not_the_overdue_amount(con):
    table = aging_table(con, "rating", basis="invoice")
    # A: I1 age 21 -> 1-30; disputed I2 (age 59) -> 31-60
    assert [row(table, "A")[b] for b in LABELS] == [0, 1000, 500, 0, 0, 0]
    # B: C1 age 11 -> 1-30 (-100); I3 age 121 -> 120+
    assert [row(table, "B")[b] for b in LABELS] == [0, -100, 0, 0, 0, 500]
    # C: I4 age 76 -> 61-90
    assert [row(table, "C")[b] for b in LABELS] == [0, 0, 0, 240, 0, 0]
    assert row(table, "A")["overdue_amount"] == 500  # by due date whatever the basis


def test_by_customer_rows_carry_the_name_and_totals_sum_the_portfolio(con):
    table = aging_table(con, "customer")
    assert list(table["group"]) == ["A", "B", "C"]
    assert list(table["name"]) == ["Name A", "Name B", "Name C"]
    assert "n_customers" not in table
    totals = aging_totals(table)
    # open 1,500 + 400 + 240 = 2,140; overdue 500 + 400 + 240 = 1,140; AR 2,140 - 50 = 2,090
    assert totals["open_amount"] == 2140 and totals["overdue_amount"] == 1140
    assert totals["overdue_share"] == pytest.approx(1140 / 2140)
    assert totals["disputed_amount"] == 500 and totals["unapplied_amount"] == 50
    assert totals["balance_amount"] == 2090


def test_open_items_largest_first_in_document_and_reporting_currency(con):
    items = open_items_detail(con, Options(as_of=D), None)
    # ties (I2, I3 at 500) by invoice id; I5 is dated after D
    assert list(items["invoice_id"]) == ["I1", "I2", "I3", "I4", "C1"]
    i4 = items.set_index("invoice_id").loc["I4"]
    assert (i4["currency"], i4["document_amount"], i4["open_amount"]) == ("EUR", 200, 200)
    assert i4["open_amount_rc"] == pytest.approx(240)
    assert (i4["days_past_due"], i4["bucket"], i4["customer_name"]) == (46, "31-60", "Name C")
    by_id = items.set_index("invoice_id")
    assert by_id.loc["I3", "open_amount"] == 500 and by_id.loc["C1", "bucket"] == "1-30"
    assert list(items["is_disputed"]) == [False, True, False, False, False]


def test_open_items_of_one_group_only(con):
    customers = snapshot(con, Options(as_of=D)).customers
    keys = group_customer_keys(customers, "segment", "S2")
    assert keys == [2]  # customer keys are dense in customer_id order: A 0, B 1, C 2
    items = open_items_detail(con, Options(as_of=D, basis="invoice"), keys)
    assert list(items["invoice_id"]) == ["I4"] and items["bucket"].iloc[0] == "61-90"


def test_history_at_month_ends_follows_payments_rates_and_the_customer_filter(con):
    history = aging_history(con, Options(as_of=D), months=3).set_index("month_end")
    assert list(history.index) == [date(2024, 1, 31), date(2024, 2, 29), D]
    # 01-31: I3 500 (dpd 31 -> 31-60), I4 200 EUR × 1.10 = 220 current
    assert history.loc[date(2024, 1, 31), LABELS].tolist() == pytest.approx([220, 0, 500, 0, 0, 0])
    # 02-29: I2 500 disputed (current), I4 220 dpd 15 -> 1-30, I3 dpd 60 -> 31-60
    feb = history.loc[date(2024, 2, 29)]
    assert feb[LABELS].tolist() == pytest.approx([500, 220, 500, 0, 0, 0])
    assert feb["disputed_amount"] == 500 and feb["unapplied_amount"] == 0
    mar = history.loc[D]  # I2 500 (disputed, dpd 29) in 1-30 with C1 -100
    assert mar[LABELS].tolist() == pytest.approx([1000, 400, 240, 0, 500, 0])
    assert mar["unapplied_amount"] == 50
    only_c = aging_history(con, Options(as_of=D), [2], months=1)
    assert only_c[LABELS].iloc[0].tolist() == pytest.approx([0, 0, 240, 0, 0, 0])
    assert only_c["unapplied_amount"].iloc[0] == 50


def test_history_leaves_out_month_ends_before_the_start(con):
    history = aging_history(con, Options(as_of=D), months=24, start=date(2024, 2, 1))
    assert list(history["month_end"]) == [date(2024, 2, 29), D]


def test_before_the_first_document_everything_is_empty_or_zero(con):
    before = date(2023, 11, 15)
    table = aging_table(con, "segment", as_of=before)
    assert table.empty
    assert aging_totals(table)["overdue_share"] is None
    assert aging_totals(table)["balance_amount"] == 0
    assert open_items_detail(con, Options(as_of=before), None).empty
    history = aging_history(con, Options(as_of=before), months=2)
    assert (history[[*LABELS, "disputed_amount", "unapplied_amount"]] == 0).all().all()
    assert aging_history(con, Options(as_of=before), start=date(2023, 12, 1)).empty


def test_custom_edges_label_every_bucket(con):
    options = Options(as_of=D, edges=(15, 45))
    items = open_items_detail(con, options, None).set_index("invoice_id")
    # dpd: I1 -9, I2 29, I3 91, I4 46, C1 11
    assert items["bucket"].to_dict() == {
        "I1": "current", "I2": "16-45", "I3": "45+", "I4": "45+", "C1": "1-15"
    }  # fmt: skip
    customers = snapshot(con, options).customers
    table = group_aging(customers, disputed_by_bucket(con, options), "region", options.edges)
    # R1 = A + C: current 1,000; 16-45: I2 500 (disputed); 45+ I4 240
    assert row(table, "R1")[["current", "1-15", "16-45", "45+"]].tolist() == [1000, 0, 500, 240]


def test_group_aging_does_not_mutate_its_inputs(con):
    options = Options(as_of=D)
    customers = snapshot(con, options).customers
    disputed = disputed_by_bucket(con, options)
    before_c, before_d = customers.copy(), disputed.copy()
    group_aging(customers, disputed, "segment", options.edges)
    pd.testing.assert_frame_equal(customers, before_c)
    pd.testing.assert_frame_equal(disputed, before_d)
