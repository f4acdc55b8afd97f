"""Open a ledger for analysis: a loaded DuckDB file, or a ledger folder loaded in memory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from data.errors import LedgerError

from .db import connect, query_row

DUCKDB_SUFFIXES = {".duckdb", ".db", ".ddb"}


@dataclass(frozen=True)
class LedgerInfo:
    reporting_currency: str
    first_date: date | None
    last_date: date | None
    n_documents: int
    n_customers: int
    n_payments: int


def open_ledger(
    path: Path | str, *, currency: str | None = None, mapping: Path | str | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``path``.

    A DuckDB file made by the loader is opened as it is. A ledger folder (or one export file
    with ``mapping``) is validated and loaded into memory, with ``currency`` as its
    reporting currency (default USD).
    """
    p = Path(path)
    if not p.exists():
        raise LedgerError(f"{p}: no such ledger folder or database")
    if p.is_file() and p.suffix.lower() in DUCKDB_SUFFIXES:
        return connect(p)
    from data.loader import read_to_connection

    con, _warnings = read_to_connection(p, mapping=mapping, currency=currency or "USD")
    return con


def ledger_info(con: duckdb.DuckDBPyConnection) -> LedgerInfo:
    """Reporting currency, date range and size of the open ledger."""
    row = query_row(con, "ledger_info")
    return LedgerInfo(**row)


def display_currencies(con: duckdb.DuckDBPyConnection, as_of: date) -> list[str]:
    """Currencies the figures can be translated into on ``as_of`` (reporting one first)."""
    from .db import query

    reporting = ledger_info(con).reporting_currency
    others = [c for c in query(con, "currencies", as_of=as_of)["currency"] if c != reporting]
    return [reporting, *others]


def customer_dimensions(con: duckdb.DuckDBPyConnection):
    """The customer dimension (id, name, segment, region, rating, group, limits)."""
    from .db import query

    return query(con, "customers")
