"""Committee snapshots in the workspace (spec §14): ``snapshots``, ``snapshot_customers`` and
``snapshot_items`` (stores/committee_schema.py).

A snapshot is written once, whole, in one transaction of the workspace with its change-log row
(entity "snapshot", the header as JSON after), and never changed or deleted by this store.
Saving a snapshot whose (as-of date, content hash) is already there writes nothing and returns
the stored one's id: taking the same snapshot twice is a no-op. What a snapshot holds and how
it is computed is analytics.history.snapshots' business; this layer keeps rows.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from core.errors import LedgerError
from stores.workspace import DEFAULT_WHO, Change, Workspace

ENTITY = "snapshot"
HEADER_COLUMNS = [
    "as_of", "content_hash", "ledger", "source", "loaded_at", "reporting_currency",
    "bucket_edges", "aging_basis", "window_days", "insurance_coverage", "method_version",
    "metrics_json", "notes_json", "n_customers", "n_items", "seconds",
]  # fmt: skip
LIST_HEADER = ("snapshot_id, as_of, content_hash, ledger, source, loaded_at, reporting_currency,"
               " n_customers, n_items, seconds, taken_at_utc, taken_by")  # fmt: skip


class SnapshotStore:
    """find / save / list / load committee snapshots.

    ``workspace``: a ``Workspace`` or the path of a workspace file; ``who``: the name the
    change log records for a snapshot taken through this store.
    """

    def __init__(self, workspace: Workspace | Path | str, *, who: str = DEFAULT_WHO) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        self.who = who

    # --- reading -----------------------------------------------------------------------------

    def find(self, as_of: date, content_hash: str) -> int | None:
        """The id of the snapshot of ``as_of`` on ledger content ``content_hash``, or None."""
        with self.workspace.read() as con:
            return _find(con, as_of, content_hash)

    def headers(self) -> pd.DataFrame:
        """One row per snapshot (no figures), oldest as-of date first, then in the order they
        were taken."""
        with self.workspace.read() as con:
            return con.execute(
                f"select {LIST_HEADER} from snapshots order by as_of, snapshot_id"
            ).df()

    def load(self, snapshot_id: int) -> tuple[dict[str, Any], pd.DataFrame, pd.DataFrame]:
        """The header row (a dict), the customers and the open documents of a snapshot."""
        params = {"id": int(snapshot_id)}
        with self.workspace.read() as con:
            cur = con.execute("select * from snapshots where snapshot_id = $id", params)
            row = cur.fetchone()
            if row is None:
                raise LedgerError(f"no snapshot {snapshot_id} in {self.workspace.path}")
            header = dict(zip([d[0] for d in cur.description], row, strict=True))
            customers = con.execute(
                "select * exclude (snapshot_id) from snapshot_customers"
                " where snapshot_id = $id order by customer_id",
                params,
            ).df()
            items = con.execute(
                "select * exclude (snapshot_id) from snapshot_items where snapshot_id = $id",
                params,
            ).df()
        return header, _lists(customers), items

    # --- writing (one transaction and one change-log row) -----------------------------------

    def save(
        self, header: Mapping[str, Any], customers: pd.DataFrame, items: pd.DataFrame
    ) -> tuple[int, bool]:
        """Keep a snapshot: its id and True, or the id of the one already there for the same
        as-of date and content hash and False (then nothing is written)."""
        with self.workspace.change(self.who) as change:
            found = _find(change.con, header["as_of"], header["content_hash"])
            if found is not None:
                return found, False
            snapshot_id = _insert_header(change, header)
            _insert_rows(change.con, "snapshot_customers", snapshot_id, customers)
            _insert_rows(change.con, "snapshot_items", snapshot_id, items)
            after = {"snapshot_id": snapshot_id, **{k: header[k] for k in HEADER_COLUMNS}}
            change.log(ENTITY, str(snapshot_id), "create", None, json.dumps(after, default=str))
        return snapshot_id, True


def _find(con: duckdb.DuckDBPyConnection, as_of: date, content_hash: str) -> int | None:
    row = con.execute(
        "select snapshot_id from snapshots where as_of = $as_of and content_hash = $hash",
        {"as_of": as_of, "hash": content_hash},
    ).fetchone()
    return None if row is None else int(row[0])


def _insert_header(change: Change, header: Mapping[str, Any]) -> int:
    values = {k: header[k] for k in HEADER_COLUMNS} | {"at": change.at, "who": change.who}
    names = ", ".join(HEADER_COLUMNS)
    params = ", ".join(f"${k}" for k in HEADER_COLUMNS)
    row = change.con.execute(
        f"insert into snapshots ({names}, taken_at_utc, taken_by) values ({params}, $at, $who)"
        " returning snapshot_id",
        values,
    ).fetchone()
    return int(row[0])


def _insert_rows(
    con: duckdb.DuckDBPyConnection, table: str, snapshot_id: int, frame: pd.DataFrame
) -> None:
    """Append ``frame`` to ``table`` under ``snapshot_id`` in one bulk insert: every column of
    the table must be in the frame (a missing one is refused, naming it)."""
    columns = [c for c in _columns(con, table) if c != "snapshot_id"]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise LedgerError(f"{table}: the snapshot has no {', '.join(missing)}")
    if frame.empty:
        return
    names = ", ".join(columns)
    con.register("snapshot_rows", frame[columns])
    try:
        con.execute(
            f"insert into {table} (snapshot_id, {names}) select $id, {names} from snapshot_rows",
            {"id": snapshot_id},
        )
    finally:
        con.unregister("snapshot_rows")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The columns of a workspace table, in order (the name bound, not formatted in)."""
    rows = con.execute(
        "select column_name from duckdb_columns() where table_name = $table order by column_index",
        {"table": table},
    ).fetchall()
    return [row[0] for row in rows]


def _lists(customers: pd.DataFrame) -> pd.DataFrame:
    """List columns as Python lists (DuckDB gives numpy arrays; NULL stays None)."""
    for column in ("bucket_amounts", "warnings"):
        customers[column] = [
            None if v is None or (isinstance(v, float) and pd.isna(v)) else list(v)
            for v in customers[column]
        ]
    return customers
