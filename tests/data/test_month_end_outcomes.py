"""The load-time month-end outcomes (data/sql/10_month_end_outcomes.sql): hand-worked rows, and
the same calibration rows as the as-of route (engines/sql/risk_calibration_outcomes_full.sql)
on hand-made ledgers and a generated sample, consolidated and per entity, to 1e-9.

Hand-worked on the ledger of tests/analytics/risk/test_loss_rates.py (USD, one entity but I6):
at 2024-03-31 (next month-end 04-30, outcome date 2025-03-31)
  I1 due 02-14 1,000, paid 400 on 03-10 and 150 on 09-01: open 600, 46 days past due; still
     600 on 04-30; 450 open on 2025-03-31 → lost 450
  I2 due 03-02 500, written off 300 on 04-15 (CN1), paid 200 on 07-15: open 500, 29 dpd;
     200 open on 04-30 (stays 200, 300 written off by then); 0 open a year on + 300 written
     off → lost 300
  I5 due 03-31 400, paid on 05-15: open 400, 0 dpd; stays 400; lost 0
  (I3 was paid on 02-20, I4 is disputed, CN2 is a credit: none is in the book)
At 2025-03-31, the ledger's last month-end (last date: I6 on 2025-03-15): I1 450 (411 dpd:
366 days to 2025-02-14, then 45; never paid: lost 450) and I6 of EU01 1,000 (due 04-14: −14 dpd, lost 1,000).
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from analytics.metrics.aging import sql_edges
from analytics.risk.loss_rates import HORIZON_DAYS, LOADED_HORIZON_DAYS, calibration_month_ends
from engines import facts
from engines.duckdb.engine import connect
from tests.analytics.risk.test_loss_rates import CUSTOMERS, INVOICES, PAYMENTS
from tests.ledger_factory import generated, inv, load, pay

KEY = ["month_end", "entity", "currency", "days_past_due", "is_open_next"]
SUMS = ["open_amount", "lost_amount", "staying_amount", "next_written_off_amount", "n_documents"]

# every way a document can meet a month-end, its next one and the outcome a year on
# (USD reporting, EUR at 1.10 then 1.20; month-ends 2024-01-31 .. 2025-06-30)
EDGE_CUSTOMERS = [{"customer_id": "C1"}, {"customer_id": "C2"}]
EDGE_INVOICES = [
    inv("A1", "C1", "2024-01-10", "2024-02-09", 100),  # paid on a month-end (02-29)
    inv("A2", "C1", "2024-01-20", "2024-02-19", 200),  # paid on 2025-01-30 = 01-31 + 365
    inv("A3", "C1", "2024-01-20", "2024-02-19", 300),  # paid on 2025-01-31, a day after
    inv("A4", "C1", "2024-02-05", "2024-03-06", 400),  # paid 399.999: 0.001 left, < 0.005
    inv("A5", "C2", "2024-02-05", "2024-03-06", 500),  # overpaid (520)
    inv("A6", "C2", "2024-03-15", "2024-04-14", 600),  # paid before its invoice date
    inv("A7", "C2", "2024-01-05", "2024-02-04", 0.001),  # never 0.005 open
    inv("A8", "C2", "2024-01-05", "2024-01-05", 700, currency="EUR"),  # three payments
    inv("A9", "C1", "2024-02-01", "2024-03-02", 800),  # written off in EUR, rest paid
    inv("W9", "C1", "2024-05-10", "2024-05-10", -100, currency="EUR", applies_to="A9",
        write_off="true"),
    inv("B1", "C2", "2024-03-01", "2024-03-31", 900, currency="GBP"),  # rate moves on 05-31
    inv("B2", "C2", "2024-02-01", "2024-03-02", 1000),  # part paid in 1 payment, rest open
    inv("B3", "C1", "2024-04-01", "2024-05-01", 250, entity="EU01"),  # written off in full
    inv("W3", "C1", "2024-06-01", "2024-06-01", -250, applies_to="B3", write_off="true",
        entity="EU01"),
    inv("B4", "C1", "2024-04-01", "2024-05-01", 150, disputed="true"),  # left out
]  # fmt: skip
EDGE_PAYMENTS = [
    pay("Q1", "C1", "2024-02-29", 100, "A1"),
    pay("Q2", "C1", "2025-01-30", 200, "A2"),
    pay("Q3", "C1", "2025-01-31", 300, "A3"),
    pay("Q4", "C1", "2024-04-10", 399.999, "A4"),
    pay("Q5", "C2", "2024-04-10", 520, "A5"),
    pay("Q6", "C2", "2024-03-01", 600, "A6"),
    pay("Q8a", "C2", "2024-02-20", 200, "A8", currency="EUR"),
    pay("Q8b", "C2", "2024-04-30", 300, "A8", currency="EUR"),
    pay("Q8c", "C2", "2025-05-02", 100, "A8", currency="EUR"),
    pay("Q9", "C1", "2024-07-01", 690, "A9"),
    pay("QB2", "C2", "2024-08-31", 600, "B2"),
    pay("QX", "C2", "2025-06-10", 50),  # cash on account: the ledger's last date
]
EDGE_FX = [
    {"currency": "EUR", "rate_date": "2024-01-01", "rate": 1.10},
    {"currency": "EUR", "rate_date": "2024-05-01", "rate": 1.20},
    {"currency": "GBP", "rate_date": "2024-03-01", "rate": 1.25},
    {"currency": "GBP", "rate_date": "2024-05-31", "rate": 1.30},
]


@pytest.fixture(scope="module")
def risk_ledger(tmp_path_factory):
    engine = load(tmp_path_factory.mktemp("outcomes"), customers=CUSTOMERS, invoices=INVOICES,
                  payments=PAYMENTS)  # fmt: skip
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def edge_ledger(tmp_path_factory):
    engine = load(tmp_path_factory.mktemp("edges"), customers=EDGE_CUSTOMERS,
                  invoices=EDGE_INVOICES, payments=EDGE_PAYMENTS, fx_rates=EDGE_FX)  # fmt: skip
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    engine = generated(tmp_path_factory.mktemp("sample"), invoices=3_000, seed=5)
    yield engine
    engine.close()


def table(engine) -> pd.DataFrame:
    return engine.con.execute("select * from month_end_outcomes order by all").df()


def rows_at(engine, month_end: date) -> list[tuple]:
    frame = table(engine)
    frame = frame[frame["month_end"] == pd.Timestamp(month_end)]
    return [tuple(r) for r in frame[["entity", "days_past_due", "is_open_next", *SUMS]].to_numpy()]


def test_the_book_at_a_month_end_is_worked_by_hand(risk_ledger):
    assert rows_at(risk_ledger, date(2024, 3, 31)) == [
        ("default", 0, True, 400.0, 0.0, 400.0, 0.0, 1),  # I5
        ("default", 29, True, 500.0, 300.0, 200.0, 300.0, 1),  # I2: 300 written off by 04-30
        ("default", 46, True, 600.0, 450.0, 600.0, 0.0, 1),  # I1
    ]


def test_the_month_ends_run_to_that_of_the_ledgers_last_date(risk_ledger):
    frame = table(risk_ledger)
    assert frame["month_end"].min() == pd.Timestamp("2024-01-31")
    assert frame["month_end"].max() == pd.Timestamp("2025-03-31")
    assert rows_at(risk_ledger, date(2025, 3, 31)) == [
        ("EU01", -14, True, 1000.0, 1000.0, 1000.0, 0.0, 1),  # I6, never paid
        ("default", 411, True, 450.0, 450.0, 450.0, 0.0, 1),  # I1 after its last payment
    ]
    coverage = facts.month_end_outcomes_coverage(risk_ledger)
    assert coverage == {"is_built": True, "last_month_end": date(2025, 3, 31)}


def test_the_table_is_built_at_the_calibrations_default_horizon(risk_ledger):
    assert set(table(risk_ledger)["horizon_days"]) == {LOADED_HORIZON_DAYS} == {HORIZON_DAYS}


def both_routes(engine, as_of: date, edges: tuple[int, ...]) -> tuple[pd.DataFrame, ...]:
    first = facts.first_document_date(engine)["first_date"]
    ends = list(calibration_month_ends(as_of, first))
    fast = facts.risk_calibration_outcomes(
        engine, days=ends, edges=sql_edges(edges), horizon_days=HORIZON_DAYS
    )
    full = facts.risk_calibration_outcomes_full(
        engine, edges=sql_edges(edges), horizon_days=HORIZON_DAYS, month_ends=ends
    )
    return fast, full


def assert_same_rows(fast: pd.DataFrame, full: pd.DataFrame) -> None:
    """Same rows in the same order, every amount to 1e-9 (relative, or absolute near 0)."""
    assert list(fast.columns) == list(full.columns)
    assert len(fast) == len(full) > 0
    for column in fast.columns:
        mine, theirs = fast[column].tolist(), full[column].tolist()
        if column == "month_end" or column.endswith("bucket"):
            assert [None if pd.isna(v) else v for v in mine] == [
                None if pd.isna(v) else v for v in theirs
            ], column
        else:
            assert mine == pytest.approx(theirs, rel=1e-9, abs=1e-9, nan_ok=True), column


@pytest.mark.parametrize("as_of", [date(2025, 1, 31), date(2025, 3, 31)])
@pytest.mark.parametrize("edges", [(30, 60), (15,), (30, 60, 90, 120)])
def test_the_risk_ledger_gives_the_as_of_routes_rows(risk_ledger, as_of, edges):
    assert_same_rows(*both_routes(risk_ledger, as_of, edges))


@pytest.mark.parametrize("as_of", [date(2025, 4, 30), date(2025, 6, 30)])
@pytest.mark.parametrize("entity", [None, "EU01", "default"])
def test_every_edge_case_gives_the_as_of_routes_rows(edge_ledger, as_of, entity):
    fast, full = both_routes(edge_ledger.scoped(entity), as_of, (30, 60, 90))
    assert_same_rows(fast, full)


def test_the_edge_ledger_has_its_written_off_amounts_and_month_end_rates(edge_ledger):
    fast, _ = both_routes(edge_ledger, date(2025, 6, 30), (30, 60, 90))
    # 61-90 dpd (bucket 3) at 05-31: B1 900 GBP never paid, 61 dpd, at that day's rate 1.30 =
    # 1,170; B2 1,000 (90 dpd); A9 800 − 120 written off = 680 (90 dpd): 2,850
    may = fast[(fast["month_end"] == pd.Timestamp("2024-05-31")) & (fast["bucket"] == 3)]
    assert may["open_amount"].sum() == pytest.approx(900 * 1.30 + 1000 + 680)
    # W9: 100 EUR at 1.20 = 120 USD off A9 on 05-10 (next month-end of 04-30); W3: 250 off B3
    assert fast["next_written_off_amount"].sum() == pytest.approx(120 + 250)


@pytest.mark.parametrize("as_of", [date(2025, 6, 30), date(2026, 10, 31)])
def test_a_generated_sample_gives_the_as_of_routes_rows_for_each_entity(sample, as_of):
    for entity in [None, *facts.entities(sample)["entity"]]:
        for edges in [(30, 60, 90), (15, 45)]:
            assert_same_rows(*both_routes(sample.scoped(entity), as_of, edges))


def test_a_write_off_note_counts_in_its_invoices_entity(tmp_path):
    # I1 of US01 1,000 due 2024-02-09, written off 400 on 2024-03-10 by a note booked in EU01:
    # the application is I1's (US01, docs/architecture.md), so is the loss. At 2024-01-31 (and
    # 02-29) I1 is open 1,000 and 400 of it is lost by the outcome date; scoped to US01 the
    # as-of route would see the note's reduction but not the write-off (lost 600, not 1,000:
    # it left the note out as another entity's document)
    engine = load(tmp_path, customers=[{"customer_id": "C1"}], invoices=[
        inv("I1", "C1", "2024-01-10", "2024-02-09", 1000, entity="US01"),
        inv("N1", "C1", "2024-03-10", "2024-03-10", -400, applies_to="I1", write_off="true",
            entity="EU01"),
    ])  # fmt: skip
    us = engine.scoped("US01")
    fast = facts.risk_calibration_outcomes(
        us, days=[date(2024, 1, 31)], edges=[0, 30], horizon_days=HORIZON_DAYS
    )
    assert fast[["open_amount", "lost_amount"]].values.tolist() == [[1000.0, 1000.0]]
    assert facts.risk_calibration_outcomes(
        engine.scoped("EU01"), days=[date(2024, 1, 31)], edges=[0, 30], horizon_days=365
    ).empty


def test_an_empty_book_builds_an_empty_table(tmp_path):
    engine = load(tmp_path, customers=[{"customer_id": "C1"}], invoices=[
        inv("I1", "C1", "2024-01-10", "2024-02-09", 100, disputed="true"),
    ])  # fmt: skip
    assert table(engine).empty
    assert facts.month_end_outcomes_coverage(engine)["last_month_end"] == date(2024, 1, 31)


def old_ledger(engine, tmp_path):
    """A copy of ``engine``'s file as a load before month_end_outcomes left it."""
    path = tmp_path / "old.duckdb"
    shutil.copy(engine.path, path)
    with duckdb.connect(str(path)) as con:
        con.execute("drop table month_end_outcomes")
        con.execute("update ledger_settings set value = '2' where key = 'schema_version'")
    return connect(path)


def test_a_ledger_loaded_before_the_table_says_it_is_not_built_even_scoped(risk_ledger, tmp_path):
    old = old_ledger(risk_ledger, tmp_path)
    assert facts.month_end_outcomes_coverage(old)["is_built"] is False
    assert facts.month_end_outcomes_coverage(old.scoped("EU01"))["is_built"] is False
