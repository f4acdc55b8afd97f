"""The DuckDB engine: a loaded ledger file (or an in-memory load) answering the fact queries.

Every query is a file in `engines/sql/` run with bound parameters. The table macros they
use (`open_items`, `closing_rates`, `unapplied_at`) are stored in the database at load time
(`data/sql/08_macros.sql`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from core.errors import LedgerError
from engines.base import sql_text

REQUIRED_TABLES = {"ledger_settings", "documents", "partial_applications", "daily_sales"}


class DuckDBEngine:
    """An `engines.base.Engine` over one DuckDB connection (each query on its own cursor)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path | None = None) -> None:
        self.con = con
        self.path = path

    def frame(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        return self.con.cursor().execute(sql_text(name), dict(params)).df()

    def row(self, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        cur = self.con.cursor().execute(sql_text(name), dict(params))
        cols = [d[0] for d in cur.description]
        found = cur.fetchone()
        return dict(zip(cols, found, strict=True)) if found else {}

    def close(self) -> None:
        self.con.close()


def connect(db_path: Path | str, *, threads: int | None = None) -> DuckDBEngine:
    """Open a loaded ledger database read-only."""
    path = Path(db_path)
    if not path.is_file():
        raise LedgerError(f"{path}: no such ledger database (load a ledger first)")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise LedgerError(f"{path}: not a DuckDB ledger database ({exc})") from exc
    if threads:
        con.execute("set threads = $n", {"n": threads})
    _check_loaded(con, path)
    return DuckDBEngine(con, path)


def _check_loaded(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    missing = REQUIRED_TABLES - tables
    if missing:
        raise LedgerError(
            f"{path}: not a loaded ledger (missing tables: {', '.join(sorted(missing))})"
        )
