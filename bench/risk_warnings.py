"""Benchmark of the early warnings for one as-of date (issue 11: ≤ 1 s at 1M invoices).

    .venv/bin/python -m analytics sample --invoices 1000000 --out /tmp/s1m
    .venv/bin/python -m analytics load --ledger /tmp/s1m --db /tmp/l1m.duckdb
    .venv/bin/python -m bench.risk_warnings --db /tmp/l1m.duckdb [--as-of 2026-10-31]

(As a module from the repository root: run as a file, `bench/` comes first on the path and a
bench script named like a standard module, e.g. `bench/collections.py`, would shadow it.)

Runs in a fresh process. "Cold" is the first evaluation after opening the database (modules
already imported), "warm" the median of 5 more; one warm run is then timed step by step (the
snapshot's customer rows, the three fact queries, the rules). "History" is the evaluation with
first-seen dates (D and up to 12 month-ends before, nothing cached, as the Watchlist's first
visit); "rows" turns every warning into the page's rows (reasons in words).
"""

from __future__ import annotations

import platform
import resource
import statistics
import sys
import time
from datetime import date
from pathlib import Path

from bench.worker import row_from_worker

ROOT = Path(__file__).resolve().parents[1]
WARM_RUNS = 5


def _steps(con, as_of: date) -> dict:
    from analytics.risk import warning_inputs as wi
    from analytics.risk.warning_settings import DEFAULT_SETTINGS
    from analytics.risk.warnings import available_rules, warnings_from
    from engines import facts

    times, t = {}, time.perf_counter()
    customers = wi.snapshot_customers(con, as_of)
    times["snapshot"], t = time.perf_counter() - t, time.perf_counter()
    facts.warning_late_items(con, as_of=as_of, min_days_past_due=DEFAULT_SETTINGS.late_days)
    times["late items"], t = time.perf_counter() - t, time.perf_counter()
    wi.settlement_days(con, as_of)
    times["settlements"], t = time.perf_counter() - t, time.perf_counter()
    wi.sales_periods(con, as_of)
    times["sales periods"], t = time.perf_counter() - t, time.perf_counter()
    inputs = wi.customer_inputs(con, as_of, customers=customers)
    t = time.perf_counter()
    warnings_from(as_of, DEFAULT_SETTINGS, inputs, available_rules(wi.NO_OTHER_INPUTS))
    times["rules"] = time.perf_counter() - t
    return times


def _worker(db: str, as_of: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from analytics.risk.warnings import evaluate, selected, warning_rows, warnings_with_history
    from engines.duckdb.engine import connect

    day = date.fromisoformat(as_of)
    started = time.perf_counter()
    con = connect(db)
    w = evaluate(con, day)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RUNS):
        t = time.perf_counter()
        evaluate(con, day)
        warm.append(time.perf_counter() - t)
    steps = _steps(con, day)
    t = time.perf_counter()
    history = warnings_with_history(con, day)
    history_seconds = time.perf_counter() - t
    t = time.perf_counter()
    rows = warning_rows(history, selected(history), "USD")
    return {
        "cold": cold,
        "warm": statistics.median(warm),
        "steps": steps,
        "history": history_seconds,
        "rows": time.perf_counter() - t,
        "n_rows": len(rows),
        "n_customers": len(w.inputs),
        "counts": w.counts(),
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    found = row_from_worker(__doc__, "bench.risk_warnings", _worker)
    if found is None:  # this was the worker
        return
    args, row = found
    steps = ", ".join(f"{k} {v:.3f} s" for k, v in row["steps"].items())
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"{args.db} as of {args.as_of}, {row['n_customers']:,} customers: cold "
          f"{row['cold']:.3f} s, warm {row['warm']:.3f} s (max RSS {row['max_rss_mib']:.0f} MiB)")  # fmt: skip
    print(f"  one warm run: {steps}")
    print(f"  with first seen (13 dates, uncached) {row['history']:.2f} s; "
          f"{row['n_rows']:,} rows in words {row['rows']:.3f} s")  # fmt: skip
    print("  counts: " + ", ".join(f"{k} {v}" for k, v in row["counts"].items()))


if __name__ == "__main__":
    main()
