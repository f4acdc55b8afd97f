"""The engine interface: what the analytics need from whatever runs the fact queries.

An engine runs a named query (one file in `engines/sql/`, the one definition of that fact)
with bound parameters and returns a pandas DataFrame, or one row as a dict. DuckDB is the
one implementation today (`engines/duckdb`); a Spark one goes beside it in `engines/spark`.
Nothing above this seam names an engine library: analytics call `engines.facts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import pandas as pd
import pyarrow as pa

from data.parts import with_parts

SQL_DIR = Path(__file__).with_name("sql")
# Spec §8: the tables whose rows belong to one legal entity (customers, rates and orders are
# group-wide). An engine scoped to an entity shadows each with a temporary view of its rows,
# so every fact query reads one entity without knowing it.
ENTITY_TABLES = (
    "invoices",
    "payments",
    "applications",
    "documents",
    "partial_applications",
    "daily_sales",
    "unapplied_cash",
    "month_end_balances",
)
# Spark binds scalar parameters only, so a list-valued argument reaches the SQL as a small
# view the engine registers before the query (a query written with the view's name gets it;
# one still on the list parameter, see engines/portable.py, gets the list).
CUSTOMER_VIEW = "selected_customers"  # customer_key; with $all_customers for "every customer"
BUCKET_VIEW = "aging_buckets"  # bucket, above_days, up_to_days: made from $edges
DAYS_VIEW = "selected_days"  # day: made from $days
LIST_VIEWS = {"customer_keys": CUSTOMER_VIEW, "edges": BUCKET_VIEW, "days": DAYS_VIEW}
# the open ends of the first and last aging bucket, as days (a ledger spans far less)
FAR_DAYS = 10**9


@cache
def sql_text(name: str) -> str:
    """The text of `engines/sql/<name>.sql` (the portable definition of one fact query), with
    the shared parts it names (`data/parts.py`) put in."""
    return with_parts((SQL_DIR / f"{name}.sql").read_text())


def aging_buckets(edges: Sequence[int]) -> pa.Table:
    """Bucket k holds ages above edge k-1 and up to edge k (``edges`` = [0, e1, e2, ...]);
    bucket 0 is every age up to the first edge, the last one every age above the last.

    >>> aging_buckets([0, 30]).to_pydict()
    {'bucket': [0, 1, 2], 'above_days': [-1000000000, 0, 30], 'up_to_days': [0, 30, 1000000000]}
    """
    bounds = [-FAR_DAYS, *edges, FAR_DAYS]
    return pa.table(
        {
            "bucket": pa.array(range(len(bounds) - 1), pa.int32()),
            "above_days": pa.array(bounds[:-1], pa.int64()),
            "up_to_days": pa.array(bounds[1:], pa.int64()),
        }
    )


def bind(name: str, params: Mapping[str, Any]) -> tuple[str, dict[str, Any], dict[str, pa.Table]]:
    """Query ``name``'s text, its scalar parameters and the views its list arguments become."""
    text = sql_text(name)
    scalars, views = dict(params), {}
    if "customer_keys" in params and CUSTOMER_VIEW in text:
        keys = scalars.pop("customer_keys")
        scalars["all_customers"] = keys is None
        views[CUSTOMER_VIEW] = pa.table({"customer_key": pa.array(keys or [], pa.int64())})
    if "edges" in params and BUCKET_VIEW in text:
        views[BUCKET_VIEW] = aging_buckets(scalars.pop("edges"))
    if "days" in params and DAYS_VIEW in text:
        views[DAYS_VIEW] = pa.table({"day": pa.array(list(scalars.pop("days")), pa.date32())})
    return text, scalars, views


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
