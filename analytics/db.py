"""Connections to a loaded ledger and the one way analytics runs SQL.

Every query is a file in `analytics/sql/` run with bound parameters. The table macros they
use (`open_items`, `closing_rates`, `unapplied_at`) are stored in the database at load time
(`data/sql/08_macros.sql`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from data.errors import LedgerError

SQL_DIR = Path(__file__).with_name("sql")


@cache
def sql(name: str) -> str:
    """The text of `analytics/sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text()


def connect(db_path: Path | str, *, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """Open a loaded ledger database read-only, with the analytics macros installed."""
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
    return con


def _check_loaded(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    missing = {"ledger_settings", "documents", "partial_applications", "daily_sales"} - tables
    if missing:
        raise LedgerError(
            f"{path}: not a loaded ledger (missing tables: {', '.join(sorted(missing))})"
        )


def query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run `analytics/sql/<name>.sql` with bound parameters and return a DataFrame."""
    return con.cursor().execute(sql(name), params).df()


def query_row(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> dict[str, Any]:
    """Run a one-row query and return it as a dict."""
    cur = con.cursor().execute(sql(name), params)
    cols = [d[0] for d in cur.description]
    row = cur.fetchone()
    return dict(zip(cols, row, strict=True)) if row else {}
