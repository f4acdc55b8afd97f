"""OWASP CSV injection (issue 13): every CSV and Excel download writes text that starts with
=, +, -, @, tab or CR so that no spreadsheet runs it — a ``'`` in front in CSV, a quote-prefixed
string cell in Excel — while numbers, negative ones included, stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import duckdb
import pandas as pd
import pytest
from openpyxl import load_workbook

from core.spreadsheet import neutralised, starts_like_formula
from data import export
from data.loader import load_ledger
from reports.excel import (
    SheetTable,
    TableMeta,
    csv_bytes,
    excel_bytes,
    table_csv,
    table_excel,
    tables_excel,
)
from tests.ledger_factory import inv, write_ledger

LINK = '=HYPERLINK("http://x","y")'
SUM = "-2+3"
META = TableMeta("Customers", "demo", date(2024, 3, 31), "USD")
FRAME = pd.DataFrame(
    {"name": [LINK, SUM, "Acme", "@cmd", "\tTab"], "balance_amount": [-5.0, 10.0, 1.0, 0.0, 2.0]}
)


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def cells(data: bytes) -> list[list]:
    """(value, data type) of every cell of every sheet, row by row."""
    book = load_workbook(io.BytesIO(data))
    return [[(c.value, c.data_type) for c in row] for ws in book for row in ws.iter_rows()]


def assert_no_formula(data: bytes) -> None:
    found = [cell for row in cells(data) for cell in row if cell[1] == "f"]
    assert not found


@pytest.mark.parametrize(
    ("value", "written"),
    [(LINK, "'" + LINK), (SUM, "'-2+3"), ("+1", "'+1"), ("@A1", "'@A1"), ("\tx", "'\tx"),
     ("\rx", "'\rx"), ("Acme", "Acme"), ("", ""), (-5.0, -5.0), (None, None)],
)  # fmt: skip
def test_neutralised_quotes_formula_text_only(value, written) -> None:
    assert neutralised(value) == written


def test_a_negative_number_is_not_formula_text() -> None:
    assert not starts_like_formula(-2) and starts_like_formula("-2")


def test_the_table_csv_quotes_the_names_and_keeps_negative_money_a_number() -> None:
    rows = csv_rows(table_csv(FRAME, None, META))[3:]  # title, blank, header
    assert rows == [["'" + LINK, "-5.00"], ["'-2+3", "10.00"], ["Acme", "1.00"],
                    ["'@cmd", "0.00"], ["'\tTab", "2.00"]]  # fmt: skip


def test_the_plain_csv_quotes_the_names() -> None:
    assert csv_rows(csv_bytes(FRAME))[1:3] == [["'" + LINK, "-5.0"], ["'-2+3", "10.0"]]


@pytest.mark.parametrize(
    "write",
    [lambda: table_excel(FRAME, None, META),
     lambda: tables_excel({"Sheet": (META, [SheetTable("Customers", FRAME)])}),
     lambda: excel_bytes({"Results": FRAME})],
    ids=["table_excel", "tables_excel", "excel_bytes"],
)  # fmt: skip
def test_every_workbook_writes_the_names_as_text_and_money_as_numbers(write) -> None:
    data = write()
    assert_no_formula(data)
    found = [cell for row in cells(data) for cell in row]
    assert (LINK, "s") in found and (SUM, "s") in found  # the text itself, unchanged
    assert any(value == -5 and kind == "n" for value, kind in found)


@pytest.fixture(scope="module")
def ledger_con(tmp_path_factory):
    folder = tmp_path_factory.mktemp("injection")
    customers = [{"customer_id": "C1", "name": LINK}, {"customer_id": "C2", "name": SUM}]
    invoices = [inv("I1", "C1", "2024-01-05", "2024-02-04", 100),
                inv("CN1", "C2", "2024-01-06", "2024-01-06", -20)]  # fmt: skip
    load_ledger(write_ledger(folder / "files", customers=customers, invoices=invoices),
                folder / "ledger.duckdb")  # fmt: skip
    con = duckdb.connect(str(folder / "ledger.duckdb"), read_only=True)
    yield con
    con.close()


def test_the_ledger_csv_export_quotes_the_names_and_keeps_amounts(ledger_con) -> None:
    customers = csv_rows(export.csv_bytes(ledger_con, "customers"))
    assert [row[1] for row in customers[1:]] == ["'" + LINK, "'-2+3"]
    invoices = csv_rows(export.csv_bytes(ledger_con, "invoices"))
    assert sorted(row[4] for row in invoices[1:]) == ["-20.0", "100.0"]  # numbers, no quote


def test_the_ledger_workbook_has_no_formula(ledger_con) -> None:
    data = export.excel_bytes(ledger_con, ["customers", "invoices"])
    assert_no_formula(data)
    found = [cell for row in cells(data) for cell in row]
    assert (LINK, "s") in found
    assert any(value == -20 and kind == "n" for value, kind in found)
