"""Loaders and actions for the What changed page: the snapshots and decisions kept in the data
folder's workspace (stores/snapshots.py, stores/decisions.py), what changed between two
snapshots (analytics.history.changes) and the later one's figures recomputed on the ledger
open now (restatements). A snapshot never changes, so it is cached by its id; the list of
snapshots and the decisions follow the workspace file's modification time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.history.changes import Changes, restatements, what_changed
from analytics.history.snapshots import CommitteeSnapshot, Progress, Taken, take_snapshot
from analytics.risk.promises import Commitments, broken_between
from analytics.risk.warning_rules import BY_NAME
from core.errors import LedgerError
from reports import format
from stores.collections import CollectionsStore
from stores.decisions import Decision, DecisionStore
from stores.snapshots import SnapshotStore
from stores.workspace import Workspace, workspace_path

from . import auth, cache
from .context import Context
from .settings import data_dir
from .warnings_data import broken_promises_now

UNITS = {"share": "%", "days": "days", "count": "customers", "index": "points", "number": ""}


def _workspace() -> Workspace:
    return Workspace.in_folder(data_dir())


def stamp() -> tuple[str, int]:
    """The workspace file and its modification time (0 before it exists): the cache key of
    everything read from it that can change."""
    path = workspace_path(data_dir())
    return str(path), path.stat().st_mtime_ns if path.exists() else 0


@st.cache_data(max_entries=8, show_spinner=False)
def cached_headers(path: str, mtime: int) -> pd.DataFrame:
    return SnapshotStore(Workspace(path)).headers()


def headers() -> pd.DataFrame:
    """Every snapshot of the workspace (no figures), oldest date first."""
    return cached_headers(*stamp())


@st.cache_data(max_entries=16, show_spinner="Reading the snapshot…")
def cached_snapshot(path: str, snapshot_id: int) -> CommitteeSnapshot:
    return CommitteeSnapshot.from_stored(*SnapshotStore(Workspace(path)).load(snapshot_id))


@st.cache_data(max_entries=16, show_spinner="Comparing the two snapshots…")
def cached_changes(
    ledger: cache.LedgerKey, path: str, mtime: int, before_id: int, after_id: int
) -> Changes:
    before, after = cached_snapshot(path, before_id), cached_snapshot(path, after_id)
    workspace = Workspace(path)
    decisions = DecisionStore(workspace).between(before.as_of, after.as_of)
    recorded = Commitments(*CollectionsStore(workspace).commitments())
    broken = broken_between(cache.connection(ledger), recorded, before.as_of, after.as_of)
    return what_changed(before, after, decisions=_named(decisions, after.customers),
                        promises_broken=broken)  # fmt: skip


def changes(ctx: Context, before_id: int, after_id: int) -> Changes:
    """What changed between two snapshots, with the decisions taken and the promises broken
    in between (the promises judged on the sidebar's ledger, every entity)."""
    path, mtime = stamp()
    return cached_changes(whole_ledger(ctx), path, mtime, before_id, after_id)


@st.cache_data(max_entries=16, show_spinner="Recomputing the later snapshot's figures today…")
def cached_restatements(ledger: cache.LedgerKey, path: str, snapshot_id: int) -> pd.DataFrame:
    return restatements(cache.connection(ledger), cached_snapshot(path, snapshot_id))


def whole_ledger(ctx: Context) -> cache.LedgerKey:
    """The sidebar's ledger, every entity: what snapshots are taken and recomputed on."""
    return cache.LedgerKey(ctx.settings.db_path, ctx.mtime, None)


def restated(ctx: Context, snapshot_id: int) -> pd.DataFrame:
    """The spec §7 figures of a snapshot beside the same recomputed on the sidebar's ledger."""
    return cached_restatements(whole_ledger(ctx), stamp()[0], snapshot_id)


def take(ctx: Context, progress: Progress) -> Taken:
    """Take the snapshot as of the sidebar's date on its ledger (every entity), with the
    promises collectors recorded judged at that date."""
    ledger = whole_ledger(ctx)
    store = SnapshotStore(_workspace(), who=auth.who())
    return take_snapshot(cache.connection(ledger), ctx.settings.as_of, store,
                         ledger=str(Path(ledger.db_path).resolve()), progress=progress,
                         broken_promises=broken_promises_now(ctx))  # fmt: skip


def label(row) -> str:
    """How a snapshot reads in the pickers: date, number, ledger and content."""
    ledger = Path(str(row["ledger"] or row["source"] or "?")).stem
    return f"{pd.Timestamp(row['as_of']):%d %b %Y} · #{row['snapshot_id']} · {ledger} " \
           f"({row['content_hash'][:7]})"  # fmt: skip


def ref_label(as_of: date, snapshot_id: int | None) -> str:
    """A snapshot in a column header: '31 Oct (#7)'."""
    return f"{as_of:%d %b} (#{snapshot_id})"


# --- tables as the page shows them ------------------------------------------------------------


def headline_table(result: Changes, restated_rows: pd.DataFrame | None) -> pd.DataFrame:
    """Every headline figure at both snapshots with its change, shares in % (their change in
    points), the unit in words, and the later one recomputed today with its restated flag."""
    out = result.headline.copy()
    if restated_rows is not None:
        out = out.merge(restated_rows[["key", "today", "is_restated"]], on="key", how="left")
    else:
        out[["today", "is_restated"]] = [float("nan"), None]
    scale = out["unit"].map({"share": 100.0}).fillna(1.0)
    values = ["before", "after", "change", "today"]
    out[values] = out[values].mul(scale, axis=0)
    out["unit"] = out["unit"].map({**UNITS, "money": result.after.currency})
    out["is_restated"] = out["is_restated"].astype("boolean")
    return out


def warning_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Warnings raised or cleared, each with its label."""
    return frame.assign(label=[BY_NAME[w].label if w in BY_NAME else w for w in frame["warning"]])


def _named(decisions: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    names = customers.set_index("customer_id")["name"]
    return decisions.assign(name=decisions["customer_id"].map(names))


# --- decisions --------------------------------------------------------------------------------


def decisions_table(ctx: Context) -> pd.DataFrame:
    """Every decision, latest first, with the customer's name."""
    frame = DecisionStore(_workspace()).table()
    return _named(frame, cache.dimensions(whole_ledger(ctx)))


@st.cache_data(max_entries=32, show_spinner=False)
def cached_customer_decisions(path: str, mtime: int, customer_id: str) -> pd.DataFrame:
    return DecisionStore(Workspace(path)).table(customer_id)


def customer_decisions(customer_id: str) -> pd.DataFrame:
    """One customer's decisions, latest first (stores.decisions COLUMNS)."""
    return cached_customer_decisions(*stamp(), customer_id)


def customer_choices(ctx: Context) -> dict[str, str]:
    """customer id → 'id · name', for the decision form."""
    dims = cache.dimensions(whole_ledger(ctx))
    return {c: f"{c} · {n}" for c, n in zip(dims["customer_id"], dims["name"], strict=True)}


def current_terms(ctx: Context, customer_id: str) -> tuple[float | None, int | None]:
    """The customer's credit limit and payment terms in the ledger (None when not set)."""
    dims = cache.dimensions(whole_ledger(ctx)).set_index("customer_id")
    if customer_id not in dims.index:
        return None, None
    row = dims.loc[customer_id]
    limit = None if pd.isna(row["credit_limit"]) else float(row["credit_limit"])
    terms = None if pd.isna(row["payment_terms_days"]) else int(row["payment_terms_days"])
    return limit, terms


def parsed(text: str, field: str, *, whole: bool = False) -> float | int | None:
    """A typed amount or number of days (blank: None); LedgerError naming ``field``."""
    if not (text or "").strip():
        return None
    try:
        value = format.parse_amount(text)
    except ValueError:
        raise LedgerError(f"decision not recorded: {field}: {text!r} is not a number") from None
    if whole and value != int(value):
        raise LedgerError(f"decision not recorded: {field}: whole days, got {text!r}")
    return int(value) if whole else value


def record(ctx: Context, decision: Decision) -> int:
    """Record a decision against a customer of the sidebar's ledger (LedgerError if bad)."""
    customers = set(cache.dimensions(whole_ledger(ctx))["customer_id"])
    return DecisionStore(_workspace(), who=auth.who()).record(decision, customers=customers)
