"""The load-time facts on Spark: the same `data/sql/` models DuckDB builds at load, transpiled.

Each model is ``create or replace table <name> as <query>``; on Spark the query runs as it is
(after `data.parts.with_parts` and sqlglot) and its result is kept as a temporary view, cached
in memory or written to Parquet under ``out`` (a cluster job: the facts a dashboard reads).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlglot
from sqlglot import exp

from data.facts import fact_models
from data.parts import with_parts
from engines.spark.sql import to_spark


def model_query(text: str) -> tuple[str, str]:
    """(table name, Spark SQL of its query) of one `create or replace table ... as` model."""
    statement = sqlglot.parse_one(with_parts(text), read="duckdb")
    if not isinstance(statement, exp.Create):
        raise ValueError("a fact model must be one `create or replace table ... as` statement")
    return statement.this.name, to_spark(statement.expression.sql("duckdb"))


def build_facts(
    spark: Any,
    *,
    out: str | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """Every fact table from the canonical tables registered as views in ``spark``; each is
    registered as a view in turn (later models read earlier ones). With ``out`` each is
    written to ``<out>/<name>.parquet`` and read back from there; without, cached."""
    built = {}
    models = fact_models()
    for i, model in enumerate(models):
        name, query = model_query(model.read_text())
        if progress:
            progress(i / len(models), f"building {name}")
        frame = spark.sql(query)
        if out:
            path = f"{out.rstrip('/')}/{name}.parquet"
            frame.write.mode("overwrite").parquet(path)
            frame = spark.read.parquet(path)
        else:
            frame = frame.cache()
            frame.count()
        frame.createOrReplaceTempView(name)
        built[name] = frame
    return built
