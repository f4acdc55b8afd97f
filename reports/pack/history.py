"""What changed since the last pack and the decisions taken since, from what the caller read
in the workspace: a ``Changes`` of analytics.history.changes (``what_changed(S1, S2)``) and
the decisions between the two dates (stores.decisions ``DecisionStore.between``). Without
them the two sections are left out and say why."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from reports.columns import Column
from reports.pack.model import PackTable, Section

NO_SNAPSHOTS = "not available yet (no committee snapshot to compare with was given)"
CHANGE_TABLES = {  # Changes.frames() name -> title in the pack
    "headline": "Headline figures",
    "newly_overdue": "Newly overdue customers",
    "cured": "Cured customers (no longer overdue)",
    "bucket_moves": "Amounts that moved bucket",
    "new_over_limit": "New over limit",
    "cleared_over_limit": "No longer over limit",
    "grade_changes": "Grade changes",
    "balance_movers": "Largest balance movers",
    "overdue_movers": "Largest overdue movers",
    "warnings_raised": "Warnings raised",
    "warnings_cleared": "Warnings cleared",
}
HEADLINE_SPEC = {
    "key": None,
    "figure": Column("Figure", "text"),
    "unit": Column("Unit", "text"),
    "before": Column("Before", "number", format="%,.2f"),
    "after": Column("After", "number", format="%,.2f"),
    "change": Column("Change", "number", format="%+,.2f"),
    "change_pct": Column("Change %", "percent"),
}


def changes_section(changes: Any | None) -> Section:
    """The tables of ``changes`` (an analytics.history.changes.Changes), one per kind."""
    title = "What changed"
    if changes is None:
        return Section("changes", title, missing=NO_SNAPSHOTS)
    before, after = changes.before, changes.after
    lines = (f"From the snapshot of {before.as_of:%d %b %Y} to that of {after.as_of:%d %b %Y}.",
             *changes.ledger_notes)  # fmt: skip
    frames = changes.frames()
    tables = tuple(
        PackTable(label, frames[name], HEADLINE_SPEC if name == "headline" else None,
                  pdf_rows=40 if name == "headline" else 10)
        for name, label in CHANGE_TABLES.items() if name in frames
    )  # fmt: skip
    return Section("changes", title, lines, tables)


def decisions_section(decisions: pd.DataFrame | None, since: date | None) -> Section:
    """The committee's decisions dated after ``since`` (the last pack's date)."""
    title = "Decisions since the last pack"
    if decisions is None or since is None:
        return Section("decisions", title, missing=NO_SNAPSHOTS.replace("to compare with", "to "
                       "date the last pack"))  # fmt: skip
    line = f"{len(decisions):,} decision(s) recorded after {since:%d %b %Y}."
    return Section("decisions", title, (line,), (PackTable("Decisions", decisions, None, (), 40),))
