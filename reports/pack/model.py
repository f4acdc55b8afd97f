"""What a committee pack holds: its sections' sentences, tables and charts, as plain data.

A pack is built once (reports.pack.build) and rendered as a PDF (reports.pack.pdf) or a
workbook (reports.pack.xlsx); both print the same numbers. Money is in the ledger's
reporting currency.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
import plotly.graph_objects as go

from reports.columns import Table


@dataclass(frozen=True)
class LedgerStamp:
    """Which ledger the pack is of, printed in every page's footer: its name, source, load
    time and content hash (None until snapshots hash the ledger; the load time stands in)."""

    name: str
    source: str = ""
    loaded_at: str | None = None
    content_hash: str | None = None

    def footer(self, as_of: date) -> str:
        """'ledger sample · as of 31 Oct 2026 · hash 1a2b3c4d5e6f' (or '· loaded …')."""
        if self.content_hash:
            mark = f"hash {self.content_hash[:12]}"
        else:
            mark = f"loaded {self.loaded_at or 'at an unknown time'}"
        return f"ledger {self.name} · as of {as_of:%d %b %Y} · {mark}"


@dataclass(frozen=True)
class Recorded:
    """What users wrote in the workspace, read by the caller (the reports layer does not open
    stores): saved scenarios by name (their JSON), collectors' promises, plans and
    instalments (stores.collections), and dispute records. None: not read."""

    scenarios: Mapping[str, str] = field(default_factory=dict)
    promises: pd.DataFrame | None = None
    plans: pd.DataFrame | None = None
    instalments: pd.DataFrame | None = None
    dispute_records: pd.DataFrame | None = None


@dataclass(frozen=True)
class PackTable:
    """A table: every row and column goes in the workbook; the PDF prints ``pdf_columns``
    (all with a label when empty) of the first ``pdf_rows`` rows and says how many more."""

    title: str
    frame: pd.DataFrame
    spec: Table | None = None
    pdf_columns: tuple[str, ...] = ()
    pdf_rows: int = 15


@dataclass(frozen=True)
class Section:
    """One part of the pack. ``missing`` says why it is left out (e.g. its source is not
    built yet); such a section has no figures, only that line in the contents."""

    key: str
    title: str
    lines: tuple[str, ...] = ()
    tables: tuple[PackTable, ...] = ()
    charts: tuple[go.Figure, ...] = ()
    missing: str | None = None

    @property
    def is_available(self) -> bool:
        return self.missing is None


@dataclass(frozen=True)
class Headline:
    """One figure of the cover: now, at the comparison date, and how to print it."""

    label: str
    kind: str  # money | share | days | index | count | hhi
    value: float | None
    before: float | None


@dataclass(frozen=True)
class Pack:
    as_of: date
    currency: str
    stamp: LedgerStamp
    compared_to: date | None  # the headline figures' comparison date
    compared_how: str  # where the comparison figures come from, in words
    headlines: tuple[Headline, ...]
    sections: tuple[Section, ...]
    built_at: datetime

    @property
    def available(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.is_available)
