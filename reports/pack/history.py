"""What changed since the last pack and the decisions taken since (spec §14), from the
committee snapshots and decisions in the workspace. The reports layer does not open stores:
the caller hands over the store's read functions (``pack_history``), and the pair of
snapshots is chosen and compared by analytics.history.changes (docs/committee.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from reports.columns import Column
from reports.pack.model import PackTable, Section

NO_SNAPSHOTS = "not available yet (fewer than two committee snapshots a week apart up to this date)"
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
    "promises_broken": "Promises broken",
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


@dataclass(frozen=True)
class History:
    """What changed between the last two weekly snapshots up to the pack's date
    (an analytics.history.changes.Changes) and the decisions dated after the earlier one."""

    changes: Any
    decisions: pd.DataFrame
    note: str = ""  # e.g. that no snapshot is dated the pack's day

    @property
    def since(self) -> date:
        return self.changes.before.as_of


def pack_history(
    as_of: date,
    headers: pd.DataFrame,
    load: Callable[[int], tuple],
    decisions_between: Callable[[date, date], pd.DataFrame],
    promises_between: Callable[[date, date], pd.DataFrame] | None = None,
) -> History | None:
    """The history for a pack as of ``as_of``: the weekly pair of snapshots dated up to it
    (``headers`` and ``load`` of stores.snapshots.SnapshotStore), the decisions in (S1, as_of]
    (``DecisionStore.between``), the promises broken between the two snapshots' dates
    (``promises_between``: analytics.risk.promises.broken_between on the pack's ledger and
    the workspace's promises; None: not listed). None without such a pair."""
    from analytics.history.changes import default_pair, what_changed
    from analytics.history.snapshots import CommitteeSnapshot

    if headers.empty:
        return None
    dated = headers[pd.to_datetime(headers["as_of"]).dt.date <= as_of]
    pair = default_pair(dated, weekly=True)
    if pair is None:
        return None
    s1, s2 = (CommitteeSnapshot.from_stored(*load(i)) for i in pair)
    decisions = decisions_between(s1.as_of, as_of)
    note = "" if s2.as_of == as_of else (
        f"No snapshot is dated {as_of:%d %b %Y}: these are the last two up to it. Take one "
        f"with python -m analytics snapshot --as-of {as_of.isoformat()} (or the Committee page)."
    )  # fmt: skip
    broken = promises_between(s1.as_of, s2.as_of) if promises_between else None
    return History(what_changed(s1, s2, promises_broken=broken), decisions, note)


def changes_section(history: History | None) -> Section:
    """The tables of what changed, one per kind of change the snapshots hold."""
    title = "What changed"
    if history is None:
        return Section("changes", title, missing=NO_SNAPSHOTS)
    c = history.changes
    lines = (f"From the snapshot of {c.before.as_of:%d %b %Y} to that of {c.after.as_of:%d %b %Y}.",
             *((history.note,) if history.note else ()), *c.ledger_notes)  # fmt: skip
    frames = c.frames()
    tables = [PackTable(CHANGE_TABLES["headline"], _in_percent(frames["headline"]),
                        HEADLINE_SPEC, pdf_rows=40)] if "headline" in frames else []  # fmt: skip
    tables += [
        PackTable(label, frames[name], change_spec(frames[name]), pdf_rows=10)
        for name, label in CHANGE_TABLES.items() if name in frames and name != "headline"
    ]  # fmt: skip
    return Section("changes", title, lines, tuple(tables))


def _in_percent(headline: pd.DataFrame) -> pd.DataFrame:
    """Shares (0.25) as percentages (25.0) with their change in points, unit "%"."""
    out = headline.copy()
    share = out["unit"] == "share"
    out.loc[share, ["before", "after", "change"]] = (
        out.loc[share, ["before", "after", "change"]].astype(float) * 100
    )
    out.loc[share, "unit"] = "% (change in points)"
    return out


def change_spec(frame: pd.DataFrame) -> dict[str, Column]:
    """Headers and kinds for a what-changed table by its column names: amounts, limits and
    a mover's change as money; utilisation, PD and shares as percentages; dates; counts.

    >>> spec = change_spec(pd.DataFrame(columns=["customer_id", "pd_after", "n_documents"]))
    >>> [(c.label, c.kind) for c in spec.values()]
    [('Customer', 'text'), ('PD after', 'percent'), ('Documents', 'count')]
    """
    return {name: Column(*_header_kind(str(name))) for name in frame.columns}


def _header_kind(name: str) -> tuple[str, str]:
    words = {"customer_id": "Customer", "n_documents": "Documents", "pd_before": "PD before",
             "pd_after": "PD after"}  # fmt: skip
    label = words.get(name, name.replace("_", " ").capitalize())
    if "amount" in name or "limit" in name or name == "change":
        return label, "money"
    if name.startswith(("utilisation", "pd_")) or "share" in name:
        return label, "percent"
    if name.endswith("_date") or name.startswith("date"):
        return label, "date"
    if name.startswith("n_"):
        return label, "count"
    return label, "text"


def decisions_section(history: History | None, as_of: date) -> Section:
    """The committee's decisions dated after the last pack's snapshot, up to ``as_of``."""
    title = "Decisions since the last pack"
    if history is None:
        return Section("decisions", title, missing=NO_SNAPSHOTS)
    taken = history.decisions
    line = (f"{len(taken):,} decision(s) dated after {history.since:%d %b %Y} up to "
            f"{as_of:%d %b %Y}.")  # fmt: skip
    return Section("decisions", title, (line,), (PackTable("Decisions", taken, None, (), 40),))
