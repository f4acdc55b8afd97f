"""A SparkSession for the engine: local cores, a cluster master, or Spark Connect.

PySpark is optional (requirements-spark.txt, ~0.5 GB, and Java 17+ for a local or cluster
driver); without it the DuckDB engine keeps working and asking for Spark says what to install.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from typing import Any

from core.errors import LedgerError

INSTALL = (
    "the Spark engine needs PySpark 4.x (pip install -r requirements-spark.txt, or make"
    " test-spark) and Java 17 or later (apt-get install openjdk-17-jre-headless)"
)
DEFAULT_MASTER = "local[2]"
REMOTE_ENV = "SPARK_REMOTE"  # sc://host:15002: Spark Connect, no JVM in this process
SETTINGS = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.ansi.enabled": "true",
}

# a local driver talks to itself on the loopback address, whatever the host name resolves to,
# shuffles into 2 partitions (the default 200 is for a cluster) and, being the executor too,
# gets 4 GiB of heap (the default 1 GiB cannot broadcast the applications' join at 1M invoices)
LOCAL_SETTINGS = {
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.shuffle.partitions": "2",
    "spark.driver.memory": "4g",
}
# small ledgers (tests, a laptop): compiling code costs more than it saves, so the JVM stops at
# its quick compiler and Spark interprets plans instead of generating code for each stage
QUICK_START = {
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
    "spark.sql.codegen.wholeStage": "false",
    "spark.sql.adaptive.enabled": "false",
}


class SparkUnavailable(LedgerError):
    """PySpark or Java is missing: the message names what to install."""


def check_installed(*, remote: str | None = None) -> None:
    """Refuse, naming what to install, when PySpark (or, for a JVM in this process, Java) is
    missing."""
    if importlib.util.find_spec("pyspark") is None:
        raise SparkUnavailable(f"PySpark is not installed: {INSTALL}")
    if remote is None and shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise SparkUnavailable(f"no java on PATH (and JAVA_HOME unset): {INSTALL}")


def spark_session(
    master: str | None = None,
    *,
    remote: str | None = None,
    quick_start: bool = False,
    submitted: bool = False,
) -> Any:
    """The session: Spark Connect at ``remote`` (default $SPARK_REMOTE) when given, else a
    driver with ``master`` (default local[2]; a local one shuffles into 2 partitions); UTC,
    ANSI SQL.
    ``quick_start``: tuned for small ledgers (QUICK_START), as the parity suite runs;
    ``submitted``: run by spark-submit, which sets the master (``master`` is then ignored)."""
    remote = remote or os.environ.get(REMOTE_ENV) or None
    check_installed(remote=remote)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("receivables-facts")
    master = None if remote or submitted else master or DEFAULT_MASTER
    if remote:
        builder = builder.remote(remote)
    elif master:
        builder = builder.master(master)
    settings = dict(SETTINGS)
    if master and master.startswith("local"):
        settings.update(LOCAL_SETTINGS)
    if quick_start:
        settings.update(QUICK_START)
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if not remote:
        spark.sparkContext.setLogLevel("ERROR")
    return spark
