"""Loads that should not pass (issue 9, defect 12): each bad input is refused with one clear
message naming the file, row and column (or the mapping key), and the active database is
left exactly as it was."""

from __future__ import annotations

import errno
import textwrap
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core.constants import MAX_AMOUNT
from core.errors import LedgerError
from data.loader import load_ledger, read_to_connection, validate_ledger
from tests.data.conftest import GOOD, good_database, header, write_csv

EXPORT_MAPPING = {
    "invoices": {
        "invoice_id": "Doc",
        "customer_id": "Client",
        "invoice_date": "Date",
        "due_date": "Due",
        "amount": "Value",
    }
}
EXPORT = "Doc,Client,Date,Due,Value\nD1,K1,2024-01-05,2024-02-04,10\n"


def where(issues) -> list[tuple]:
    """(file, row, column, message) of each issue."""
    return [(i.file, i.row, i.column, i.message) for i in issues]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The GOOD ledger loaded: the active database a refused load must leave as it is."""
    return good_database(tmp_path, "db/ledger.duckdb")


def refused(source: Path, db: Path, **options) -> str:
    """Load `source` over `db`; assert it raises and leaves `db` byte for byte; the message."""
    before = db.read_bytes()
    with pytest.raises(LedgerError) as caught:
        load_ledger(source, db, **options)
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == [db.name]  # no half-written file
    return str(caught.value)


# --- 1. a ledger with no invoices --------------------------------------------------------


def test_a_header_only_invoices_file_is_refused_and_the_ledger_kept(ledger, db) -> None:
    folder = ledger(invoices=header("invoices"), payments=None, orders=None)
    message = refused(folder, db)
    assert "invoices.csv: no rows; a ledger needs at least one invoice" in message.splitlines()


def test_an_export_with_no_rows_is_refused(tmp_path: Path) -> None:
    export = write_csv(tmp_path, "export.csv", EXPORT.splitlines()[0] + "\n")
    issues = validate_ledger(export, mapping=EXPORT_MAPPING)
    assert where(issues) == [
        ("export.csv", None, None, "no rows; a ledger needs at least one invoice")
    ]


def test_no_invoices_file_is_one_error_not_two(ledger) -> None:
    issues = validate_ledger(ledger(invoices=None, payments=None))
    assert [i.message.split(" (")[0] for i in issues] == ["required file is missing"]


# --- 2. two columns of one name ------------------------------------------------------------


@pytest.mark.parametrize(
    ("second", "label"), [("Amount", "'Amount' (column F)"), ("amount", "'amount' (column F)")]
)
def test_two_columns_of_one_name_are_refused_naming_both(
    ledger, db, second: str, label: str
) -> None:
    text = "invoice_id,customer_id,invoice_date,due_date,amount,{}\nI1,C1,2024-01-05,2024-02-04,100,7\n"
    folder = ledger(invoices=text.format(second), payments=None)
    message = refused(folder, db)
    expected = f"two columns are named amount: 'amount' (column E) and {label}; keep one"
    assert f"invoices.csv, column amount: {expected}" in message.splitlines()


def test_two_columns_of_one_name_in_a_workbook_are_refused(ledger) -> None:
    folder = ledger(invoices=None, payments=None)
    rows = [
        ["invoice_id", "customer_id", "invoice_date", "due_date", "amount", "amount"],
        ["I1", "C1", "2024-01-05", "2024-02-04", "100", "7"],
    ]
    pd.DataFrame(rows).to_excel(folder / "invoices.xlsx", index=False, header=False)
    issues = validate_ledger(folder)
    assert where(issues) == [
        (
            "invoices.xlsx",
            None,
            "amount",
            "two columns are named amount: 'amount' (column E) and 'amount' (column F); keep one",
        )
    ]


def test_two_columns_matching_a_mapping_source_are_refused(tmp_path: Path) -> None:
    text = EXPORT.replace("Value", "Value,value ").replace(",10\n", ",10,11\n")
    issues = validate_ledger(write_csv(tmp_path, "export.csv", text), mapping=EXPORT_MAPPING)
    assert [(i.file, i.column) for i in issues] == [("export.csv", "Value")]
    assert "'Value' (column E) and 'value ' (column F)" in issues[0].message


def test_a_repeated_column_the_ledger_does_not_read_is_ignored(ledger) -> None:
    text = GOOD["orders"].replace("status", "status,note,Note").replace("Open", "Open,a,b")
    assert validate_ledger(ledger(orders=text)) == []


# --- 3. amounts too large to add up ------------------------------------------------------


@pytest.mark.parametrize("value", ["1e308", "-1e15", "1000000000000000"])
def test_an_absurd_amount_is_refused_with_file_row_and_column(ledger, db, value: str) -> None:
    text = GOOD["invoices"].replace("50.00,EUR", f"{value},EUR")
    message = refused(ledger(invoices=text), db)
    expected = f"'{value}' is too large: a number here must be smaller than 1e+15 in size"
    assert f"invoices.csv, row 3, column amount: {expected}" in message.splitlines()


def test_the_largest_amount_below_the_bound_loads(ledger) -> None:
    assert MAX_AMOUNT == 1e15
    text = GOOD["invoices"].replace("50.00,EUR", "999999999999999,EUR")
    con, _ = read_to_connection(ledger(invoices=text, payments=None))
    assert con.execute("select max(amount) from invoices").fetchall() == [(999999999999999.0,)]


def test_an_absurd_limit_or_a_parquet_infinity_is_refused(ledger) -> None:
    customers = GOOD["customers"].replace("C1,Acme,SMB,G1,1000", "C1,Acme,SMB,G1,2e15")
    folder = ledger(customers=customers, payments=None, orders=None, invoices=None)
    duckdb.execute(
        "copy (select 'I1' as invoice_id, 'C1' as customer_id, date '2024-01-05' as invoice_date,"
        " date '2024-02-04' as due_date, 'infinity'::double as amount) to $path",
        {"path": str(folder / "invoices.parquet")},
    )
    issues = validate_ledger(folder)
    assert [(i.file, i.row, i.column) for i in issues] == [
        ("customers.csv", 2, "credit_limit"),
        ("invoices.parquet", 2, "amount"),
    ]
    assert issues[0].message.startswith("'2e15' is too large")
    assert issues[1].message == "'inf' is not a number"


# --- 4. paths are paths, never patterns ----------------------------------------------------


def write_folder(folder: Path, amount: str, suffix: str) -> None:
    """A one-invoice ledger in `folder` (written without DuckDB, which would glob the path)."""
    text = header("invoices") + f"I1,C1,2024-01-05,2024-02-04,{amount},,,\n"
    path = write_csv(folder, "invoices.csv", text)
    if suffix == ".parquet":
        pd.read_csv(path, dtype=str).to_parquet(folder / "invoices.parquet")
        path.unlink()


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
@pytest.mark.parametrize(("name", "sibling"), [("AR [2024]", "AR 2"), ("AR *", "AR x")])
def test_a_folder_named_like_a_pattern_reads_its_own_files(
    tmp_path: Path, name: str, sibling: str, suffix: str
) -> None:
    # "AR [2024]" as a glob pattern matches "AR 2" (one of the characters 2, 0, 2, 4)
    write_folder(tmp_path / name, "100", suffix)
    write_folder(tmp_path / sibling, "999", suffix)
    con, _ = read_to_connection(tmp_path / name)
    assert con.execute("select amount from invoices").fetchall() == [(100.0,)]


def test_a_pattern_named_folder_without_the_file_says_it_is_missing(tmp_path: Path) -> None:
    write_folder(tmp_path / "AR 2", "999", ".csv")
    (tmp_path / "AR [2024]").mkdir()
    issues = validate_ledger(tmp_path / "AR [2024]")
    assert [i.message.split(" (")[0] for i in issues] == ["required file is missing"]


# --- 5. files that are not what their name says; a full disk -----------------------------


@pytest.mark.parametrize("name", ["open_items", "open_items.txt"])
def test_a_mapped_file_of_an_unknown_kind_is_named(ledger, db, name: str) -> None:
    folder = ledger()
    (folder / name).write_text(EXPORT)
    mapping = {"invoices": {**EXPORT_MAPPING["invoices"], "file": name}}
    message = refused(folder, db, mapping=mapping)
    assert (
        f"{name}: cannot read the file: its name does not end in .csv, .parquet or .xlsx"
        in message.splitlines()
    )


def test_a_single_export_of_an_unknown_kind_is_named(tmp_path: Path) -> None:
    export = write_csv(tmp_path, "export.dat", EXPORT)
    issues = validate_ledger(export, mapping=EXPORT_MAPPING)
    assert where(issues) == [
        (
            "export.dat",
            None,
            None,
            "cannot read the file: its name does not end in .csv, .parquet or .xlsx",
        )
    ]


@pytest.mark.parametrize("content", [b"invoice_id,amount\n", b"", b"PK\x03\x04 not a zip"])
def test_an_xlsx_that_is_not_a_workbook_is_named(ledger, db, content: bytes) -> None:
    folder = ledger(invoices=None)
    (folder / "invoices.xlsx").write_bytes(content)
    message = refused(folder, db)
    assert (
        "invoices.xlsx: cannot read the file: it is not an Excel workbook (.xlsx)"
        in message.splitlines()
    )


def test_an_xlsx_zip_without_a_workbook_is_named(ledger, db) -> None:
    import zipfile

    folder = ledger(invoices=None)
    with zipfile.ZipFile(folder / "invoices.xlsx", "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    message = refused(folder, db)
    assert "invoices.xlsx: cannot read the file: it is not an Excel workbook (.xlsx)" in message


@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        duckdb.IOException('Could not write file "x": No space left on device'),
    ],
)
def test_a_full_disk_says_so_and_keeps_the_old_database(
    ledger, db, monkeypatch, error: Exception
) -> None:
    def full(con: duckdb.DuckDBPyConnection) -> None:
        raise error

    monkeypatch.setattr("data.facts.build_facts", full)
    message = refused(ledger(orders=None), db)
    assert message == (
        "the disk is full: the new ledger could not be written next to ledger.duckdb"
        " (free some space and load again); nothing was loaded, ledger.duckdb is unchanged"
    )


# --- 6. bytes that are not UTF-8 ---------------------------------------------------------


def test_a_bad_byte_in_the_first_8_kb_names_the_row_and_column(ledger, db) -> None:
    folder = ledger()
    text = GOOD["invoices"].replace("I2,C2,", "I2,C\xe92,")
    # "é" written as latin-1 (one byte 0xE9), not UTF-8, on row 3 in column customer_id
    (folder / "invoices.csv").write_bytes(textwrap.dedent(text).encode("latin-1"))
    message = refused(folder, db)
    expected = "byte 0xe9 is not UTF-8 text (save the file as UTF-8)"
    assert f"invoices.csv, row 3, column customer_id: {expected}" in message.splitlines()


def test_a_bad_byte_in_the_header_names_row_1(ledger) -> None:
    folder = ledger()
    (folder / "orders.csv").write_bytes(b"order_id,customer_\xff\n")
    issues = validate_ledger(folder)
    assert where(issues) == [
        ("orders.csv", 1, None, "byte 0xff is not UTF-8 text (save the file as UTF-8)")
    ]


def test_a_bad_byte_far_into_the_file_names_the_row_and_column(ledger) -> None:
    folder = ledger(payments=None, orders=None)
    rows = "".join(f"I{n},C1,2024-01-05,2024-02-04,1,,,\n" for n in range(3, 2003))
    text = header("invoices") + rows + "I9,C1,2024-01-05,2024-02-04,1,\xa3,,\n"
    (folder / "invoices.csv").write_bytes(text.encode("latin-1"))
    issues = validate_ledger(folder)
    # header row 1, 2000 rows (rows 2..2001), then the bad row 2002
    assert where(issues) == [
        ("invoices.csv", 2002, "currency", "byte 0xa3 is not UTF-8 text (save the file as UTF-8)")
    ]


# --- 7. long values are cut short in messages --------------------------------------------


def test_a_huge_bad_value_is_cut_short_in_the_message(ledger) -> None:
    value = "9" * 500_000 + "x" * 500_000  # 1 MB that is not a number
    text = GOOD["invoices"].replace("50.00,EUR", f"{value},EUR")
    [issue] = validate_ledger(ledger(invoices=text))
    assert (issue.row, issue.column) == (3, "amount")
    assert issue.message == "'" + "9" * 59 + "…' is not a number"


def test_a_huge_id_is_cut_short_in_a_rule_message(ledger) -> None:
    customer = "C" * 1_000  # the longest text a ledger may hold (data.validate.MAX_TEXT)
    text = GOOD["invoices"].replace("I2,C2,", f"I2,{customer},")
    [issue] = validate_ledger(ledger(invoices=text))
    assert (issue.row, issue.column) == (3, "customer_id")
    assert issue.message == "customer_id " + "C" * 59 + "… is not in customers"
