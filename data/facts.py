"""Facts built once at load time from the canonical tables (docs/architecture.md).

Each fact is one SQL model in `data/sql/`, run in file-name order, with the shared parts it
names (`data/parts.py`) put in; the same text builds them on Spark (`engines/spark`). They turn "open amount
of every document as of D" from a payments-to-invoices aggregation into a range filter
(see docs/performance.md for why).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from data.parts import with_parts

if TYPE_CHECKING:  # a Spark driver builds the same models without DuckDB installed
    import duckdb

SQL_DIR = Path(__file__).with_name("sql")
FACT_TABLES = (
    "rates",
    "applications",
    "documents",
    "partial_applications",
    "daily_sales",
    "unapplied_cash",
    "open_orders",
    "month_end_balances",
    "month_end_outcomes",
)


def fact_models() -> list[Path]:
    """The SQL models in the order they must run."""
    return sorted(SQL_DIR.glob("*.sql"))


def build_facts(
    con: duckdb.DuckDBPyConnection,
    progress: Callable[[float, str], None] | None = None,
) -> None:
    """Create or replace every fact table from the loaded canonical tables."""
    models = fact_models()
    for i, model in enumerate(models):
        if progress:
            progress(i / len(models), f"building {model.stem[3:]}")
        con.execute(with_parts(model.read_text()))
    if progress:
        progress(1.0, "facts built")
