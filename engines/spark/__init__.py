"""Spark, the engine beyond one machine: the same fact queries over a Parquet ledger.

Importing this package needs no PySpark; opening an engine does (`session.check_installed`).
"""

from engines.spark.engine import SparkEngine, open_parquet_ledger
from engines.spark.session import SparkUnavailable, check_installed, spark_session

__all__ = [
    "SparkEngine",
    "SparkUnavailable",
    "check_installed",
    "open_parquet_ledger",
    "spark_session",
]
