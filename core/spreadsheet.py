"""Text cells a spreadsheet would run as a formula, made harmless (OWASP "CSV injection").

A customer named ``=HYPERLINK("http://x","y")`` or ``-2+3`` in a downloaded file is a formula
to Excel or LibreOffice: it runs when the file is opened. Every CSV download writes such text
with a single quote in front (`neutralised`), which spreadsheets show as text; every Excel
download writes it as a string cell marked "quote prefix" (`text_cell`), never as a formula,
with the text itself unchanged. Numbers, negative ones included, stay numbers: only text is
touched.
"""

from __future__ import annotations

from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_PATTERN = "^[=+@\t\r-]"  # the same, as a regular expression (for DuckDB)


def starts_like_formula(value: object) -> bool:
    """Whether `value` is text a spreadsheet would read as a formula.

    >>> [starts_like_formula(v) for v in ("=1+1", "-2+3", "@SUM(A1)", "Acme", -5, "")]
    [True, True, True, False, False, False]
    """
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def neutralised(value: object) -> object:
    """`value` for a CSV cell: formula-like text with a ``'`` in front, anything else as is.

    >>> neutralised('=HYPERLINK("http://x","y")'), neutralised(-2.5), neutralised("Acme")
    ('\\'=HYPERLINK("http://x","y")', -2.5, 'Acme')
    """
    return "'" + value if starts_like_formula(value) else value


def text_cell(sheet, value: object) -> WriteOnlyCell:
    """A write-only workbook cell of `value`; formula-like text is a quote-prefixed string."""
    cell = WriteOnlyCell(sheet, value)
    if starts_like_formula(value):
        cell.data_type = "s"  # openpyxl took it for a formula
        cell.quotePrefix = True
    return cell
