"""Reading files: which files make a ledger, CSV/Parquet/xlsx, and the row numbers reported."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from core.errors import LedgerError
from data.loader import read_to_connection, validate_ledger
from tests.data.conftest import GOOD, find, header, write_csv


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_only_invoices_are_required(ledger) -> None:
    folder = ledger(customers=None, payments=None, fx_rates=None, orders=None)
    text = header("invoices") + "I1,C1,2024-01-05,2024-02-04,100,,,\n"
    write_csv(folder, "invoices.csv", text)
    con, warnings = read_to_connection(folder)
    assert warnings == []
    assert fetch(con, "select count(*) from invoices") == [(1,)]
    assert fetch(con, "select count(*) from payments") == [(0,)]


def test_without_a_customers_file_customers_are_the_ids_used(ledger) -> None:
    con, _ = read_to_connection(ledger(customers=None))
    # C1 and C2 appear in invoices, payments and orders
    assert fetch(con, "select customer_key, customer_id, name from customers order by 1") == [
        (0, "C1", "C1"),
        (1, "C2", "C2"),
    ]


def test_a_missing_invoices_file_is_an_error(ledger) -> None:
    issues = validate_ledger(ledger(invoices=None))
    [missing] = find(issues, "error", "invoices.csv")
    assert missing.message.startswith("required file is missing")


def test_both_csv_and_parquet_of_one_table_is_an_error(ledger) -> None:
    folder = ledger()
    duckdb.sql(
        f"copy (select * from read_csv('{folder / 'orders.csv'}')) to '{folder / 'orders.parquet'}'"
    )
    issues = validate_ledger(folder)
    assert [i.message for i in issues] == ["both orders.csv and orders.parquet exist; keep one"]


def test_a_source_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="no such file or folder"):
        validate_ledger(tmp_path / "nowhere")


def test_a_malformed_csv_line_names_the_file_and_row(ledger) -> None:
    # row 3 (file line 3; the header is row 1) has one value too many
    text = header("orders") + "O1,C1,2024-01-15,300,,open\nO2,C1,2024-01-16,300,,open,rush\n"
    issues = validate_ledger(ledger(orders=text))
    assert [(i.file, i.row) for i in issues] == [("orders.csv", 3)]
    assert issues[0].message == (
        "cannot read the file at line 3: Expected Number of Columns: 6 Found: 7"
    )


def test_an_unterminated_quote_is_an_error_not_a_guess(ledger) -> None:
    text = header("orders") + 'O1,C1,2024-01-15,300,,"open\n'
    issues = validate_ledger(ledger(orders=text))
    assert [(i.file, i.row) for i in issues] == [("orders.csv", 2)]
    assert "unterminated quote" in issues[0].message


def test_an_empty_csv_file_is_an_error(ledger) -> None:
    issues = validate_ledger(ledger(orders=""))
    assert [(i.file, i.message) for i in issues] == [
        ("orders.csv", "cannot read the file: it is empty (no header line)")
    ]


def test_a_csv_with_only_a_header_has_no_rows(ledger) -> None:
    con, _ = read_to_connection(ledger(orders=header("orders")))
    assert fetch(con, "select count(*) from orders") == [(0,)]


def test_headers_match_ignoring_case_and_spaces(ledger) -> None:
    text = " Invoice_ID ,CUSTOMER_ID,invoice_date,due_date,Amount\nI9,C1,2024-03-01,2024-03-31,5\n"
    con, _ = read_to_connection(ledger(invoices=text, payments=None))
    assert fetch(con, "select invoice_id, amount from invoices") == [("I9", 5.0)]


def test_values_are_trimmed_and_ids_stay_text(ledger) -> None:
    text = header("invoices") + "  0007 , C1 ,2024-01-05,2024-02-04, 12.5 , eur ,Yes,\n"
    con, _ = read_to_connection(ledger(invoices=text, payments=None))
    assert fetch(
        con, "select invoice_id, customer_id, amount, currency, disputed from invoices"
    ) == [("0007", "C1", 12.5, "EUR", True)]


def test_csv_rows_count_from_the_header_as_a_spreadsheet_does(ledger) -> None:
    # the header is row 1; the third data record is row 4 (file line 4)
    text = header("invoices") + (
        "I1,C1,2024-01-05,2024-02-04,100,,,\n"
        'I2,C1,2024-01-06,2024-02-05,100,,"false",\n'
        "I3,C1,2024-01-07,not a date,100,,,\n"
    )
    issues = validate_ledger(ledger(invoices=text, payments=None))
    assert [(i.file, i.row, i.column) for i in issues] == [("invoices.csv", 4, "due_date")]


def test_csv_row_numbers_hold_in_a_file_read_in_parallel(ledger, tmp_path: Path) -> None:
    # ~2 million rows (~90 MB), more than DuckDB's 32 MB read buffer, so read in parallel
    folder = ledger(payments=None, orders=None)
    path = folder / "invoices.csv"
    duckdb.execute(
        "copy (select 'I' || range as invoice_id, 'C1' as customer_id,"
        " case when range = 1999990 then '2024-02-30' else '2024-01-05' end as invoice_date,"
        " '2024-02-04' as due_date, 1.25 as amount from range(2000000)) to $path (header)",
        {"path": str(path)},
    )
    issues = validate_ledger(folder)
    # range value 1999990 is data record 1999991: row 1999992 under the header
    assert [(i.row, i.column, i.message) for i in issues] == [
        (1999992, "invoice_date", "'2024-02-30' is not a date (YYYY-MM-DD)")
    ]


def write_parquet(path: Path, sql: str, row_group_size: int = 122880) -> None:
    duckdb.execute(
        f"copy ({sql}) to $path (format parquet, row_group_size {row_group_size})",
        {"path": str(path)},
    )


def test_a_parquet_ledger_reads_typed_columns(ledger) -> None:
    folder = ledger(invoices=None, payments=None)
    write_parquet(
        folder / "invoices.parquet",
        "select * from (values ('I1', 'C1', date '2024-01-05', timestamp '2024-02-04 00:00:00',"
        " 12.50::decimal(10, 2), null, false, null), ('I2', 'C2', date '2024-01-03',"
        " timestamp '2024-02-02 00:00:00', 7::decimal(10, 2), 'EUR', true, null))"
        " t(invoice_id, customer_id, invoice_date, due_date, amount, currency, disputed, applies_to)",
    )
    con, _ = read_to_connection(folder)
    assert fetch(
        con,
        "select invoice_id, due_date, amount, currency, disputed from invoices order by invoice_key",
    ) == [
        ("I2", date(2024, 2, 2), 7.0, "EUR", True),
        ("I1", date(2024, 2, 4), 12.5, "USD", False),
    ]


def test_parquet_rows_are_file_row_numbers_across_row_groups(ledger) -> None:
    folder = ledger(invoices=None, payments=None, orders=None)
    # 5000 rows in row groups of 1000; range value 3499 is data record 3500, in the fourth
    # group: row 3501 counting the header as row 1
    write_parquet(
        folder / "invoices.parquet",
        "select 'I' || range as invoice_id, 'C1' as customer_id,"
        " case when range = 3499 then '31/12/2024' else '2024-01-05' end as invoice_date,"
        " date '2024-02-04' as due_date, 1.0 as amount from range(5000)",
        row_group_size=1000,
    )
    issues = validate_ledger(folder)
    assert [(i.file, i.row, i.column) for i in issues] == [
        ("invoices.parquet", 3501, "invoice_date")
    ]


def test_an_xlsx_ledger_reads_dates_and_text_ids(ledger) -> None:
    folder = ledger(invoices=None, payments=None)
    frame = pd.DataFrame(
        {
            "invoice_id": ["0001", "0002"],
            "customer_id": ["C1", "C2"],
            "invoice_date": [datetime(2024, 1, 5), datetime(2024, 1, 3)],
            "due_date": ["2024-02-04", "2024-02-02"],
            "amount": [12.5, 7],
            "disputed": [None, "yes"],
        }
    )
    frame.to_excel(folder / "invoices.xlsx", index=False)
    con, _ = read_to_connection(folder)
    assert fetch(
        con, "select invoice_id, invoice_date, amount, disputed from invoices order by invoice_key"
    ) == [
        ("0002", date(2024, 1, 3), 7.0, True),
        ("0001", date(2024, 1, 5), 12.5, False),
    ]


def test_xlsx_rows_are_sheet_rows(ledger) -> None:
    folder = ledger(invoices=None, payments=None, orders=None)
    frame = pd.DataFrame(
        {
            "invoice_id": ["I1", "I2", "I3"],
            "customer_id": ["C1", "C1", "C1"],
            "invoice_date": ["2024-01-05"] * 3,
            "due_date": ["2024-02-04"] * 3,
            "amount": ["1", "2", "three"],
        }
    )
    frame.to_excel(folder / "invoices.xlsx", index=False)
    issues = validate_ledger(folder)
    # the third data record is sheet row 4 (the header is row 1)
    assert [(i.file, i.row, i.column, i.message) for i in issues] == [
        ("invoices.xlsx", 4, "amount", "'three' is not a number")
    ]


def test_extra_columns_are_ignored(ledger) -> None:
    text = GOOD["orders"].replace("status", "status,note").replace("Open", "Open,rush")
    con, _ = read_to_connection(ledger(orders=text))
    assert [c[0] for c in fetch(con, "describe orders")] == [
        "order_id",
        "customer_key",
        "customer_id",
        "order_date",
        "amount",
        "currency",
        "status",
    ]
