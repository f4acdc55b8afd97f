"""The audit trail for the Audit page, and the record of a ledger load (stores/audit.py).

A load is logged once it succeeded, in the name of the signed-in user (``ui.auth.who``):
the ledger as it was before (``ledger_summary``: where it came from, when it was loaded, rows
per table; None for a new ledger) and as the load left it (``load_summary``).
"""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import streamlit as st

from core.errors import LedgerError
from data.summary import ledger_summary as ledger_summary
from data.summary import load_summary as load_summary
from reports.columns import Column, Table
from stores import audit
from stores.workspace import Workspace

from .settings import data_dir

FILTER_KEYS = {"who": "au_who", "action": "au_action", "entity": "au_entity", "key": "au_key",
               "dates": "au_dates"}  # fmt: skip
ANY = "Any"
SHOWN_ROWS = 5_000  # rows read for the page (the export holds the same rows)

COLUMNS: Table = {
    "change_id": Column("#", "count", "The change's number: increasing, never reused."),
    "changed_at_utc": Column("When (UTC)", "text", width="medium"),
    "who": Column("Who", "text", "The signed-in user, or the name typed without login."),
    "entity": Column("Object", "text", "What kind of record changed."),
    "entity_key": Column("Object id", "text"),
    "action": Column("Action", "text"),
    "changes": Column(
        "Changed", "text", "The fields whose value changed, before → after.", width="large"
    ),  # fmt: skip
    "before_json": Column("Before (JSON)", "text"),
    "after_json": Column("After (JSON)", "text"),
}


def workspace() -> Workspace:
    return Workspace.in_folder(data_dir())


# --- the record of a load ------------------------------------------------------------------


def record_load(name: str, before: dict | None, after: dict, who: str) -> str | None:
    """Log the load of ledger ``name``; a problem writing the trail comes back as a message
    (the load itself succeeded and stays)."""
    try:
        audit.record_load(workspace(), who, name, before, after)
    except LedgerError as exc:
        return f"The load was not recorded in the audit trail: {exc}"
    return None


# --- the page ------------------------------------------------------------------------------


def changes_text(before: str | None, after: str | None) -> str:
    """``field: old → new`` for each top-level field that differs (a create lists what was
    written, a delete what was removed), ``; `` between them."""
    old, new = _parsed(before), _parsed(after)
    parts = []
    for field in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(field), new.get(field)
        if a != b:
            parts.append(f"{field}: {_short(a)} → {_short(b)}")
    return "; ".join(parts)


def _parsed(text: str | None) -> dict:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


def _short(value, width: int = 40) -> str:
    text = "—" if value is None else json.dumps(value, default=str, ensure_ascii=False)
    text = text.strip('"')
    return text if len(text) <= width else text[: width - 1] + "…"


def filter_from_state() -> audit.TrailFilter:
    """The page's filters as a query of the trail."""
    state = st.session_state

    def picked(name: str) -> str | None:
        value = state.get(FILTER_KEYS[name])
        return None if value in (None, ANY) else value

    dates = state.get(FILTER_KEYS["dates"]) or ()
    start, end = (tuple(dates) + (None, None))[:2] if dates else (None, None)
    return audit.TrailFilter(
        who=picked("who"), action=picked("action"), entity=picked("entity"),
        key=state.get(FILTER_KEYS["key"]) or None, start=start, end=end or start,
        limit=SHOWN_ROWS,
    )  # fmt: skip


def choices() -> dict[str, list[str]]:
    return audit.choices(workspace())


def trail_frame(wanted: audit.TrailFilter) -> pd.DataFrame:
    """The rows ``wanted`` selects, with the ``changes`` column, in ``COLUMNS`` order."""
    rows = audit.trail(workspace(), wanted)
    rows["changed_at_utc"] = rows["changed_at_utc"].dt.strftime("%Y-%m-%d %H:%M:%S")
    rows["changes"] = [
        changes_text(b, a) for b, a in zip(rows["before_json"], rows["after_json"], strict=True)
    ]
    return rows[list(COLUMNS)]


def today_utc() -> date:
    return pd.Timestamp.now(tz="UTC").date()
