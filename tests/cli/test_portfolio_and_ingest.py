"""`python -m analytics` as a user runs it: exact JSON on stdout, one clear error otherwise."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.analytics.portfolio.test_report import base_tables
from tests.ledger_factory import write_ledger

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "analytics", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def ledger_folder(tmp_path_factory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("cli") / "ledger", **base_tables())


def test_metrics_on_a_folder_prints_exactly_the_spec_json(ledger_folder):
    result = run("metrics", "--ledger", str(ledger_folder), "--as-of", "2024-02-20")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)  # stdout is one JSON object and nothing else
    assert list(out) == [
        "as_of",
        "currency",
        "ar",
        "aging",
        "dso",
        "cei",
        "concentration",
        "limits",
    ]
    assert out["as_of"] == "2024-02-20" and out["currency"] == "USD"
    assert out["ar"] == {"total": 1250.0, "current": 300.0, "overdue": 1000.0, "unapplied": 50.0}
    assert list(out["dso"]) == [
        "standard",
        "countback",
        "best_possible",
        "average_days_delinquent",
        "window_days",
    ]
    assert list(out["concentration"]) == ["top_n", "top_n_share", "hhi", "customers_with_balance"]
    assert list(out["limits"]) == ["customers_over_limit", "utilisation", "exposure", "limit"]


def test_options_change_buckets_window_and_top_n(ledger_folder):
    result = run(
        "metrics", "--ledger", str(ledger_folder), "--as-of", "2024-02-20",
        "--buckets", "15,45", "--window-days", "30", "--top-n", "1",
    )  # fmt: skip
    out = json.loads(result.stdout)
    assert list(out["aging"]) == ["current", "1-15", "16-45", "45+"]
    # 30-day window (Jan 21, Feb 20]: C1 -100 + I3 300 = 200 -> 1,250 / 200 × 30
    assert out["dso"]["window_days"] == 30
    assert out["dso"]["standard"] == pytest.approx(1250 / 200 * 30)
    assert out["concentration"]["top_n_share"] == pytest.approx(0.8)


def test_load_then_metrics_on_the_database_file_gives_the_same_json(ledger_folder, tmp_path):
    db = tmp_path / "l.duckdb"
    loaded = run("load", "--ledger", str(ledger_folder), "--db", str(db))
    assert loaded.returncode == 0, loaded.stderr
    from_db = run("metrics", "--ledger", str(db), "--as-of", "2024-02-20")
    from_folder = run("metrics", "--ledger", str(ledger_folder), "--as-of", "2024-02-20")
    assert json.loads(from_db.stdout) == json.loads(from_folder.stdout)


def test_a_currency_without_rates_is_refused_for_a_loaded_database(ledger_folder, tmp_path):
    # the database reports in USD; GBP has no rate to translate into
    db = tmp_path / "l.duckdb"
    assert run("load", "--ledger", str(ledger_folder), "--db", str(db)).returncode == 0
    result = run("metrics", "--ledger", str(db), "--as-of", "2024-02-20", "--currency", "GBP")
    assert result.returncode != 0 and result.stdout == ""
    assert "no fx rate for GBP on or before 2024-02-20" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2024-13-01"], "--as-of: expected a date as YYYY-MM-DD"),
        (["--as-of", "2024-02-20", "--buckets", "60,30"], "strictly increasing"),
        (["--as-of", "2024-02-20", "--window-days", "0"], "at least 1"),
        (["--as-of", "2024-02-20", "--currency", "EURO"], "3-letter ISO currency"),
    ],
)
def test_bad_flags_exit_non_zero_with_one_clear_message(ledger_folder, args, message):
    result = run("metrics", "--ledger", str(ledger_folder), *args)
    assert result.returncode != 0
    assert result.stdout == ""
    assert message in result.stderr


def test_missing_ledger_and_bad_file_name_the_file_row_and_column(tmp_path):
    result = run("metrics", "--ledger", str(tmp_path / "nope"), "--as-of", "2024-01-01")
    assert result.returncode != 0 and "nope" in result.stderr and result.stdout == ""
    bad = write_ledger(
        tmp_path / "bad", invoices=[{**base_tables()["invoices"][0], "due_date": "soon"}]
    )
    result = run("metrics", "--ledger", str(bad), "--as-of", "2024-01-01")
    assert result.returncode != 0 and result.stdout == ""
    assert (
        "invoices.csv" in result.stderr and "row 2" in result.stderr and "due_date" in result.stderr
    )


@pytest.mark.parametrize("command", ["metrics", "trend", "breakdown", "load", "validate", "sample"])
def test_every_subcommand_has_help(command):
    result = run(command, "--help")
    assert result.returncode == 0 and "usage:" in result.stdout
