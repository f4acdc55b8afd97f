"""Benchmark of the collections worklist (issue 11: ≤ 1 s for one as-of date at 1M invoices;
recording a note ≤ 100 ms).

    .venv/bin/python -m analytics sample --invoices 1000000 --out /tmp/s1m
    .venv/bin/python -m analytics load --ledger /tmp/s1m --db /tmp/l1m.duckdb
    .venv/bin/python bench/bench_collections.py --db /tmp/l1m.duckdb [--as-of 2026-10-31]

Runs in a fresh process. "Cold" is the first worklist after opening the database (modules
imported), "warm" the median of 5 more, both on the calibrated loss rates (no behavioural PD
yet); "snapshot given" passes the portfolio snapshot's customers in, as the pages do from
their cache; "with PDs" is the warm median when a PD per customer is given (no calibration).
One warm run is then timed step by step. Also: the spec §15 collections object alone, 200 promises and
50 three-instalment plans judged on the ledger's payments, the disputes view, and recording
a note in a new workspace (median and largest of 20).
"""

from __future__ import annotations

import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.worker import row_from_worker

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = Path("/tmp/l1m.duckdb")
WARM_RUNS = 5


def _timed(run, n: int = WARM_RUNS) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        run()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _steps(con, as_of: date) -> dict:
    from analytics.metrics.aging import sql_edges
    from analytics.portfolio.snapshot import Options, snapshot
    from analytics.risk.ecl import EclOptions, loss_rates_for
    from core.constants import DEFAULT_BUCKET_EDGES
    from engines import facts

    steps = {
        "customers": lambda: facts.collections_customers(con, as_of=as_of, customer_keys=None),
        "cadence": lambda: facts.collections_cadence(con, as_of=as_of, customer_keys=None, days=7),
        "snapshot": lambda: snapshot(con, Options(as_of=as_of)),
        "calibration": lambda: loss_rates_for(con, EclOptions(as_of=as_of)),
        "exposure": lambda: facts.risk_open_exposure(
            con, as_of=as_of, edges=sql_edges(DEFAULT_BUCKET_EDGES)
        ),
    }
    return {name: _timed(run, 1) for name, run in steps.items()}


def _commitments(customer_ids: list[str], as_of: date):
    import pandas as pd

    from analytics.risk.promises import PROMISE_COLUMNS, Commitments

    made = pd.Timestamp(as_of - timedelta(days=30))
    promises = pd.DataFrame([
        {"promise_id": n, "customer_id": customer_ids[n % len(customer_ids)], "amount": 5000.0,
         "currency": "USD", "promised_date": made + pd.Timedelta(days=7 + n % 40), "made_on": made,
         "invoice_ids": (), "note": None, "who": "bench", "created_at": made, "cancelled_at": None}
        for n in range(200)
    ], columns=PROMISE_COLUMNS)  # fmt: skip
    plans = pd.DataFrame([
        {"plan_id": 1000 + n, "customer_id": customer_ids[(n * 7) % len(customer_ids)],
         "total_amount": 9000.0, "currency": "USD", "made_on": made, "invoice_ids": ("X",),
         "note": None, "who": "bench", "created_at": made, "cancelled_at": None}
        for n in range(50)
    ])  # fmt: skip
    instalments = pd.DataFrame([
        {"plan_id": 1000 + n, "instalment_no": k, "due_date": made + pd.Timedelta(days=14 * k),
         "amount": 3000.0} for n in range(50) for k in (1, 2, 3)
    ])  # fmt: skip
    return Commitments(promises, plans, instalments)


def _note_times(n: int = 20) -> list[float]:
    from stores.collections import CollectionsStore
    from stores.workspace import Workspace, workspace_path

    with tempfile.TemporaryDirectory() as folder:
        store = CollectionsStore(Workspace(workspace_path(folder)), who="bench")
        store.add_note("C00001", "the file and its tables", as_of=date(2026, 10, 31))
        times = []
        for k in range(n):
            t = time.perf_counter()
            store.add_note("C00001", f"Called, promised to pay by Friday ({k})",
                           as_of=date(2026, 10, 31))  # fmt: skip
            times.append(time.perf_counter() - t)
    return times


def _worker(db: str, as_of_text: str) -> dict:
    sys.path.insert(0, str(ROOT))
    import pandas as pd

    from analytics.portfolio.snapshot import Options, snapshot
    from analytics.risk.collections import WorklistOptions, collections_summary, worklist
    from analytics.risk.disputes import RECORD_COLUMNS, disputes
    from analytics.risk.promises import evaluate
    from engines.duckdb.engine import connect

    as_of = date.fromisoformat(as_of_text)
    options = WorklistOptions(as_of=as_of)
    started = time.perf_counter()
    con = connect(db)
    work = worklist(con, options)
    cold = time.perf_counter() - started
    warm = _timed(lambda: worklist(con, options))
    portfolio = snapshot(con, Options(as_of=as_of)).customers  # the pages' cached snapshot
    given = _timed(lambda: worklist(con, options, portfolio=portfolio))
    pds = {int(k): 0.05 for k in work.customers["customer_key"]}
    with_pds = _timed(lambda: worklist(con, options, pd_by_customer=pds))
    book = _commitments(work.customers["customer_id"].tolist(), as_of)
    notes = _note_times()
    return {
        "cold": cold, "warm": warm, "given": given, "with_pds": with_pds, "steps": _steps(con, as_of),
        "summary": _timed(lambda: collections_summary(con, as_of=as_of)),
        "promises": _timed(lambda: evaluate(con, book, as_of=as_of)),
        "disputes": _timed(lambda: disputes(con, pd.DataFrame(columns=RECORD_COLUMNS),
                                            as_of=as_of)),
        "note_median": statistics.median(notes), "note_max": max(notes),
        "customers": len(work.customers), "today": len(work.due_today),
        "week": len(work.due_this_week), "basis": work.loss_basis,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }  # fmt: skip


def main() -> None:
    found = row_from_worker(__doc__, "bench.bench_collections", _worker)
    if found is None:  # this was the worker
        return
    args, row = found
    steps = ", ".join(f"{k} {v:.3f} s" for k, v in row["steps"].items())
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"{args.db} as of {args.as_of}: worklist cold {row['cold']:.3f} s, warm "
          f"{row['warm']:.3f} s ({row['basis']}); warm with the portfolio snapshot given (as "
          f"the pages do) {row['given']:.3f} s; with PDs {row['with_pds']:.3f} s "
          f"(max RSS {row['max_rss_mib']:.0f} MiB)")  # fmt: skip
    print(f"  one warm run: {steps}")
    print(f"  collections object {row['summary']:.3f} s; 200 promises + 50 plans judged "
          f"{row['promises']:.3f} s; disputes view {row['disputes']:.3f} s")  # fmt: skip
    print(f"  recording a note: median {row['note_median'] * 1000:.0f} ms, largest "
          f"{row['note_max'] * 1000:.0f} ms (20 notes)")  # fmt: skip
    print(f"  {row['customers']:,} customers on the list; {row['today']:,} reminders today, "
          f"{row['week']:,} more this week")  # fmt: skip


if __name__ == "__main__":
    main()
