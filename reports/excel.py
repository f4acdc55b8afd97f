"""One writer for every table download, CSV and Excel, ready for finance.

A download carries what the page showed: the on-screen headers (reports/columns.py; other
columns get their name in words), money rounded to the cent in the display currency named in
its header, percentages as percentages, dates as dates, no internal ``*_key`` columns, and a
title line saying which table, ledger, as-of date, currency and customers it is. The Excel file
has number formats, column widths, a frozen header and a filter; both files are named
``<table>-<ledger>-<as-of>`` so next week's does not overwrite this week's.

The ledger export (data/export.py: the loaded tables as spec §1 files that load again as they
are) is written in the data layer, which does not import reports.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from core.spreadsheet import neutralised, text_cell
from reports.columns import Column, Table

MAX_SHEET_NAME = 31
TITLE_ROWS = 2  # the title line, then a blank row, then the header
EXCEL_FORMATS = {
    "money": "#,##0.00",
    "amount": "#,##0.00",
    "percent": "0.0%",
    "days": "0.0",
    "change": "+0.0;-0.0;0.0",
    "count": "#,##0",
    "date": "yyyy-mm-dd",
}
# columns without a spec: the kind their name says
NAME_KINDS = (
    (r"_amount$|^amount$|^receipts|_p\d\d$", "money"),
    (r"_share$|^utilisation$|_rate$|^cei$", "percent"),
    (r"_date$|^month_end$|^origin$", "date"),
    (r"_days$|^days_|^dso_|^add$", "days"),
    (r"^n_", "count"),
)


@dataclass(frozen=True)
class TableMeta:
    """What a download says about itself."""

    title: str  # e.g. "Aging by customer"
    ledger: str  # the ledger's name (its file's stem)
    as_of: date | None
    currency: str
    customers: str = "all customers"  # the sidebar's filter, in words

    def title_line(self) -> str:
        """'Aging by customer · ledger sample · as of 31 Oct 2026 · USD · all customers'."""
        when = f"as of {self.as_of:%d %b %Y}" if self.as_of else "no as-of date"
        return f"{self.title} · ledger {self.ledger} · {when} · {self.currency} · {self.customers}"


def file_name(table: str, meta: TableMeta, suffix: str) -> str:
    """``<table>-<ledger>-<as-of>.<suffix>``, lower-case, safe on every file system.

    >>> file_name("Aging by customer", TableMeta("x", "Q3 ledger", date(2026, 10, 31), "USD"), "xlsx")
    'aging-by-customer-q3-ledger-2026-10-31.xlsx'
    """
    parts = [slug(table), slug(meta.ledger), meta.as_of.isoformat() if meta.as_of else ""]
    return "-".join(p for p in parts if p) + f".{suffix}"


def sheet_name(name: str) -> str:
    """Excel's sheet-name limit (31 characters, none of []:*?/\\).

    >>> sheet_name("Receipts by week, baseline and scenario")
    'Receipts by week, baseline and '
    >>> sheet_name("")
    'data'
    """
    return re.sub(r"[\[\]:*?/\\]", "-", name)[:MAX_SHEET_NAME] or "data"


def finance_columns(frame: pd.DataFrame, spec: Table | None) -> list[tuple[str, str, str]]:
    """(column, header, kind) for every column a download keeps, in the frame's order:
    internal ``*_key`` columns are dropped; a spec's label is the header (its own name in
    words otherwise, e.g. "overdue_amount" → "Overdue amount").

    >>> finance_columns(pd.DataFrame(columns=["customer_key", "overdue_amount"]), None)
    [('overdue_amount', 'Overdue amount', 'money')]
    """
    out = []
    for name in frame.columns:
        if str(name).endswith("_key"):
            continue
        column = (spec or {}).get(name)
        out.append((name, _header(name, column), _kind(name, column)))
    return out


def _header(name, column: Column | None) -> str:
    if column is not None and column.label:
        return column.label
    return str(name).replace("_", " ").strip().capitalize()


def _kind(name, column: Column | None) -> str:
    if column is not None and column.kind not in ("auto", "text", "number"):
        return column.kind
    for pattern, kind in NAME_KINDS:
        if re.search(pattern, str(name)):
            return kind
    return "text"


def _cell_value(value, kind: str):
    """A value as the file holds it: money to the cent, dates without a time, gaps empty."""
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if isinstance(value, float) and math.isinf(value):  # a workbook cannot hold ±inf
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        value = value.date()
    if kind in ("money", "amount") and isinstance(value, (int, float)):
        return round(float(value), 2)
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def table_excel(frame: pd.DataFrame, spec: Table | None, meta: TableMeta) -> bytes:
    """One sheet: the title line, a blank row, the header (bold, frozen, with a filter), then
    the rows with each column's number format and a width that fits it."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name(meta.title))
    columns = finance_columns(frame, spec)
    for i, width in enumerate(_widths([(frame, columns)]), 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = f"A{TITLE_ROWS + 2}"
    last = get_column_letter(max(len(columns), 1))
    sheet.auto_filter.ref = f"A{TITLE_ROWS + 1}:{last}{TITLE_ROWS + 1 + len(frame)}"
    sheet.append([_styled(sheet, meta.title_line(), Font(bold=True, size=12))])
    sheet.append([])
    _append_table(sheet, frame, columns)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class SheetTable:
    """One table of a workbook sheet: its title, rows and column spec."""

    title: str
    frame: pd.DataFrame
    spec: Table | None = None


def tables_excel(sheets: Mapping[str, tuple[TableMeta, list[SheetTable]]]) -> bytes:
    """A workbook of finance-ready sheets in the mapping's order (sheet name → its title line
    and tables): each sheet has the title line, then each table under its bold title with a
    bold header and the same number formats and widths as ``table_excel``; a sheet of one
    table freezes its header and has a filter."""
    book = Workbook(write_only=True)
    for name, (meta, tables) in sheets.items():
        sheet = book.create_sheet(sheet_name(name))
        blocks = [(t.frame, finance_columns(t.frame, t.spec)) for t in tables]
        for i, width in enumerate(_widths(blocks), 1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        if len(tables) == 1:
            header = TITLE_ROWS + 2  # the title line, a blank row, the table's title
            sheet.freeze_panes = f"A{header + 1}"
            last = get_column_letter(max(len(blocks[0][1]), 1))
            sheet.auto_filter.ref = f"A{header}:{last}{header + len(tables[0].frame)}"
        sheet.append([_styled(sheet, meta.title_line(), Font(bold=True, size=12))])
        sheet.append([])
        for table, (frame, columns) in zip(tables, blocks, strict=True):
            sheet.append([_styled(sheet, table.title, Font(bold=True, size=11))])
            _append_table(sheet, frame, columns)
            sheet.append([])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _append_table(sheet, frame: pd.DataFrame, columns: list[tuple[str, str, str]]) -> None:
    """The header (bold, wrapped) and the rows, each cell with its column's number format."""
    bold = Font(bold=True)
    sheet.append([_styled(sheet, header, bold, wrap=True) for _, header, _ in columns])
    formats = [EXCEL_FORMATS.get(kind) for _, _, kind in columns]
    for values in frame[[name for name, _, _ in columns]].itertuples(index=False):
        row = []
        for value, (_, _, kind), number_format in zip(values, columns, formats, strict=True):
            cell = text_cell(sheet, _cell_value(value, kind))
            if number_format:
                cell.number_format = number_format
            row.append(cell)
        sheet.append(row)


def _widths(blocks: list[tuple[pd.DataFrame, list[tuple[str, str, str]]]]) -> list[float]:
    """Per column position, the widest that any of the tables needs there."""
    widths: list[float] = []
    for frame, columns in blocks:
        for i, (name, header, kind) in enumerate(columns):
            width = _width(frame[name], header, kind)
            if i < len(widths):
                widths[i] = max(widths[i], width)
            else:
                widths.append(width)
    return widths


def _styled(sheet, value, font: Font, wrap: bool = False) -> WriteOnlyCell:
    cell = text_cell(sheet, value)
    cell.font = font
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _width(values: pd.Series, header: str, kind: str) -> float:
    """Characters: the longest of the header's words and a sample of the values, 8 to 50."""
    sample = values.head(200).map(lambda v: _text(_cell_value(v, kind), kind))
    longest = max([len(w) for w in header.split()] + [len(s) for s in sample] + [8])
    return float(min(longest + 2, 50))


def table_csv(frame: pd.DataFrame, spec: Table | None, meta: TableMeta) -> bytes:
    """UTF-8 CSV (with a byte-order mark, so spreadsheets read it as UTF-8): the title line, a
    blank line, the header, then the rows as the Excel file shows them (percentages as
    "12.5%", money with two decimals, dates as YYYY-MM-DD).

    >>> meta = TableMeta("Top", "demo", date(2026, 1, 31), "USD")
    >>> frame = pd.DataFrame({"customer_key": [3], "balance_amount": [1234.5678], "overdue_share": [0.125]})
    >>> print(table_csv(frame, None, meta).decode("utf-8-sig"))
    Top · ledger demo · as of 31 Jan 2026 · USD · all customers
    <BLANKLINE>
    Balance amount,Overdue share
    1234.57,12.5%
    <BLANKLINE>
    """
    columns = finance_columns(frame, spec)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([meta.title_line()])
    writer.writerow([])
    writer.writerow([header for _, header, _ in columns])
    for values in frame[[name for name, _, _ in columns]].itertuples(index=False):
        writer.writerow(
            _text(neutralised(_cell_value(v, kind)), kind)
            for v, (_, _, kind) in zip(values, columns, strict=True)
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value, kind: str) -> str:
    if value is None:
        return ""
    if kind == "percent" and isinstance(value, (int, float)):
        return f"{value * 100:.1f}%"
    if kind in ("money", "amount") and isinstance(value, (int, float)):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def excel_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """A workbook of several plain sheets (the Scenarios page's assumptions and results), in
    the mapping's order: a header row, then the rows; formula-like text stays text."""
    book = Workbook(write_only=True)
    for name, frame in sheets.items():
        sheet = book.create_sheet(sheet_name(name))
        sheet.append([text_cell(sheet, str(column)) for column in frame.columns])
        for values in frame.itertuples(index=False):
            sheet.append([text_cell(sheet, _cell_value(v, "auto")) for v in values])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row and no index.

    >>> csv_bytes(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    b'a,b\\n1,x\\n2,y\\n'
    """
    return frame.map(neutralised).to_csv(index=False).encode("utf-8")


def slug(name: str) -> str:
    """Lower-case words joined by '-' (file names, widget keys).

    >>> slug("Aging by Customer")
    'aging-by-customer'
    """
    return re.sub(r"[^a-z0-9]+", "-", str(name).lower()).strip("-")
