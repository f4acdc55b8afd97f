"""The loaded database: the contract of docs/architecture.md, atomic replace, idempotency."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from core.errors import LedgerError
from data.loader import load_ledger, read_to_connection, validate_ledger
from tests.data.conftest import GOOD

LEDGER_TABLES = ("customers", "invoices", "payments", "fx_rates", "orders")
CONTRACT = {
    "ledger_settings": [("key", "VARCHAR"), ("value", "VARCHAR")],
    "customers": [
        ("customer_key", "INTEGER"),
        ("customer_id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("segment", "VARCHAR"),
        ("region", "VARCHAR"),
        ("country", "VARCHAR"),
        ("industry", "VARCHAR"),
        ("group_id", "VARCHAR"),
        ("risk_rating", "VARCHAR"),
        ("credit_limit", "DOUBLE"),
        ("payment_terms_days", "INTEGER"),
        ("insured_limit", "DOUBLE"),
        ("credit_limit_date", "DATE"),
    ],
    "invoices": [
        ("invoice_key", "INTEGER"),
        ("invoice_id", "VARCHAR"),
        ("customer_key", "INTEGER"),
        ("customer_id", "VARCHAR"),
        ("invoice_date", "DATE"),
        ("due_date", "DATE"),
        ("amount", "DOUBLE"),
        ("currency", "VARCHAR"),
        ("disputed", "BOOLEAN"),
        ("applies_to", "VARCHAR"),
        ("applies_to_key", "INTEGER"),
        ("write_off", "BOOLEAN"),
        ("entity", "VARCHAR"),
    ],
    "payments": [
        ("payment_key", "INTEGER"),
        ("payment_id", "VARCHAR"),
        ("customer_key", "INTEGER"),
        ("customer_id", "VARCHAR"),
        ("payment_date", "DATE"),
        ("amount", "DOUBLE"),
        ("currency", "VARCHAR"),
        ("invoice_id", "VARCHAR"),
        ("invoice_key", "INTEGER"),
        ("entity", "VARCHAR"),
    ],
    "fx_rates": [("currency", "VARCHAR"), ("rate_date", "DATE"), ("rate", "DOUBLE")],
    "orders": [
        ("order_id", "VARCHAR"),
        ("customer_key", "INTEGER"),
        ("customer_id", "VARCHAR"),
        ("order_date", "DATE"),
        ("amount", "DOUBLE"),
        ("currency", "VARCHAR"),
        ("status", "VARCHAR"),
    ],
}


@pytest.fixture
def loaded(ledger, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """The GOOD ledger loaded into a database file, opened read-only."""
    report = load_ledger(ledger(), tmp_path / "ledger.duckdb")
    con = duckdb.connect(str(report.db_path), read_only=True)
    yield con
    con.close()


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def dump(db_path: Path) -> dict[str, list[tuple]]:
    """Every contract table's rows in key order; ledger_settings without loaded_at."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = {t: fetch(con, f"select * from {t} order by all") for t in LEDGER_TABLES}
        tables["ledger_settings"] = fetch(
            con, "select * from ledger_settings where key <> 'loaded_at' order by key"
        )
    return tables


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_tables_and_columns_are_the_contract(loaded) -> None:
    for table, columns in CONTRACT.items():
        assert [(c[0], c[1]) for c in fetch(loaded, f"describe {table}")] == columns, table


def test_customer_keys_follow_customer_id_and_defaults_are_filled(loaded) -> None:
    # C2 has no group_id: it defaults to its customer_id
    assert fetch(
        loaded, "select customer_key, customer_id, name, group_id from customers order by 1"
    ) == [
        (0, "C1", "Acme", "G1"),
        (1, "C2", "Beta", "C2"),
    ]


def test_invoice_keys_follow_invoice_date_then_id(loaded) -> None:
    # I2 (3 Jan) < I1 (5 Jan) < CN1 (10 Jan); CN1 applies to I1 = key 1
    rows = fetch(
        loaded,
        "select invoice_key, invoice_id, customer_key, currency, disputed, applies_to, applies_to_key"
        " from invoices order by invoice_key",
    )
    assert rows == [
        (0, "I2", 1, "EUR", True, None, None),
        (1, "I1", 0, "USD", False, None, None),
        (2, "CN1", 0, "USD", False, "I1", 1),
    ]


def test_payments_carry_their_invoice_and_customer_keys(loaded) -> None:
    rows = fetch(
        loaded,
        "select payment_key, payment_id, customer_key, payment_date, amount, currency, invoice_id, invoice_key"
        " from payments order by payment_key",
    )
    assert rows == [
        (0, "P1", 0, date(2024, 1, 20), 80.0, "USD", "I1", 1),
        (1, "P2", 1, date(2024, 1, 21), 10.0, "EUR", None, None),
    ]


def test_orders_have_a_filled_currency_and_a_lower_case_status(loaded) -> None:
    assert fetch(loaded, "select order_id, customer_key, currency, status from orders") == [
        ("O1", 0, "USD", "open")
    ]


def test_fx_rates_are_loaded_as_given(loaded) -> None:
    assert fetch(loaded, "select * from fx_rates order by rate_date") == [
        ("EUR", date(2024, 1, 1), 1.10),
        ("EUR", date(2024, 2, 1), 1.20),
    ]


def test_ledger_settings_name_the_currency_source_and_version(ledger, loaded) -> None:
    settings = dict(fetch(loaded, "select key, value from ledger_settings"))
    assert settings.keys() == {"reporting_currency", "source", "loaded_at", "schema_version"}
    assert settings["reporting_currency"] == "USD"
    assert settings["source"] == str(ledger().resolve())
    assert settings["schema_version"] == "3"


def test_no_staging_objects_are_left_in_the_database(loaded) -> None:
    names = [r[0] for r in fetch(loaded, "select table_name from duckdb_tables()")]
    views = fetch(loaded, "select view_name from duckdb_views() where not internal")
    assert not [n for n in names if n.startswith(("typed_", "src_", "payment_checks"))]
    assert views == []


def test_the_report_counts_rows_per_table(ledger, tmp_path: Path) -> None:
    report = load_ledger(ledger(), tmp_path / "ledger.duckdb")
    assert report.db_path == tmp_path / "ledger.duckdb"
    assert report.counts == {
        "customers": 2,
        "invoices": 3,
        "payments": 2,
        "fx_rates": 2,
        "orders": 1,
    }
    assert report.warnings == []
    assert report.seconds > 0


def test_facts_are_built_after_the_tables(ledger, tmp_path: Path, monkeypatch) -> None:
    seen = []
    monkeypatch.setattr(
        "data.facts.build_facts",
        lambda con: seen.append(fetch(con, "select count(*) from invoices")),
    )
    load_ledger(ledger(), tmp_path / "ledger.duckdb")
    assert seen == [[(3,)]]


def test_progress_is_reported_at_each_stage(ledger, tmp_path: Path) -> None:
    calls = []
    load_ledger(ledger(), tmp_path / "ledger.duckdb", progress=lambda f, m: calls.append((f, m)))
    fractions = [f for f, _ in calls]
    assert fractions == sorted(fractions)
    assert calls[-1] == (1.0, "done")
    messages = " / ".join(m for _, m in calls)
    for stage in ("reading invoices.csv", "validating", "writing keys", "building facts"):
        assert stage in messages


def test_a_failed_load_leaves_the_previous_database_untouched(ledger, tmp_path: Path) -> None:
    db = tmp_path / "db" / "ledger.duckdb"
    load_ledger(ledger(), db)
    before = db.read_bytes()
    bad = GOOD["invoices"].replace("I1,C1,2024-01-05", "I1,C1,not a date")
    with pytest.raises(LedgerError):
        load_ledger(ledger(invoices=bad), db)
    assert db.read_bytes() == before
    assert files_in(db.parent) == ["ledger.duckdb"]


def test_a_failure_after_validation_leaves_the_previous_database_untouched(
    ledger, tmp_path: Path, monkeypatch
) -> None:
    db = tmp_path / "db" / "ledger.duckdb"
    load_ledger(ledger(), db)
    before = db.read_bytes()

    def broken(con: duckdb.DuckDBPyConnection) -> None:
        raise RuntimeError("facts failed")

    monkeypatch.setattr("data.facts.build_facts", broken)
    with pytest.raises(RuntimeError, match="facts failed"):
        load_ledger(ledger(orders=None), db)
    assert db.read_bytes() == before
    assert files_in(db.parent) == ["ledger.duckdb"]


def test_a_failed_first_load_creates_no_database(ledger, tmp_path: Path) -> None:
    with pytest.raises(LedgerError):
        load_ledger(ledger(invoices=None), tmp_path / "ledger.duckdb")
    assert files_in(tmp_path) == ["ledger"]


def test_loading_the_same_source_twice_gives_identical_tables(ledger, tmp_path: Path) -> None:
    first = load_ledger(ledger(), tmp_path / "one.duckdb").db_path
    second = load_ledger(ledger(), tmp_path / "two.duckdb").db_path
    again = load_ledger(ledger(), first).db_path
    assert dump(first) == dump(second)
    assert dump(again) == dump(second)


def test_a_parquet_ledger_loads_the_same_tables_as_csv(ledger, tmp_path: Path) -> None:
    folder = ledger()
    parquet = tmp_path / "parquet"
    parquet.mkdir()
    for table in LEDGER_TABLES:
        source, target = str(folder / f"{table}.csv"), str(parquet / f"{table}.parquet")
        duckdb.execute(
            "copy (select * from read_csv($source, all_varchar = true)) to $target",
            {"source": source, "target": target},
        )
    from_csv = dump(load_ledger(folder, tmp_path / "csv.duckdb").db_path)
    from_parquet = dump(load_ledger(parquet, tmp_path / "parquet.duckdb").db_path)
    from_parquet["ledger_settings"] = from_csv["ledger_settings"]  # the source path differs
    assert from_parquet == from_csv


def test_validate_ledger_loads_nothing(ledger) -> None:
    folder = ledger()
    before = files_in(folder)
    assert validate_ledger(folder) == []
    assert files_in(folder) == before


def test_read_to_connection_builds_the_tables_in_memory(ledger) -> None:
    con, warnings = read_to_connection(ledger())
    assert warnings == []
    assert fetch(con, "select current_database()") == [("memory",)]
    assert fetch(con, "select count(*) from invoices") == [(3,)]
    temporary = fetch(con, "select table_name from duckdb_tables() where temporary")
    assert temporary == []


def test_read_to_connection_raises_on_errors(ledger) -> None:
    bad = GOOD["payments"].replace(",,I1", ",,I9")
    with pytest.raises(LedgerError, match="payments.csv, row 2, column invoice_id"):
        read_to_connection(ledger(payments=bad))


def test_an_empty_reporting_currency_is_an_error(ledger) -> None:
    with pytest.raises(LedgerError, match="reporting currency is empty"):
        read_to_connection(ledger(), currency=" ")
