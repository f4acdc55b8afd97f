"""Every table download is finance-ready (issue 9): read the files back as a user would."""

from __future__ import annotations

import io
from datetime import date

import pandas as pd
from openpyxl import load_workbook

from reports.columns import Column, money
from reports.excel import TableMeta, file_name, table_csv, table_excel

META = TableMeta("Aging by customer", "sample", date(2026, 10, 31), "EUR", "segment SMB")
SPEC = {
    "group": Column("Customer"),
    "balance_amount": money("Balance", "EUR"),
    "overdue_share": Column("Overdue share", "percent"),
}


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_key": [7, 8],  # internal: never in a download
        "group": ["C1", "C2"],
        "balance_amount": [-106291.87000000029, 2500.0],  # float noise from sums
        "overdue_share": [1.2726, None],
        "month_end": pd.to_datetime(["2026-09-30", "2026-10-31"]),  # a timestamp column
        "n_open_items": [3, 0],
    })  # fmt: skip


def test_the_excel_file_reads_as_a_finance_user_expects():
    book = load_workbook(io.BytesIO(table_excel(frame(), SPEC, META)))
    sheet = book.active
    assert sheet.title == "Aging by customer"
    assert sheet["A1"].value == (
        "Aging by customer · ledger sample · as of 31 Oct 2026 · EUR · segment SMB"
    )
    headers = [c.value for c in sheet[3]]
    assert headers == ["Customer", "Balance (EUR)", "Overdue share", "Month end", "N open items"]
    balance, share, month_end, count = sheet["B4"], sheet["C4"], sheet["D4"], sheet["E4"]
    assert balance.value == -106291.87 and balance.number_format == "#,##0.00"
    assert share.value == 1.2726 and share.number_format == "0.0%"  # shows 127.3%
    assert sheet["C5"].value is None  # a gap stays empty, not "nan"
    assert month_end.is_date and month_end.value.date() == date(2026, 9, 30)
    assert month_end.number_format == "yyyy-mm-dd"
    assert count.value == 3 and count.number_format == "#,##0"
    assert sheet.freeze_panes == "A4" and sheet.auto_filter.ref == "A3:E5"
    assert sheet.column_dimensions["B"].width >= len("-106291.87")


def test_the_csv_has_the_same_headers_title_and_readable_values():
    text = table_csv(frame(), SPEC, META).decode("utf-8-sig").splitlines()
    assert text[0].startswith("Aging by customer · ledger sample · as of 31 Oct 2026")
    assert text[1] == ""
    assert text[2] == "Customer,Balance (EUR),Overdue share,Month end,N open items"
    assert text[3] == "C1,-106291.87,127.3%,2026-09-30,3"
    assert text[4] == "C2,2500.00,,2026-10-31,0"


def test_file_names_carry_the_table_ledger_and_date():
    assert (
        file_name("aging-by-customer", META, "xlsx") == "aging-by-customer-sample-2026-10-31.xlsx"
    )
    assert file_name("Invoices flagged", META, "csv") == "invoices-flagged-sample-2026-10-31.csv"
