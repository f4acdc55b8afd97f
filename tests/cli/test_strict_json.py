"""The commands print strict JSON (issue 9, defect 12): an undefined or overflowing number is
null, never NaN or Infinity, which JSON does not have and strict parsers refuse."""

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from cli.main import main
from tests.analytics.cashflow.test_model import punctual  # noqa: F401  (the fixture)
from tests.analytics.portfolio.test_report import base_tables
from tests.ledger_factory import write_ledger

ROOT = Path(__file__).resolve().parents[2]
NOT_FINITE = {"nan": math.nan, "inf": math.inf, "minus_inf": -math.inf}


def strict(text: str):
    """`text` parsed as JSON, refusing NaN, Infinity and -Infinity."""

    def refuse(name: str):
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="module")
def ledger_folder(tmp_path_factory) -> Path:
    return write_ledger(tmp_path_factory.mktemp("strict") / "ledger", **base_tables())


def run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_metrics_print_null_for_a_number_that_is_not_finite(ledger_folder, capsys, monkeypatch):
    import analytics.portfolio.report as report

    def with_holes(*args, **kwargs) -> dict:
        return {**NOT_FINITE, "ar": {"total": math.inf, "current": 1.5}, "aging": [math.nan, 2]}

    monkeypatch.setattr(report, "metrics_json", with_holes)
    out = run(capsys, "metrics", "--ledger", str(ledger_folder), "--as-of", "2024-02-20")
    assert strict(out) == {
        "nan": None,
        "inf": None,
        "minus_inf": None,
        "ar": {"total": None, "current": 1.5},
        "aging": [None, 2],
    }


@pytest.mark.parametrize(
    ("command", "target"),
    [
        ("trend", "analytics.portfolio.trend.monthly_trend"),
        ("breakdown", "analytics.portfolio.breakdown.breakdown"),
    ],
)
def test_trend_and_breakdown_print_null_for_a_number_that_is_not_finite(
    ledger_folder, capsys, monkeypatch, command: str, target: str
) -> None:
    from datetime import date

    frame = pd.DataFrame({"month_end": [date(2024, 1, 31)] * 3, "dso": [math.nan, math.inf, 45.0]})
    monkeypatch.setattr(target, lambda *args, **kwargs: frame.copy())
    args = ["--by", "segment"] if command == "breakdown" else []
    out = run(capsys, command, "--ledger", str(ledger_folder), "--as-of", "2024-02-20", *args)
    assert [row["dso"] for row in strict(out)] == [None, None, 45.0]


def test_forecast_json_prints_null_for_a_number_that_is_not_finite(
    punctual,  # noqa: F811
    tmp_path,
    capsys,
    monkeypatch,
) -> None:
    import cli.forecast

    monkeypatch.setattr(cli.forecast, "projection_json", lambda p, currency: dict(NOT_FINITE))
    db = str(tmp_path / "ledger.duckdb")
    out = run(capsys, "forecast", "--ledger", db, "--as-of", "2024-06-30", "--no-sales", "--json")
    assert strict(out) == {"nan": None, "inf": None, "minus_inf": None}


def test_the_real_outputs_parse_strictly(ledger_folder, capsys) -> None:
    for args in (
        ["metrics"],
        ["trend", "--months", "3"],
        ["breakdown", "--by", "customer"],
    ):
        out = run(capsys, *args, "--ledger", str(ledger_folder), "--as-of", "2024-02-20")
        assert strict(out)


def test_amounts_that_overflow_are_refused_not_printed_as_infinity(tmp_path: Path) -> None:
    # two invoices of 1e308 add up past the largest double: the total was Infinity
    folder = tmp_path / "huge"
    folder.mkdir()
    (folder / "invoices.csv").write_text(
        "invoice_id,customer_id,invoice_date,due_date,amount\n"
        "I1,C1,2024-01-05,2024-02-04,1e308\n"
        "I2,C2,2024-01-05,2024-02-04,1e308\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "metrics", "--ledger", str(folder),
         "--as-of", "2024-03-01"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == ""
    assert "invoices.csv, row 2, column amount: '1e308' is too large" in result.stderr
