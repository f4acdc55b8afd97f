"""Hostile ledger files (CSV, Parquet, xlsx in a folder): each refused with one message naming
the file, row and column; the loaded ledger byte for byte as it was; nothing left behind.

Existing cases elsewhere (not repeated): duplicate columns, absurd and infinite amounts,
pattern-named folders, unknown file kinds, an xlsx that is not a workbook, bad bytes far into
a file (tests/data/test_refused_loads.py); malformed CSV lines (tests/data/test_reader.py).
"""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from core.errors import LedgerError
from data.loader import load_ledger
from tests.data.conftest import GOOD, good_database, write_csv
from tests.hostile.corpus import BIG_TEXT, CONTROL, PNG, latin1, utf16

HEADER = "invoice_id,customer_id,invoice_date,due_date,amount\n"


def invoices(rows: str) -> bytes:
    return (HEADER + rows).encode()


# case: (file name, its bytes, the first error's (file, row, column), words it must hold)
CASES = {
    "UTF-16": ("invoices.csv", utf16(HEADER + "I1,C1,2024-01-05,2024-02-04,100\n"),
               ("invoices.csv", 1, None), "UTF-16"),
    "Latin-1": ("customers.csv", latin1("customer_id,name\nC1,Müller\nC2,Beta\n"),
                ("customers.csv", 2, "name"), "not UTF-8"),
    "semicolons": ("invoices.csv", b"invoice_id;customer_id;invoice_date;due_date;amount\n"
                   b"I1;C1;2024-01-05;2024-02-04;100\n", ("invoices.csv", 1, None), "';'"),
    "tabs": ("invoices.csv", HEADER.replace(",", "\t").encode(), ("invoices.csv", 1, None), "'\\t'"),
    "decimal comma": ("invoices.csv", invoices('I1,C1,2024-01-05,2024-02-04,"1.234,50"\n'),
                      ("invoices.csv", 2, "amount"), "decimal comma"),
    "missing column": ("invoices.csv", b"invoice_id,customer_id,invoice_date,amount\n"
                       b"I1,C1,2024-01-05,100\n", ("invoices.csv", None, "due_date"), "missing"),
    "misspelt column": ("invoices.csv", invoices("I1,C1,2024-01-05,2024-02-04,100\n")
                        .replace(b"amount", b"ammount"), ("invoices.csv", None, "amount"),
                        "'ammount': misspelt"),
    "wrong type": ("invoices.csv", invoices("I1,C1,2024-01-05,2024-02-04,lots\n"),
                   ("invoices.csv", 2, "amount"), "'lots' is not a number"),
    "impossible date": ("invoices.csv", invoices("I1,C1,2026-02-30,2026-03-30,100\n"),
                        ("invoices.csv", 2, "invoice_date"), "'2026-02-30' is not a date"),
    "duplicate key": ("invoices.csv", invoices("I1,C1,2024-01-05,2024-02-04,100\n"
                                                "I1,C1,2024-01-06,2024-02-05,5\n"),
                      ("invoices.csv", 3, "invoice_id"), "duplicate invoice_id I1"),
    "unknown reference": ("invoices.csv", invoices("I1,C9,2024-01-05,2024-02-04,100\n"),
                          ("invoices.csv", 2, "customer_id"), "C9 is not in customers"),
    "NaN": ("invoices.csv", invoices("I1,C1,2024-01-05,2024-02-04,NaN\n"),
            ("invoices.csv", 2, "amount"), "'NaN' is not a number"),
    "inf": ("invoices.csv", invoices("I1,C1,2024-01-05,2024-02-04,-inf\n"),
            ("invoices.csv", 2, "amount"), "'-inf' is not a number"),
    "1e300": ("invoices.csv", invoices("I1,C1,2024-01-05,2024-02-04,1e300\n"),
              ("invoices.csv", 2, "amount"), "too large"),
    "control characters": ("customers.csv", f"customer_id,name\nC1,{CONTROL}\nC2,B\n".encode(),
                           ("customers.csv", 2, "name"), "control character (code 27)"),
    "1 MB string": ("customers.csv", f"customer_id,name\nC1,{BIG_TEXT}\nC2,B\n".encode(),
                    ("customers.csv", 2, "name"), "1000000 characters long"),
    "PNG named .csv": ("invoices.csv", PNG, ("invoices.csv", 1, None), "a PNG image"),
    "CSV named .xlsx": ("invoices.xlsx", invoices("I1,C1,2024-01-05,2024-02-04,100\n"),
                        ("invoices.xlsx", None, None), "not an Excel workbook"),
    "empty header": ("invoices.csv", b"\n\nI1,C1,2024-01-05,2024-02-04,100\n",
                     ("invoices.csv", 1, None), "header"),
}  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The GOOD ledger loaded: what a refused load must leave byte for byte."""
    return good_database(tmp_path)


def folder_with(tmp_path: Path, name: str, content: bytes) -> Path:
    """The GOOD ledger with file `name` (its table's file) replaced by `content`."""
    folder = tmp_path / "hostile"
    for table, text in GOOD.items():
        write_csv(folder, f"{table}.csv", text)
    (folder / f"{Path(name).stem}.csv").unlink()
    (folder / name).write_bytes(content)
    if Path(name).stem == "invoices":  # payments name GOOD's invoices: not this test's point
        (folder / "payments.csv").unlink()
    return folder


def refused(source: Path, db: Path) -> LedgerError:
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(LedgerError) as caught:
        load_ledger(source, db)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert [p.name for p in db.parent.iterdir()] == [db.name]
    return caught.value


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_ledger_file_is_refused_naming_file_row_and_column(case, db, tmp_path) -> None:
    name, content, (file, row, column), words = CASES[case]
    error = refused(folder_with(tmp_path, name, content), db)
    first = next(i for i in error.issues if i.severity == "error")
    assert (first.file, first.row, first.column) == (file, row, column), first
    assert words in first.message
    assert "Traceback" not in str(error) and "LINE 1" not in str(error)
    assert len(str(error)) < 2_000  # one clear message, not the file echoed back


def test_a_parquet_amount_of_the_wrong_type_is_named(db, tmp_path) -> None:
    folder = folder_with(tmp_path, "invoices.csv", invoices("I1,C1,2024-01-05,2024-02-04,1\n"))
    (folder / "invoices.csv").unlink()
    frame = pd.DataFrame({"invoice_id": ["I1"], "customer_id": ["C1"],
                          "invoice_date": ["2024-01-05"], "due_date": ["2024-02-04"],
                          "amount": ["a lot"]})  # fmt: skip
    frame.to_parquet(folder / "invoices.parquet")
    first = refused(folder, db).issues[0]
    assert (first.file, first.row, first.column) == ("invoices.parquet", 2, "amount")


def test_an_impossible_date_in_a_workbook_is_named(db, tmp_path) -> None:
    folder = folder_with(tmp_path, "invoices.csv", invoices("I1,C1,2024-01-05,2024-02-04,1\n"))
    (folder / "invoices.csv").unlink()
    rows = textwrap.dedent(HEADER + "I1,C1,2026-02-30,2026-03-30,100\n").splitlines()
    pd.DataFrame([r.split(",") for r in rows[1:]], columns=rows[0].split(",")).to_excel(
        folder / "invoices.xlsx", index=False
    )
    first = refused(folder, db).issues[0]
    assert (first.file, first.row, first.column) == ("invoices.xlsx", 2, "invoice_date")
