"""Reading a loaded ledger back out as the canonical files of spec §1 (the loader's inverse).

Each table is exported with exactly the spec §1 columns in schema order, never the internal
keys (`customer_key`, `invoice_key`, ...), one row per loaded row, ordered by its key. The
values are those the loader stored: customer `name` and `group_id` default to
`customer_id`, an empty `currency` is the reporting currency, an empty `disputed` is false,
an order `status` is lower-case. Loading an export again gives the same ledger, but for text
a spreadsheet would run as a formula (``=...``, ``-2+3``): the CSV file has it with a ``'`` in
front (OWASP CSV injection, core/spreadsheet.py), the workbook as a quote-prefixed string.

The queries go through DuckDB's relation API (table and column names come from
`data.schema`; no SQL text is built) and run on the connection the caller passes: give each
export a cursor of its own (`engine.cursor()`) when a connection is shared between sessions.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import duckdb
from duckdb import CaseExpression, ColumnExpression, ConstantExpression, FunctionExpression
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.spreadsheet import FORMULA_PATTERN, starts_like_formula, text_cell
from data.schema import TABLES, TABLES_BY_NAME

# rows on one Excel sheet, the header included (Excel's limit since 2007)
EXCEL_MAX_ROWS = 1_048_576
ORDER_BY = {
    "customers": "customer_key",
    "invoices": "invoice_key",
    "payments": "payment_key",
    "fx_rates": "currency, rate_date",
    "orders": "order_id",
}
FETCH_ROWS = 10_000


def export_relation(con: duckdb.DuckDBPyConnection, table: str) -> duckdb.DuckDBPyRelation:
    """The loaded `table` as its spec §1 columns, in key order."""
    columns = TABLES_BY_NAME[table].column_names
    return con.table(table).order(ORDER_BY[table]).select(*columns)


def ledger_settings(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The `ledger_settings` table as a dict (reporting_currency, source, loaded_at, ...)."""
    rows = con.table("ledger_settings").select("key", "value").fetchall()
    return dict(rows)


def csv_bytes(con: duckdb.DuckDBPyConnection, table: str) -> bytes:
    """`table` as a spec §1 CSV file (header, comma, ISO dates, empty = missing), in memory."""
    with tempfile.TemporaryDirectory(prefix="ledger-export-") as folder:
        path = Path(folder) / f"{table}.csv"
        csv_safe(export_relation(con, table)).write_csv(str(path), header=True)
        return path.read_bytes()


def csv_safe(relation: duckdb.DuckDBPyRelation) -> duckdb.DuckDBPyRelation:
    """`relation` with each text value a spreadsheet would run as a formula quoted (``'=...``)."""
    picks = []
    for name, kind in zip(relation.columns, relation.types, strict=True):
        column = ColumnExpression(name)
        if str(kind) == "VARCHAR":
            risky = FunctionExpression(
                "regexp_matches", column, ConstantExpression(FORMULA_PATTERN)
            )
            quoted = FunctionExpression("concat", ConstantExpression("'"), column)
            column = CaseExpression(risky, quoted).otherwise(column)
        picks.append(column.alias(name))
    return relation.select(*picks)


def fits_excel(rows: int) -> bool:
    """Whether a table of `rows` data rows fits on one sheet under its header."""
    return rows + 1 <= EXCEL_MAX_ROWS


def excel_bytes(con: duckdb.DuckDBPyConnection, tables: list[str] | None = None) -> bytes:
    """One workbook, one sheet per table (spec §1 columns, dates as Excel dates).

    `tables` defaults to every ledger table. Raises `ValueError` for a table longer than a
    sheet: callers leave those out (and offer CSV instead).
    """
    names = [t.name for t in TABLES] if tables is None else tables
    relations = {t: export_relation(con, t) for t in names}
    for table, relation in relations.items():
        rows = relation.count("*").fetchall()[0][0]
        if not fits_excel(rows):
            raise ValueError(f"{table}: {rows:,} rows do not fit on an Excel sheet")
    workbook = Workbook(write_only=True)
    for table, relation in relations.items():
        _write_sheet(workbook.create_sheet(table), relation)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, relation: duckdb.DuckDBPyRelation) -> None:
    """Header in bold and frozen, then every row of `relation`, streamed in batches."""
    sheet.freeze_panes = "A2"
    for i, name in enumerate(relation.columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = max(12, len(name) + 2)
    bold = Font(bold=True)
    header = []
    for name in relation.columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in relation.iter_rows(batch_size=FETCH_ROWS):
        sheet.append([text_cell(sheet, v) if starts_like_formula(v) else v for v in row])
