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
    "month_end_outcomes",
)
# Spark binds scalar parameters only, so a list-valued argument reaches the SQL as a small
# view the engine registers before the query (a query written with the view's name gets it;
# one still on the list parameter, see engines/portable.py, gets the list).
CUSTOMER_VIEW = "selected_customers"  # customer_key; with $all_customers for "every customer"
BUCKET_VIEW = "aging_buckets"  # age_days, bucket: made from $edges
DAYS_VIEW = "selected_days"  # day: made from $days
# lists of ledger ids (as the workspace's records name them): view, its one column
ID_VIEWS = {
    "invoice_ids": ("selected_invoices", "invoice_id"),
    "customer_ids": ("selected_customer_ids", "customer_id"),
}
LIST_VIEWS = {
    "customer_keys": CUSTOMER_VIEW,
    "edges": BUCKET_VIEW,
    "days": DAYS_VIEW,
    **{argument: view for argument, (view, _column) in ID_VIEWS.items()},
}


@cache
def sql_text(name: str) -> str:
    """The text of `engines/sql/<name>.sql` (the portable definition of one fact query), with
    the shared parts it names (`data/parts.py`) put in."""
    return with_parts((SQL_DIR / f"{name}.sql").read_text())


def aging_buckets(edges: Sequence[int]) -> pa.Table:
    """The bucket of every age in days from 0 to one past the last edge: bucket k holds ages
    above edge k-1 and up to edge k (``edges`` = [0, e1, e2, ...]). A query joins an age
    clamped to that range on equality (ages up to 0 are bucket 0, those above the last edge
    the last bucket): a hash join, where a range join to the buckets cost DuckDB half the
    query at 1M invoices.

    >>> aging_buckets([0, 2]).to_pydict()
    {'age_days': [0, 1, 2, 3], 'bucket': [0, 1, 1, 2]}
    """
    ages = range(0, edges[-1] + 2)
    return pa.table(
        {
            "age_days": pa.array(ages, pa.int64()),
            "bucket": pa.array([sum(a > e for e in edges) for a in ages], pa.int32()),
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
    for argument, (view, column) in ID_VIEWS.items():
        if argument in params and view in text:
            views[view] = pa.table({column: pa.array(list(scalars.pop(argument)), pa.string())})
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
