"""The Spark engine: the same named fact queries as DuckDB, over a canonical ledger in Parquet.

Each query is the same `engines/sql/` text (with its parts), printed as Spark SQL by sqlglot
and run with ``spark.sql(text, args=params)``; list arguments become temporary views first
(`engines.base.bind`). Results come back as pandas with DuckDB's column types (dates as
datetime64, decimals as floats), so everything above the seam runs unchanged on the small
aggregated result.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from core.errors import LedgerError
from engines.base import ENTITY_TABLES, bind
from engines.portable import NOT_YET_PORTABLE
from engines.spark.facts import build_facts
from engines.spark.session import spark_session
from engines.spark.sql import to_spark
from engines.spark.tables import read_canonical

# Spark integer types -> the nullable pandas dtype DuckDB gives a column with NULLs
NULLABLE_INTEGERS = {"int": "Int32", "bigint": "Int64", "smallint": "Int16", "tinyint": "Int8"}


class SparkEngine:
    """An `engines.base.Engine` over the ledger tables and facts of one SparkSession. Temporary
    views are the session's, so queries run one at a time (a lock), each registering the
    tables as its engine sees them (one legal entity's rows, or all)."""

    def __init__(self, spark: Any, tables: Mapping[str, Any], entity: str | None = None) -> None:
        self.spark = spark
        self.tables = dict(tables)
        self.entity = entity  # None: consolidated over every entity (spec §8)
        self._lock = threading.RLock()

    def scoped(self, entity: str | None) -> SparkEngine:
        if entity == self.entity:
            return self
        scoped = SparkEngine(self.spark, self.tables, entity)
        scoped.tables = self.tables  # the same tables: views are told apart by (tables, entity)
        scoped._lock = self._lock  # one session, one set of views
        return scoped

    def _register(self) -> None:
        """Make the session's views this engine's tables (skipped when they already are)."""
        mine = (id(self.tables), self.entity)
        if getattr(self.spark, "_ledger_views", None) == mine:
            return
        self.spark._ledger_views = mine
        for name, frame in self.tables.items():
            if self.entity is not None and name in ENTITY_TABLES:
                frame = frame.where(frame["entity"] == self.entity)
            frame.createOrReplaceTempView(name)

    def query(self, name: str, params: Mapping[str, Any]) -> Any:
        """Query ``name`` as a Spark DataFrame (not yet run)."""
        if name in NOT_YET_PORTABLE:
            raise LedgerError(
                f"{name}: not yet written in portable SQL ({NOT_YET_PORTABLE[name]}),"
                " so the Spark engine cannot run it; use the DuckDB engine"
            )
        text, scalars, views = bind(name, params)
        self._register()
        for view, table in views.items():
            self.spark.createDataFrame(table).createOrReplaceTempView(view)
        return self.spark.sql(to_spark(text), args=scalars)

    def frame(self, name: str, params: Mapping[str, Any]) -> pd.DataFrame:
        with self._lock:
            return to_pandas(self.query(name, params))

    def row(self, name: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """The first row as DuckDB's fetchall gives it: dates as dates, decimals as floats."""
        with self._lock:
            found = self.query(name, params).take(1)
        if not found:
            return {}
        return {k: float(v) if isinstance(v, Decimal) else v for k, v in found[0].asDict().items()}

    def close(self) -> None:
        """Leave the session to its owner (tests and the CLI share one per process)."""


def to_pandas(frame: Any) -> pd.DataFrame:
    """A Spark result as DuckDB's `.df()` gives it: decimals as float64, dates datetime64[us],
    integers with NULLs as pandas' nullable Int32/Int64 (<NA>, not NaN), missing text None."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import DateType, DecimalType

    fields = frame.schema.fields
    decimals = [f.name for f in fields if isinstance(f.dataType, DecimalType)]
    if decimals:
        frame = frame.select(
            *(
                F.col(c).cast("double").alias(c) if c in decimals else F.col(c)
                for c in frame.columns
            )
        )
    out = frame.toPandas()
    for f in fields:
        kind = f.dataType.simpleString()
        if isinstance(f.dataType, DateType):
            out[f.name] = pd.to_datetime(out[f.name]).astype("datetime64[us]")
        elif kind in NULLABLE_INTEGERS and out[f.name].isna().any():
            out[f.name] = out[f.name].astype(NULLABLE_INTEGERS[kind])
        elif kind == "string" and out[f.name].isna().any():
            out[f.name] = out[f.name].astype(object).where(out[f.name].notna(), None)
    return out


def open_parquet_ledger(
    folder: Path | str,
    *,
    master: str | None = None,
    remote: str | None = None,
    spark: Any = None,
) -> SparkEngine:
    """A Spark engine over the canonical ledger in ``folder`` (`engines.duckdb.parquet`
    writes one): reads and checks the tables, builds the facts, caches both."""
    spark = spark or spark_session(master, remote=remote)
    tables = {name: frame.cache() for name, frame in read_canonical(spark, folder).items()}
    for name, frame in tables.items():
        frame.createOrReplaceTempView(name)
    tables.update(build_facts(spark))
    spark._ledger_views = None  # the views are this ledger's now, not the last engine's
    return SparkEngine(spark, tables)
