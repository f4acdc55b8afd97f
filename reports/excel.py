"""One Excel (and CSV) writer for every download: a workbook of named sheets, header row
first, no index. Sheet names are cut to Excel's 31 characters; an empty name becomes "data".

The ledger export (data/export.py, a write-only streaming workbook of the loaded tables) is
written in the data layer, which does not import reports."""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

MAX_SHEET_NAME = 31


def sheet_name(name: str) -> str:
    """Excel's sheet-name limit.

    >>> sheet_name("Receipts by week, baseline and scenario")
    'Receipts by week, baseline and '
    >>> sheet_name("")
    'data'
    """
    return name[:MAX_SHEET_NAME] or "data"


def excel_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An .xlsx with one sheet per frame, in the mapping's order."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=sheet_name(name), index=False)
    return buffer.getvalue()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row and no index.

    >>> csv_bytes(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    b'a,b\\n1,x\\n2,y\\n'
    """
    return frame.to_csv(index=False).encode("utf-8")
