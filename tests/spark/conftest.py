"""The parity suite's shared pieces: one local SparkSession for the whole run (a JVM start
costs seconds), and every test here marked `spark` (left out of `make test`; `make
test-spark` runs them). Without PySpark or Java the suite is skipped, saying what to install.

Each ledger's tests are one xdist group, so `pytest -n 2 --dist loadgroup` (make test-spark)
builds each ledger's facts once, on one of two workers, each with its own session."""

from __future__ import annotations

import pytest

from engines.spark.session import SparkUnavailable, check_installed, spark_session


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/spark/" in item.nodeid:
            item.add_marker(pytest.mark.spark)
            ledger = getattr(item, "callspec", None) and item.callspec.params.get("engines")
            if ledger:
                item.add_marker(pytest.mark.xdist_group(ledger))


@pytest.fixture(scope="session")
def spark():
    try:
        check_installed()
    except SparkUnavailable as exc:
        pytest.skip(str(exc))
    session = spark_session("local[2]", quick_start=True)
    yield session
    session.stop()
