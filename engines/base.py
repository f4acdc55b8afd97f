"""The engine interface: what the analytics need from whatever runs the fact queries.

An engine runs a named query (one file in `engines/sql/`, the one definition of that fact)
with bound parameters and returns a pandas DataFrame, or one row as a dict. DuckDB is the
one implementation today (`engines/duckdb`); a Spark one goes beside it in `engines/spark`.
Nothing above this seam names an engine library: analytics call `engines.facts`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

SQL_DIR = Path(__file__).with_name("sql")


@cache
def sql_text(name: str) -> str:
    """The text of `engines/sql/<name>.sql` (the portable definition of one fact query)."""
    return (SQL_DIR / f"{name}.sql").read_text()


class Engine(Protocol):
    """Runs the named fact queries of one loaded ledger."""

    def frame(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        """Rows of query ``name`` with ``params`` bound."""
        ...

    def row(self, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The one row of query ``name`` as a dict ({} when it returns none)."""
        ...

    @property
    def entity(self) -> str | None:
        """The legal entity this engine's figures cover (spec §8); None: consolidated."""
        ...

    def scoped(self, entity: str | None) -> Engine:
        """The same ledger seen through one legal entity's invoices and payments (None:
        consolidated over all). Customers, credit limits, rates and orders are group-wide."""
        ...
