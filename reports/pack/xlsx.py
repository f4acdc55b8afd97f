"""The pack as a workbook: a Contents sheet with the headline figures and what is left out,
then one sheet per available section, every table through the shared finance-ready writer
(reports.excel: headers with units, number formats, values not formulas)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reports.columns import Column
from reports.excel import MAX_SHEET_NAME, SheetTable, TableMeta, sheet_name, tables_excel
from reports.pack.model import Pack


def render_xlsx(pack: Pack, path: Path | str) -> Path:
    """Write ``pack`` to ``path`` as .xlsx and return it."""
    out = Path(path)
    out.write_bytes(xlsx_bytes(pack))
    return out


def xlsx_bytes(pack: Pack) -> bytes:
    sheets = {"Contents": (_meta(pack, "Committee pack"), _contents(pack))}
    for s in pack.available:
        tables = [SheetTable(t.title, t.frame, t.spec) for t in s.tables]
        if s.lines:
            notes = pd.DataFrame({"note": list(s.lines)})
            tables.insert(0, SheetTable("Summary", notes, {"note": Column("Note", "text")}))
        sheets[sheet_title(s.title)] = (_meta(pack, s.title), tables)
    return tables_excel(sheets)


def sheet_title(title: str) -> str:
    """A section's sheet name: its title without the part before a colon, and without its
    last "and …" parts while longer than a sheet name may be.

    >>> sheet_title("Risk: expected credit loss"), sheet_title("Cash-flow projection and funding gap")
    ('Expected credit loss', 'Cash-flow projection')
    """
    tail = title.split(":", 1)[-1].strip()
    while len(tail) > MAX_SHEET_NAME and " and " in tail:
        tail = tail.rsplit(" and ", 1)[0]
    return sheet_name(tail[:1].upper() + tail[1:])


def _meta(pack: Pack, title: str) -> TableMeta:
    return TableMeta(title, pack.stamp.name, pack.as_of, pack.currency)


def _contents(pack: Pack) -> list[SheetTable]:
    before = f"At {pack.compared_to:%d %b %Y}" if pack.compared_to else "Before"
    figures = pd.DataFrame(
        {"figure": [h.label for h in pack.headlines],
         "unit": [pack.currency if h.kind == "money" else h.kind for h in pack.headlines],
         "value": [h.value for h in pack.headlines],
         "before": [h.before for h in pack.headlines]}
    )  # fmt: skip
    spec = {"figure": Column("Figure", "text"), "unit": Column("Unit", "text"),
            "value": Column(f"At {pack.as_of:%d %b %Y}", "number"),
            "before": Column(before, "number")}  # fmt: skip
    sections = pd.DataFrame(
        {"section": [s.title for s in pack.sections],
         "status": ["in this workbook" if s.is_available else s.missing for s in pack.sections]}
    )  # fmt: skip
    stamp = pd.DataFrame(
        {"item": ["Ledger", "Source", "Loaded", "Content hash", "Compared with"],
         "value": [pack.stamp.name, pack.stamp.source, pack.stamp.loaded_at or "",
                   pack.stamp.content_hash or "(none yet)", pack.compared_how]}
    )  # fmt: skip
    return [
        SheetTable("Headline figures", figures, spec),
        SheetTable(
            "Sections", sections, {"section": Column("Section"), "status": Column("Status")}
        ),
        SheetTable("Ledger", stamp, {"item": Column("Item"), "value": Column("Value")}),
    ]
