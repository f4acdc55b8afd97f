"""The DuckDB engine: a loaded ledger file (or an in-memory load) answering the fact queries.

Every query is a file in `engines/sql/` (with the shared parts it names, `data/parts.py`) run
with bound parameters; list arguments become views registered on the cursor first
(`engines.base.bind`).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from core.errors import LedgerError
from engines.base import ENTITY_TABLES, bind

LEDGER_ALIAS = "ledger"  # the attached file's name; written as a literal in the statements below
REQUIRED_TABLES = {"ledger_settings", "documents", "partial_applications", "daily_sales"}
# A view's body cannot take a bound parameter, so the entity is a per-connection variable;
# the catalog and table names are identifiers from this module, quoted, never user text.
ENTITY_VIEW = (
    'create or replace temp view "{table}" as select * from "{catalog}".main."{table}"'
    " where entity = getvariable('ar_entity')"
)


class DuckDBEngine:
    """An `engines.base.Engine` over one DuckDB connection: queries run on a cursor per thread
    (Streamlit sessions share a cached engine), exports on a cursor of their own."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, path: Path | None = None, entity: str | None = None
    ) -> None:
        self.con = con
        self.path = path
        self.entity = entity  # None: consolidated over every entity (spec §8)
        # a file opened by connect() is ATTACHed as `ledger`; a cursor starts in `memory`
        current = con.execute("select current_database()").fetchall()
        self.catalog = current[0][0]
        self.attached = self.catalog == LEDGER_ALIAS
        self._local = threading.local()

    def scoped(self, entity: str | None) -> DuckDBEngine:
        """The same ledger seen through one legal entity's documents and payments (None:
        consolidated). Shares this engine's connection; its cursors are its own."""
        if entity == self.entity:
            return self
        return DuckDBEngine(self.con, self.path, entity)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor of its own reading the ledger's tables (for work that outlives one
        query, e.g. an export; the caller closes it), scoped to this engine's entity."""
        cur = self.con.cursor()
        if self.attached:
            cur.execute("use ledger")  # LEDGER_ALIAS
        if self.entity is not None:
            cur.execute("set variable ar_entity = $entity", {"entity": self.entity})
            catalog = self.catalog.replace('"', '""')
            for table in present_tables(cur, self.catalog, ENTITY_TABLES):
                cur.execute(ENTITY_VIEW.format(table=table, catalog=catalog))
        return cur

    def _thread_cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (sessions run in threads and share an engine; a DuckDB
        connection must not be used by two threads at once), made once per thread."""
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self.cursor()
        return cur

    def _execute(self, name: str, params: Mapping[str, Any]) -> duckdb.DuckDBPyConnection:
        text, scalars, views = bind(name, params)
        cur = self._thread_cursor()
        for view, table in views.items():
            cur.register(view, table)
        return cur.execute(text, scalars)

    def frame(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        return self._execute(name, params).df()

    def row(self, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        cur = self._execute(name, params)
        cols = [d[0] for d in cur.description]
        found = cur.fetchall()
        return dict(zip(cols, found[0], strict=True)) if found else {}

    def close(self) -> None:
        self.con.close()


def present_tables(
    cur: duckdb.DuckDBPyConnection, catalog: str, names: tuple[str, ...]
) -> list[str]:
    """Those of ``names`` that are tables of ``catalog`` (a ledger loaded before a later fact
    table, e.g. month_end_outcomes, lacks it; its readers fall back, docs/architecture.md)."""
    found = cur.execute(
        "select table_name from duckdb_tables() where database_name = $db", {"db": catalog}
    ).fetchall()
    tables = {row[0] for row in found}
    return [name for name in names if name in tables]


def connect(db_path: Path | str, *, threads: int | None = None) -> DuckDBEngine:
    """Open a loaded ledger database read-only, as the file is now.

    ``duckdb.connect(path)`` would hand back the database instance this process already has
    open at that path, which after a load has replaced the file (``os.replace``) is the old,
    deleted file: the app would go on showing the old ledger. So every engine is a fresh
    in-memory database that ATTACHes the file read-only; an engine opened before a replace
    keeps reading the old file until it is dropped.
    """
    path = Path(db_path)
    if not path.is_file():
        raise LedgerError(f"{path}: no such ledger database (load a ledger first)")
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach $path as ledger (read_only)", {"path": str(path)})  # LEDGER_ALIAS
        con.execute("use ledger")
    except duckdb.Error as exc:
        con.close()
        raise LedgerError(f"{path}: not a DuckDB ledger database ({exc})") from exc
    if threads:
        con.execute("set threads = $n", {"n": threads})
    _check_loaded(con, path)
    return DuckDBEngine(con, path)


def _check_loaded(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = $db", {"db": LEDGER_ALIAS}
    ).fetchall()
    tables = {r[0] for r in rows}
    missing = REQUIRED_TABLES - tables
    if missing:
        raise LedgerError(
            f"{path}: not a loaded ledger (missing tables: {', '.join(sorted(missing))})"
        )
    columns = con.execute(
        "select column_name from duckdb_columns()"
        " where database_name = $db and table_name = 'documents' and column_name = 'entity'",
        {"db": LEDGER_ALIAS},
    ).fetchall()
    if not columns:
        raise LedgerError(
            f"{path}: loaded by an older version of this tool (no legal entities, spec §8);"
            " load the ledger again"
        )
