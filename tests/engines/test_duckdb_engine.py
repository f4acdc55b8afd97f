"""The DuckDB engine reads a ledger file as it is now, even after a load replaced it."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import LedgerError
from data.loader import load_ledger
from engines import facts
from engines.duckdb import connect
from tests.ledger_factory import inv, write_ledger


def ledger(tmp_path, name: str, amount: float):
    return write_ledger(
        tmp_path / name, invoices=[inv("I1", "C1", "2024-01-10", "2024-02-09", amount)]
    )


def documents(engine) -> int:
    return facts.ledger_info(engine)["n_documents"]


def test_a_replaced_file_is_read_anew_while_an_open_engine_keeps_the_old_one(tmp_path):
    db = tmp_path / "ledger.duckdb"
    load_ledger(ledger(tmp_path, "one", 100.0), db)
    old = connect(db)
    first = facts.open_totals(old, as_of=date(2024, 3, 1), customer_keys=None)
    assert first["overdue_amount"] == pytest.approx(100.0)  # due 9 Feb, unpaid on 1 Mar

    two = write_ledger(tmp_path / "two", invoices=[
        inv("I1", "C1", "2024-01-10", "2024-02-09", 100.0),
        inv("I2", "C1", "2024-01-11", "2024-02-10", 50.0),
    ])  # fmt: skip
    load_ledger(two, db)  # a new file renamed over the old one, as the CLI does
    new = connect(db)
    assert documents(new) == 2  # duckdb.connect(path) would have handed back the old file
    assert documents(old) == 1  # still consistent: the old file, whole
    old.close()
    new.close()


def test_every_cursor_reads_the_ledger_tables(tmp_path):
    db = tmp_path / "ledger.duckdb"
    load_ledger(ledger(tmp_path, "one", 100.0), db)
    engine = connect(db)
    cursors = [engine.cursor(), engine.cursor()]
    assert [c.table("invoices").count("*").fetchall() for c in cursors] == [[(1,)], [(1,)]]
    engine.close()


def test_a_file_that_is_not_a_ledger_is_refused_naming_it(tmp_path):
    bad = tmp_path / "notes.duckdb"
    bad.write_bytes(b"not a database")
    with pytest.raises(LedgerError, match="notes.duckdb: not a DuckDB ledger database"):
        connect(bad)
    with pytest.raises(LedgerError, match="missing.duckdb: no such ledger database"):
        connect(tmp_path / "missing.duckdb")


def test_threads_sharing_an_engine_each_get_their_own_cursor(tmp_path):
    """Streamlit sessions run in threads and share the cached engine: queries from several
    threads at once must neither fail nor mix their results."""
    from concurrent.futures import ThreadPoolExecutor

    db = tmp_path / "ledger.duckdb"
    load_ledger(ledger(tmp_path, "one", 100.0), db)
    engine = connect(db)

    def work(i: int) -> list:
        return [
            (facts.ledger_info(engine)["n_documents"],
             float(facts.sales_by_customer(engine, start=date(2024, 1, 1),
                                           as_of=date(2024, 1, 31))["sales_amount"].sum()))
            for _ in range(20)
        ]  # fmt: skip

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(work, range(8)))
    assert all(r == [(1, 100.0)] * 20 for r in results)
    engine.close()
