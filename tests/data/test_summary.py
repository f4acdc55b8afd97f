"""A ledger in a few facts for the audit trail: none without a file, only its name when the
file is not a ledger, else where it came from, when, in what currency and how many rows."""

from data.loader import load_ledger
from data.summary import ledger_summary, load_summary
from tests.analytics.portfolio.test_report import base_tables
from tests.ledger_factory import write_ledger


def test_a_loaded_ledger_in_a_few_facts(tmp_path):
    folder = write_ledger(tmp_path / "ledger", **base_tables())
    db = tmp_path / "l.duckdb"
    report = load_ledger(folder, db)
    state = ledger_summary(db)
    assert set(state) == {"file", "source", "loaded_at", "reporting_currency", "schema_version",
                          "rows"}  # fmt: skip
    assert (state["file"], state["source"], state["reporting_currency"]) == (
        "l.duckdb", str(folder.resolve()), "USD")  # fmt: skip
    assert state["rows"] == report.counts
    after = load_summary(db, report)
    assert after == {**state, "warnings": len(report.warnings), "seconds": round(report.seconds, 1)}


def test_no_file_is_none_and_a_file_that_is_not_a_ledger_only_its_name(tmp_path):
    assert ledger_summary(tmp_path / "none.duckdb") is None
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database")
    assert ledger_summary(bad) == {"file": "bad.duckdb", "readable": False}
