"""Open a ledger for analysis: a loaded DuckDB file, or a ledger folder loaded in memory."""

from __future__ import annotations

from pathlib import Path

from core.constants import DEFAULT_CURRENCY
from core.errors import LedgerError
from engines.duckdb.engine import DuckDBEngine, connect

DUCKDB_SUFFIXES = {".duckdb", ".db", ".ddb"}


def open_ledger(
    path: Path | str, *, currency: str | None = None, mapping: Path | str | None = None
) -> DuckDBEngine:
    """An engine over ``path``.

    A DuckDB file made by the loader is opened read-only as it is. A ledger folder (or one
    export file with ``mapping``) is validated and loaded into memory, with ``currency`` as
    its reporting currency (default USD).
    """
    p = Path(path)
    if not p.exists():
        raise LedgerError(f"{p}: no such ledger folder or database")
    if p.is_file() and p.suffix.lower() in DUCKDB_SUFFIXES:
        return connect(p)
    from data.loader import read_to_connection

    con, _warnings = read_to_connection(p, mapping=mapping, currency=currency or DEFAULT_CURRENCY)
    return DuckDBEngine(con)
