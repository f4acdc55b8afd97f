"""DuckDB, the engine for one machine: `connect` a loaded file, or `open_ledger` a folder."""

from engines.duckdb.engine import DuckDBEngine, connect
from engines.duckdb.ledger import open_ledger

__all__ = ["DuckDBEngine", "connect", "open_ledger"]
