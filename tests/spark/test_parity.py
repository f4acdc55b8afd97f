"""Both engines give the same numbers (issue 14): every portable fact query and the metric set,
on DuckDB and on Spark over the same Parquet copy of a ledger, at several as-of dates, equal to
1e-9 relative (1e-6 absolute for sums that should be 0: the engines add in different orders).

Ledgers: the hand-worked ledgers of tests/analytics/portfolio/test_report.py (partial and
future payments, a credit note, a dispute, unapplied cash) and tests/engines/test_entities.py
(three entities, EUR at a rate, a write-off), the sample generator's ledger cut to ~2,000
invoices, and the IBM export through its mapping (../shared/data).
"""

from __future__ import annotations

import inspect
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from analytics.portfolio.breakdown import DIMENSIONS, breakdown
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from analytics.portfolio.trend import monthly_trend
from engines import facts
from engines.base import SQL_DIR
from engines.duckdb import open_ledger
from engines.duckdb.parquet import write_canonical
from engines.portable import NOT_YET_PORTABLE
from engines.spark.engine import open_parquet_ledger
from tests.analytics.portfolio.test_report import base_tables
from tests.engines import test_entities as entities
from tests.ledger_factory import write_ledger

ROOT = Path(__file__).resolve().parents[2]
IBM_CSV = ROOT.parent / "shared" / "data" / "ibm_ar_late_payments.csv"
IBM_MAPPING = ROOT / "mappings" / "ibm_ar_late_payments.toml"
PORTABLE = sorted(p.stem for p in SQL_DIR.glob("*.sql") if p.stem not in NOT_YET_PORTABLE)
DATES = {
    "report": [date(2024, 2, 20), date(2024, 3, 31)],
    "entities": [date(2024, 2, 29), date(2024, 3, 31)],
    "sample": [date(2025, 6, 30), date(2026, 10, 31)],
    "ibm": [date(2012, 6, 30), date(2013, 9, 15)],
}
RTOL, ATOL = 1e-9, 1e-6


def ledger_source(name: str, folder: Path) -> tuple[Path, Path | None]:
    if name == "report":
        return write_ledger(folder / "report", **base_tables()), None
    if name == "entities":
        tables = dict(customers=entities.CUSTOMERS, invoices=entities.INVOICES,
                      payments=entities.PAYMENTS, fx_rates=entities.FX)  # fmt: skip
        return write_ledger(folder / "entities", **tables), None
    if name == "sample":
        from data.sample import generate_sample

        generate_sample(folder / "sample", invoices=2_000, seed=7)
        return folder / "sample", None
    if not IBM_CSV.exists():
        pytest.skip(f"{IBM_CSV} is not here")
    return IBM_CSV, IBM_MAPPING


@pytest.fixture(scope="session", params=list(DATES))
def engines(request, spark, tmp_path_factory):
    """(DuckDB engine, Spark engine, as-of dates) over one ledger: DuckDB loads it, writes its
    canonical tables to Parquet, Spark reads that copy and builds its own facts."""
    folder = tmp_path_factory.mktemp(request.param)
    source, mapping = ledger_source(request.param, folder)
    duck = open_ledger(source, mapping=mapping)
    write_canonical(duck, folder / "parquet")
    yield duck, open_parquet_ledger(folder / "parquet", spark=spark), DATES[request.param]
    duck.close()


def arguments(name: str, as_of: date) -> dict:
    """Arguments for query ``name`` as of ``as_of``: its window, edges, dates, a customer."""
    month_end = date(as_of.year, as_of.month, 1) - timedelta(days=1)
    values = {
        "as_of": as_of, "start": as_of - timedelta(days=90), "basis": "due",
        "edges": [0, 30, 60, 90, 120], "customer_keys": None, "n": 12,
        "first_month_end": date(month_end.year - 1, month_end.month, 1) - timedelta(days=1),
        "month_end": month_end, "currency": "EUR", "dimension": "segment",
        "days": [month_end, as_of], "customer_key": 0,
        "norm_start": as_of - timedelta(days=365), "recent_start": as_of - timedelta(days=90),
        "end": as_of, "max_amount": None, "min_amount": 100.0, "invoice_multiple": 3.0,
        "min_days_past_due": 15, "period_days": 30, "n_periods": 4, "max_lag": 120,
        "rate_date": as_of, "periods": 3, "months": 6, "late_days": 30,
        "invoice_ids": ["I1", "I2", "I3"], "customer_ids": ["A", "B", "C1"],
        "half_life_days": 180.0, "history_days": 730, "max_days": 120, "min_days": -30,
        "horizon_days": 365,
    }  # fmt: skip
    if name == "collections_cadence":
        values["days"] = 30  # its days ahead, not a list of dates
    names = list(inspect.signature(getattr(facts, name)).parameters)[1:]
    return {n: values[n] for n in names}


def comparable(name: str, result):
    """The part of a result both engines must agree on: a ledger's fingerprint hashes rows
    with each engine's own hash() (Spark's is Murmur3, DuckDB's is not), so only its counts,
    cents and dates are compared."""
    if name == "ledger_fingerprint":
        return {k: v for k, v in result.items() if not k.endswith("_xor")}
    return result


def missing_as_none(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as objects with None for a missing value: DuckDB gives pandas' string
    dtype (NaN), Spark objects (None)."""
    frame = frame.copy()
    for column in frame.columns:
        if pd.api.types.is_string_dtype(frame[column]):
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), None)
    return frame


def same(a, b) -> None:
    """Equal up to row order, column types and 1e-9 relative."""
    if isinstance(a, dict):
        a, b = pd.DataFrame([a]), pd.DataFrame([b])
    assert list(a.columns) == list(b.columns)
    assert len(a) == len(b)
    if a.empty:
        return
    a, b = missing_as_none(a), missing_as_none(b)
    keys = [c for c in a.columns if not pd.api.types.is_float_dtype(a[c])] or list(a.columns)
    a = a.sort_values(keys, kind="stable").reset_index(drop=True)
    b = b.sort_values(keys, kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name", PORTABLE)
def test_every_portable_query_gives_the_same_rows_on_both_engines(engines, name):
    duck, spark, dates = engines
    for as_of in dates[
        -1:
    ]:  # one date a query (a Spark query costs seconds); the metric set has both
        args = arguments(name, as_of)
        try:
            same(*(comparable(name, getattr(facts, name)(e, **args)) for e in (spark, duck)))
        except AssertionError as exc:
            raise AssertionError(f"{name} as of {as_of}: {exc}") from exc


def test_a_customer_list_and_other_edges_give_the_same_rows(engines):
    duck, spark, dates = engines
    for as_of in dates:
        args = dict(as_of=as_of, basis="invoice", customer_keys=[0, 1], edges=[0, 15, 45])
        same(facts.aging_bucket_totals(spark, **args), facts.aging_bucket_totals(duck, **args))
        args = dict(as_of=as_of, customer_keys=[1])
        same(facts.open_totals(spark, **args), facts.open_totals(duck, **args))


def metric_values(engine, as_of: date) -> dict:
    snap = snapshot(engine, Options(as_of=as_of))
    metrics = portfolio_metrics(snap, top_n=5)
    return {k: v for k, v in vars(metrics).items() if isinstance(v, int | float | None)}


def test_the_metric_set_is_the_same_on_both_engines(engines):
    duck, spark, dates = engines
    for as_of in dates:
        a, b = metric_values(spark, as_of), metric_values(duck, as_of)
        assert a.keys() == b.keys()
        for key, value in b.items():
            if value is None:  # undefined (spec: no sales in the window…) on both or neither
                assert a[key] is None, key
            else:
                assert a[key] == pytest.approx(value, rel=RTOL, abs=ATOL, nan_ok=True), key


def test_the_trend_and_a_breakdown_are_the_same_on_both_engines(engines):
    duck, spark, dates = engines
    as_of = dates[-1]
    same(monthly_trend(spark, as_of, 90, 12), monthly_trend(duck, as_of, 90, 12))
    for by in ("segment", "customer"):
        assert by in DIMENSIONS
        snaps = [snapshot(e, Options(as_of=as_of)) for e in (spark, duck)]
        same(breakdown(spark, snaps[0], by), breakdown(duck, snaps[1], by))
