"""reports/excel.py: the one Excel and CSV writer, read back with openpyxl."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
import pandas as pd

from reports.excel import csv_bytes, excel_bytes, sheet_name


def read(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_one_sheet_per_frame_in_order_with_a_header_row_and_no_index():
    about = pd.DataFrame({"currency": ["EUR"], "as_of": [date(2025, 12, 31)]})
    results = pd.DataFrame({"figure": ["AR balance", "DSO"], "baseline": [1500.5, 42.0]})
    book = read(excel_bytes({"About": about, "Results": results}))
    assert book.sheetnames == ["About", "Results"]
    rows = list(book["Results"].iter_rows(values_only=True))
    assert rows == [("figure", "baseline"), ("AR balance", 1500.5), ("DSO", 42)]
    assert book["About"]["B2"].value.date() == date(2025, 12, 31)


def test_sheet_names_are_cut_to_excels_31_characters():
    name = "Receipts by week, baseline and scenario"  # 39 characters
    book = read(excel_bytes({name: pd.DataFrame({"a": [1]}), "": pd.DataFrame({"b": [2]})}))
    assert book.sheetnames == ["Receipts by week, baseline and ", "data"]
    assert sheet_name("x" * 40) == "x" * 31


def test_an_empty_frame_still_writes_its_header():
    book = read(excel_bytes({"open-items": pd.DataFrame(columns=["invoice_id", "open_amount"])}))
    assert list(book["open-items"].iter_rows(values_only=True)) == [("invoice_id", "open_amount")]


def test_csv_is_utf8_with_a_header_and_no_index():
    frame = pd.DataFrame({"name": ["Müller AG"], "amount": [1234.5]}, index=[7])
    assert csv_bytes(frame) == "name,amount\nMüller AG,1234.5\n".encode()
