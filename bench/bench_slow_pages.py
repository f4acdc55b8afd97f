"""The work behind the three slow pages of issue 15, timed apart from Streamlit: the cash-flow
projection, the simulator's inputs and the Aging history, each for the whole ledger (cold: a
fresh engine) and then for the largest segment (the filter change), in a fresh process.

    .venv/bin/python -m bench.bench_slow_pages --db bench/out/pages-1000000/ledger.duckdb

Prints wall and CPU seconds (process time: every thread, DuckDB's included) per step. On a
machine shared with other work the CPU seconds move less than the wall ones. The simulator is
given the behavioural PDs (``scores``) when its ``prepare`` takes them, so the model fit (the
Risk pages' cost, cached once per ledger and date in the app) is not counted here.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import time
from datetime import date
from pathlib import Path

import pandas as pd

from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from analytics.policy.simulator import prepare
from analytics.portfolio.aging_view import aging_history
from analytics.portfolio.snapshot import Options
from bench.same_figures import segment_filter
from core.filters import ALL_CUSTOMERS
from engines import facts
from engines.duckdb.engine import connect


def timed(row: dict, step: str, work, *args, **kwargs) -> None:
    """``work(*args, **kwargs)``'s wall and CPU seconds as ``row[step]``."""
    wall, cpu = time.perf_counter(), time.process_time()
    work(*args, **kwargs)
    row[step] = [round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)]


def run(db: Path, as_of: date) -> dict:
    engine = connect(db)
    segment = segment_filter(engine)
    dims = facts.customers(engine)
    first = facts.ledger_info(engine)["first_date"]
    scores = pd.DataFrame({"customer_key": dims["customer_key"], "pd": 0.02})
    takes_scores = "scores" in inspect.signature(prepare).parameters
    row: dict = {"load_average": round(os.getloadavg()[0], 1)}
    for name, f in (("all", ALL_CUSTOMERS), ("segment", segment)):
        keys = f.customer_keys(dims)
        extra = (scores,) if takes_scores else ()
        timed(row, f"cashflow/{name}", project, engine, CashflowOptions(as_of=as_of), keys)
        timed(row, f"scenarios/{name}", prepare, engine, as_of, 91, f, *extra)
        timed(row, f"aging/{name}", aging_history, engine, Options(as_of=as_of), keys, start=first)
    row["max_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31))
    args = parser.parse_args()
    print(json.dumps(run(args.db, args.as_of)))


if __name__ == "__main__":
    main()
