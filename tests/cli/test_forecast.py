"""`python -m analytics forecast`: the projection as JSON or tables, funding and backtest."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main
from tests.analytics.cashflow.test_model import punctual  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(punctual, tmp_path) -> str:  # noqa: F811
    """The punctual ledger of test_cashflow: 250 due 1 Jul, 1,000 due 10 Jul, 500 due 20 Jul."""
    return str(tmp_path / "ledger.duckdb")


def forecast(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["forecast", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_holds_the_weekly_and_monthly_projection(db, capsys):
    code, out, _ = forecast(capsys, "--ledger", db, "--as-of", "2024-06-30", "--no-sales", "--json")
    assert code == 0
    data = json.loads(out)  # stdout is one JSON object
    assert data["as_of"] == "2024-06-30" and data["currency"] == "USD"
    weekly = [w["mean_amount"] for w in data["weekly"]]
    assert weekly[:4] == pytest.approx([250.0, 1000.0, 500.0, 0.0]) and len(weekly) == 13
    assert data["weekly"][0]["start_date"] == "2024-07-01"
    assert data["monthly"][0]["p90_amount"] == pytest.approx(1750.0)
    assert data["open_ar"]["collectible"] == pytest.approx(1750.0)
    assert data["open_ar"]["credits"] == pytest.approx(-80.0)
    assert data["sales_forecast"] is None


def test_funding_gap_from_the_command_line(db, capsys):
    # opening 100, 400 out a week, buffer 0: cash 100 + 250 − 400 = −50 (short by 50),
    # then −50 + 1,000 − 400 = 550, 550 + 500 − 400 = 650, 250, −150, …
    args = ["--ledger", db, "--as-of", "2024-06-30", "--no-sales", "--json", "--weeks", "5"]
    _, out, _ = forecast(capsys, *args, "--opening-cash", "100", "--weekly-outflow", "400")
    funding = json.loads(out)["funding"]
    assert [w["cash_p50_amount"] for w in funding] == pytest.approx([-50, 550, 650, 250, -150])
    assert [w["status"] for w in funding] == ["short", "ok", "ok", "ok", "short"]
    assert funding[0]["shortfall_p90_amount"] == pytest.approx(50.0)


def test_outflows_from_a_csv_file(db, capsys, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("date,amount\n2024-07-02,1000\n2024-07-09,100\n")
    args = ["--ledger", db, "--as-of", "2024-06-30", "--no-sales", "--json", "--weeks", "2"]
    _, out, _ = forecast(capsys, *args, "--opening-cash", "0", "--outflows", str(plan))
    funding = json.loads(out)["funding"]
    assert [w["outflow_amount"] for w in funding] == [1000.0, 100.0]
    assert [w["cash_p50_amount"] for w in funding] == pytest.approx([-750.0, 150.0])


def test_text_report_and_backtest_progress(db, capsys):
    code, out, err = forecast(capsys, "--ledger", db, "--as-of", "2024-06-30", "--backtest")
    assert code == 0
    assert out.startswith("Receipts projected as of 2024-06-30 (USD)")
    assert "Weekly" in out and "Monthly" in out
    assert "Backtest: no month-end with 12 months" in out  # the tiny ledger is too short
    assert "backtest done" in err


def test_bad_input_exits_non_zero_with_one_message(db, tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("date,amount\nsoon,10\n")
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "forecast", "--ledger", db, "--outflows", str(plan)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    # rows as a spreadsheet counts them: the header is row 1
    assert "plan.csv, row 2, column date: expected a date as YYYY-MM-DD" in result.stderr
    assert result.stdout == ""
