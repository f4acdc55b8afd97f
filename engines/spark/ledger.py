"""Open a ledger on Spark: a canonical Parquet folder as it is, or anything DuckDB opens
(a loaded file, a ledger folder, an export with a mapping) written to Parquet first."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from engines.spark.engine import SparkEngine, open_parquet_ledger
from engines.spark.session import check_installed
from engines.spark.tables import parquet_path


def is_parquet_ledger(path: Path | str) -> bool:
    """A folder of canonical Parquet tables (`engines.duckdb.parquet.write_canonical`)."""
    return "://" in str(path) or Path(parquet_path(path, "ledger_settings")).exists()


def open_spark_ledger(
    path: Path | str,
    *,
    master: str | None = None,
    remote: str | None = None,
    currency: str | None = None,
    mapping: Path | str | None = None,
    spark: Any = None,
) -> SparkEngine:
    """A Spark engine over ``path``. A canonical Parquet folder (or URL) is read as it is;
    anything else is opened by DuckDB (validated and loaded as the DuckDB engine would) and its
    canonical tables written to a temporary Parquet folder kept for the engine's life."""
    check_installed(remote=remote)
    if is_parquet_ledger(path):
        return open_parquet_ledger(path, master=master, remote=remote, spark=spark)
    from engines.duckdb import open_ledger
    from engines.duckdb.parquet import write_canonical

    folder = tempfile.TemporaryDirectory(prefix="ledger-parquet-")
    source = open_ledger(path, currency=currency, mapping=mapping)
    try:
        write_canonical(source, folder.name)
    finally:
        source.close()
    engine = open_parquet_ledger(folder.name, master=master, remote=remote, spark=spark)
    engine.keep = folder  # removed when the engine is dropped
    return engine
