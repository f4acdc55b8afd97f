"""The Spark engine's set-up and input checks, without a JVM: a missing PySpark or Java is one
message naming what to install (and DuckDB keeps working); a canonical Parquet table with a
missing or wrongly typed column is refused like the loader refuses a file, column by column."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from engines.spark import session
from engines.spark.sql import to_spark
from engines.spark.tables import schema_issues
from tests.ledger_factory import inv, write_ledger


def test_without_pyspark_the_message_names_what_to_install(monkeypatch):
    monkeypatch.setattr(session.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(session.SparkUnavailable, match="pip install -r requirements-spark.txt"):
        session.check_installed()


def test_without_java_the_message_names_the_debian_package(monkeypatch):
    monkeypatch.setattr(session.importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(session.shutil, "which", lambda name: None)
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(session.SparkUnavailable, match="openjdk-17-jre-headless"):
        session.check_installed()
    session.check_installed(remote="sc://host:15002")  # Spark Connect needs no local JVM


def test_the_command_line_says_it_in_one_line_and_duckdb_still_answers(
    monkeypatch, capsys, tmp_path
):
    invoices = [inv("I1", "C1", "2024-01-10", "2024-02-09", 100)]
    ledger = write_ledger(tmp_path / "l", invoices=invoices)
    monkeypatch.setattr(session.importlib.util, "find_spec", lambda name: None)
    assert main(["metrics", "--ledger", str(ledger), "--engine", "spark"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "PySpark is not installed" in err[0]
    assert main(["metrics", "--ledger", str(ledger), "--as-of", "2024-03-01"]) == 0
    assert json.loads(capsys.readouterr().out)["ar"]["total"] == 100.0


def test_a_wrong_column_type_and_a_missing_column_are_named_with_their_file():
    found = {"invoice_key": "int", "invoice_id": "string", "customer_key": "bigint"}
    messages = [str(i) for i in schema_issues("invoices", found)]
    assert "invoices.parquet, column customer_key: expected int, found bigint" in messages
    assert "invoices.parquet, column due_date: required column is missing" in messages
    assert not any("invoice_id" in m for m in messages)


def test_the_fact_sql_prints_as_spark_sql():
    assert to_spark("select x from t where d <= $as_of") == "SELECT x FROM t WHERE d <= :as_of"


def test_a_missing_column_reads_as_the_duckdb_loader_says_it(tmp_path):
    """The loader's message for invoices.csv without due_date, and Spark's for invoices.parquet
    without it, differ only in the file's extension."""
    from core.errors import LedgerError
    from engines.duckdb import open_ledger
    from engines.spark.tables import CANONICAL

    ledger = write_ledger(tmp_path / "l", invoices=[inv("I1", "C1", "2024-01-10", "2024-02-09", 1)])
    csv = (ledger / "invoices.csv").read_text().splitlines()
    column = csv[0].split(",").index("due_date")
    lines = [",".join(c for i, c in enumerate(line.split(",")) if i != column) for line in csv]
    (ledger / "invoices.csv").write_text("\n".join(lines) + "\n")
    with pytest.raises(LedgerError) as loader:
        open_ledger(ledger)
    found = {c: t for c, t in CANONICAL["invoices"].items() if c != "due_date"}
    (spark,) = [str(i) for i in schema_issues("invoices", found)]
    assert spark.replace(".parquet", ".csv") in str(loader.value)
