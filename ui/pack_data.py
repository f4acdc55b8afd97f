"""The Committee page's "Download pack": the committee pack (reports/pack) of the sidebar's
ledger, entity and as-of date, over every customer, built once per key (a pack takes seconds:
Chromium draws its charts) and handed over as a file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.portfolio.snapshot import Options
from analytics.risk.promises import Commitments, broken_between
from data import export
from reports.pack import Recorded, build_pack, pdf_bytes, xlsx_bytes
from reports.pack.history import pack_history
from reports.pack.stamp import ledger_stamp
from stores.collections import CollectionsStore
from stores.decisions import DecisionStore
from stores.snapshots import SnapshotStore
from stores.workspace import Workspace

from . import auth, cache
from .cache import LedgerKey
from .context import Context
from .scenarios_data import store
from .settings import data_dir

MIME = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class PackFile:
    data: bytes
    file_name: str  # committee-pack-<ledger>-<as-of>.pdf
    mime: str


def pack_download(ctx: Context, suffix: str = ".pdf") -> PackFile:
    """The pack as of the sidebar date as a PDF (or ``suffix=".xlsx"``) for
    ``st.download_button(label, f.data, f.file_name, f.mime)``."""
    s = ctx.settings
    promises, plans, instalments, disputes = _collections()
    workspace = Workspace.in_folder(data_dir())
    snapshots, decisions = SnapshotStore(workspace).headers(), DecisionStore(workspace).table()
    data = cached_pack(ctx.ledger, s.as_of, s.edges, s.window_days, suffix, _scenarios(),
                       promises, plans, instalments, disputes, snapshots, decisions)  # fmt: skip
    name = Path(s.db_path).stem + (f"-{s.entity}" if s.entity else "")
    return PackFile(data, f"committee-pack-{name}-{s.as_of.isoformat()}{suffix}", MIME[suffix])


def pack_buttons(ctx: Context) -> None:
    """The committee pack as of the sidebar date, as a PDF and as a workbook; each is built
    when its button is clicked (drawing the charts takes a few seconds); none for a role that
    may not make the pack."""
    if not auth.can("make_pack"):
        return
    s = ctx.settings
    name = Path(s.db_path).stem + (f"-{s.entity}" if s.entity else "")
    with st.container(horizontal=True):
        for suffix, label in (
            (".pdf", "Committee pack (PDF)"),
            (".xlsx", "Committee pack (Excel)"),
        ):
            st.download_button(
                label, lambda suffix=suffix: pack_download(ctx, suffix).data,
                f"committee-pack-{name}-{s.as_of.isoformat()}{suffix}", MIME[suffix],
                key=f"pack_{suffix[1:]}", icon=":material/picture_as_pdf:" if suffix == ".pdf"
                else ":material/table_view:", on_click="ignore",
            )  # fmt: skip


def _collections() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Collectors' promises, plans, instalments and dispute records (part of the cache key)."""
    records = CollectionsStore(Workspace.in_folder(data_dir()))
    return (*records.commitments(), records.disputes())


def _scenarios() -> tuple[tuple[str, str], ...]:
    """The saved scenarios (name, JSON), part of the cache key: a saved change rebuilds."""
    table = store().table()
    return tuple(zip(table["name"], table["scenario_json"], strict=True))


@st.cache_data(max_entries=4, show_spinner="Building the committee pack…")
def cached_pack(
    ledger: LedgerKey,
    as_of: date,
    edges: tuple[int, ...],
    window_days: int,
    suffix: str,
    scenarios: tuple[tuple[str, str], ...],
    promises: pd.DataFrame,
    plans: pd.DataFrame,
    instalments: pd.DataFrame,
    disputes: pd.DataFrame,
    snapshots: pd.DataFrame,
    decisions: pd.DataFrame,
) -> bytes:
    """The pack's file; every argument is part of the key, so a new snapshot, decision,
    promise or saved scenario builds it again (``decisions``: the whole log, read here
    between the snapshots' dates)."""
    engine = cache.connection(ledger)
    cursor = engine.cursor()
    try:
        settings = export.ledger_settings(cursor)
    finally:
        cursor.close()
    stamp = ledger_stamp(engine, Path(ledger.db_path).stem, source=settings.get("source", ""),
                         loaded_at=settings.get("loaded_at"))  # fmt: skip
    recorded = Recorded(dict(scenarios), promises, plans, instalments, disputes)
    workspace = Workspace.in_folder(data_dir())
    book = Commitments(promises, plans, instalments)
    history = pack_history(as_of, snapshots, SnapshotStore(workspace).load,
                           DecisionStore(workspace).between,
                           lambda start, end: broken_between(engine, book, start, end))  # fmt: skip
    pack = build_pack(engine, as_of, stamp=stamp, recorded=recorded, history=history,
                      options=Options(as_of=as_of, edges=edges, window_days=window_days))  # fmt: skip
    return pdf_bytes(pack) if suffix == ".pdf" else xlsx_bytes(pack)
