"""Hostile files on the other input paths: an export read through a mapping, the mapping
itself, scenario JSON, the planned-outflows CSV and the scorecard file. Each is one
`LedgerError` (ScenarioError is one) naming the file and the row and column, or the key."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pytest

from analytics.cashflow.funding import outflows_from_csv
from analytics.policy.scenario import Scenario
from analytics.risk.scorecard_card import load_scorecard
from core.errors import LedgerError
from data.loader import validate_ledger
from tests.hostile.corpus import BIG_TEXT, CONTROL, PNG, ZIP, latin1, utf16

MAPPING = {"invoices": {"invoice_id": "Doc", "customer_id": "Client", "invoice_date": "Date",
                        "due_date": "Due", "amount": "Value"}}  # fmt: skip
EXPORT_HEADER = "Doc,Client,Date,Due,Value\n"
EXPORTS = {
    "UTF-16": (utf16(EXPORT_HEADER + "D1,K1,2024-01-05,2024-02-04,10\n"), 1, None, "UTF-16"),
    "PNG": (PNG, 1, None, "a PNG image"),
    "semicolons": (EXPORT_HEADER.replace(",", ";").encode(), 1, None, "';'"),
    "impossible date": ((EXPORT_HEADER + "D1,K1,2026-02-30,2026-03-30,10\n").encode(), 2, "Date",
                        "not a date"),
    "1 MB id": ((EXPORT_HEADER + f"D1,{BIG_TEXT},2024-01-05,2024-02-04,10\n").encode(), 2,
                "Client", "characters long"),
}  # fmt: skip


@pytest.mark.parametrize("case", EXPORTS)
def test_a_hostile_export_names_its_row_and_column(case, tmp_path: Path) -> None:
    content, row, column, words = EXPORTS[case]
    export = tmp_path / "export.csv"
    export.write_bytes(content)
    issues = validate_ledger(export, mapping=MAPPING)
    first = next(i for i in issues if i.severity == "error")
    assert (first.file, first.row, first.column) == ("export.csv", row, column), first
    assert words in str(first)


MAPPINGS = {
    "not TOML": (PNG, "not UTF-8 text"),
    "UTF-16": (utf16('[invoices]\ninvoice_id = "Doc"\n'), "not UTF-8 text"),
    "duplicate key": (b'[invoices]\ninvoice_id = "Doc"\ninvoice_id = "Other"\n', "not valid TOML"),
    "unknown table": (b'[invoice]\ninvoice_id = "Doc"\n', "key invoice: not a ledger table"),
    "misspelt column": (b'[invoices]\ninvoce_id = "Doc"\n', "key invoices.invoce_id: not a column"),
    "wrong type": (b"[invoices]\ninvoice_id = 5\n", "key invoices.invoice_id: must be"),
    "bad date format": (b'[invoices]\ninvoice_date = { from = "D", format = "dd/mm" }\n',
                        "key invoices.invoice_date.format"),
    "1 MB value": (f'[invoices]\ninvoice_id = "{BIG_TEXT}"\n'.encode(), "key invoices.invoice_id"),
}  # fmt: skip


def test_a_mapped_column_the_export_lacks_names_the_key_and_the_columns(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_bytes(b"Doc,Client,Date,Due,Valeu\nD1,K1,2024-01-05,2024-02-04,10\n")
    with pytest.raises(LedgerError, match=r"key invoices.amount: column 'Value' is not in export"
                       r".csv \(columns: Doc, Client, Date, Due, Valeu\)"):  # fmt: skip
        validate_ledger(export, mapping=MAPPING)


@pytest.mark.parametrize("case", MAPPINGS)
def test_a_hostile_mapping_file_names_itself_and_the_key(case, tmp_path: Path) -> None:
    content, words = MAPPINGS[case]
    (tmp_path / "mapping.toml").write_bytes(content)
    export = tmp_path / "export.csv"
    export.write_text(EXPORT_HEADER + "D1,K1,2024-01-05,2024-02-04,10\n")
    with pytest.raises(LedgerError) as caught:
        validate_ledger(export, mapping=tmp_path / "mapping.toml")
    message = str(caught.value)
    assert message.startswith("mapping mapping.toml") and words in message
    assert BIG_TEXT not in message and len(message) < 2_000


SCENARIOS = {
    "not JSON": (PNG, "not UTF-8 text"),
    "broken JSON": (b'{"name": ', "not valid JSON"),
    "UTF-16": (utf16('{"schema": 1}'), "schema must be"),  # json reads UTF-16: checked on
    "Latin-1": (latin1('{"name": "Müller"}'), "not UTF-8 text"),
    "duplicate key": (b'{"name": "a", "name": "b"}', "key name is given twice"),
    "NaN": (b'{"sales": {"elasticity_pct_per_10_days": NaN}}', "elasticity_pct_per_10_days must"),
    "Infinity": (b'{"sales": {"elasticity_pct_per_10_days": Infinity}}', "must be between"),
    "1e300": (b'{"sales": {"elasticity_pct_per_10_days": 1e300}}', "must be between"),
    "unknown lever": (b'{"sales": {"growht_pct": 1}}', "growht_pct"),
    "wrong type": (b'{"sales": {"elasticity_pct_per_10_days": "ten"}}', "must be a number"),
    "1 MB name": (f'{{"name": "{BIG_TEXT}"}}'.encode(), "name"),
    "a list": (b"[1, 2]", "a JSON object"),
}  # fmt: skip


@pytest.mark.parametrize("case", SCENARIOS)
def test_a_hostile_scenario_file_names_itself_and_the_lever(case) -> None:
    content, words = SCENARIOS[case]
    with pytest.raises(LedgerError) as caught:
        Scenario.from_json(content, source="scenario.json")
    message = str(caught.value)
    assert message.startswith("scenario.json") and words in message, message
    assert BIG_TEXT not in message and len(message) < 2_000


OUTFLOWS_HEADER = "date,amount\n"
OUTFLOWS = {
    "UTF-16": (utf16(OUTFLOWS_HEADER + "2026-01-05,10\n"), "outflows.csv", "UTF-16"),
    "Latin-1": (latin1("date,amount,note\n2026-01-05,10,Müller\n"), "outflows.csv", "UTF-8"),
    "PNG": (PNG, "outflows.csv", "not a readable CSV"),
    "xlsx named .csv": (ZIP, "outflows.csv", "missing column"),
    "semicolons": (b"date;amount\n2026-01-05;10\n", "outflows.csv", "missing column"),
    "impossible date": ((OUTFLOWS_HEADER + "2026-02-30,10\n").encode(),
                        "outflows.csv, row 2, column date", "'2026-02-30'"),
    "decimal comma": ((OUTFLOWS_HEADER + '2026-01-05,"10,5"\n').encode(),
                      "outflows.csv, row 2, column amount", "a number"),
    "NaN": ((OUTFLOWS_HEADER + "2026-01-05,NaN\n").encode(), "outflows.csv, row 2, column amount",
            "'NaN'"),
    "inf": ((OUTFLOWS_HEADER + "2026-01-05,inf\n").encode(), "outflows.csv, row 2, column amount",
            "'inf'"),
    "1e300": ((OUTFLOWS_HEADER + "2026-01-05,1e300\n").encode(),
              "outflows.csv, row 2, column amount", "too large"),
    "1 MB amount": ((OUTFLOWS_HEADER + f"2026-01-05,{BIG_TEXT}\n").encode(),
                    "outflows.csv, row 2, column amount", "…"),
    "control characters": ((OUTFLOWS_HEADER + f"2026-01-05,{CONTROL}\n").encode(),
                           "outflows.csv, row 2, column amount", "a number"),
}  # fmt: skip


@pytest.mark.parametrize("case", OUTFLOWS)
def test_a_hostile_outflows_file_names_file_row_and_column(case) -> None:
    content, where, words = OUTFLOWS[case]
    with pytest.raises(LedgerError) as caught:
        outflows_from_csv(content, date(2026, 1, 1), 13, "outflows.csv")
    message = str(caught.value)
    assert message.startswith(where) and words in message, message
    assert BIG_TEXT not in message and len(message) < 2_000


def test_good_outflows_still_read() -> None:
    # 10 on 5 Jan is in week 1 (2 to 8 Jan); 2.5 on 9 Jan and 1,000.5 on 10 Jan in week 2: 1,003
    text = b'date,amount\n2026-01-05,10\n2026-01-09,2.5\n2026-01-10,"1,000.5"\n'
    flows = outflows_from_csv(text, date(2026, 1, 1), 2)
    assert flows.amounts == (10.0, 1003.0) and not any(math.isnan(x) for x in flows.amounts)


SCORECARDS = {
    "not TOML": (PNG, "scorecard.toml"),
    "UTF-16": (utf16('currency = "EUR"\n'), "scorecard.toml"),
    "duplicate key": (b'currency = "EUR"\ncurrency = "USD"\n', "not valid TOML"),
    "NaN": (b'currency = "EUR"\nfactors = nan\ngrades = []\n', "factors"),
    "wrong type": (b'currency = 5\nfactors = []\ngrades = []\n', "currency"),
}  # fmt: skip


@pytest.mark.parametrize("case", SCORECARDS)
def test_a_hostile_scorecard_names_itself_and_the_key(case, tmp_path: Path) -> None:
    content, words = SCORECARDS[case]
    path = tmp_path / "scorecard.toml"
    path.write_bytes(content)
    with pytest.raises(LedgerError) as caught:
        load_scorecard(path)
    message = str(caught.value)
    assert "scorecard.toml" in message and words in message, message
    assert len(message) < 2_000
