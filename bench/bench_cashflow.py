"""Benchmark of the cash-flow projection (issue 4): the default sample and a 1M-invoice ledger.

    .venv/bin/python bench/bench_cashflow.py                     # sample + 1M
    .venv/bin/python bench/bench_cashflow.py --invoices 1000000 --backtest

Each ledger runs in a fresh process. "Cold" is the first projection after opening the
database (modules already imported); "warm" the median of 5 more. The steps of one warm run
are timed apart: lateness history (SQL) and model, open items (SQL), Monte Carlo draws, sales
forecast (ETS) with collection curve. --backtest also times the whole backtest. The 1M ledger
is generated and loaded under bench/out/ when missing (as bench/bench_ledger.py does).
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
AS_OF = date(2026, 10, 31)
WARM_RUNS = 5


def _steps(con, options) -> dict:
    from analytics.cashflow import model as cf
    from analytics.cashflow.open_ar import receipts_from_groups
    from analytics.cashflow.projection import new_sales_receipts, projection_periods
    from engines import facts

    weekly, monthly = projection_periods(options.as_of, options.weeks, options.months)
    horizon = int(max(weekly["last_day"].max(), monthly["last_day"].max()))
    times, t = {}, time.perf_counter()
    model = cf.lateness_model(cf.lateness_history(con, options), facts.customers(con),
                              options.as_of)  # fmt: skip
    times["lateness model"], t = time.perf_counter() - t, time.perf_counter()
    groups = cf.open_item_groups(con, options.as_of)
    times["open items"], t = time.perf_counter() - t, time.perf_counter()
    receipts_from_groups(groups, model, options, horizon)
    times["draws + expectation"], t = time.perf_counter() - t, time.perf_counter()
    new_sales_receipts(con, options, horizon)
    times["sales forecast + curve"] = time.perf_counter() - t
    times["open-item groups"] = len(groups)
    return times


def _worker(db: str, with_backtest: bool) -> dict:
    sys.path.insert(0, str(ROOT))
    from analytics.cashflow.backtest import backtest
    from analytics.cashflow.model import CashflowOptions
    from analytics.cashflow.projection import project
    from engines.duckdb.engine import connect

    started = time.perf_counter()
    con = connect(db)
    options = CashflowOptions(as_of=AS_OF)
    project(con, options)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RUNS):
        t = time.perf_counter()
        project(con, options)
        warm.append(time.perf_counter() - t)
    row = {"cold": cold, "warm": statistics.median(warm), "steps": _steps(con, options)}
    if with_backtest:
        t = time.perf_counter()
        result = backtest(con, options)
        row["backtest"] = {"seconds": time.perf_counter() - t, "origins": len(result.origins)}
    row["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def ledger(n: int | None) -> Path:
    if n is None:
        return ROOT / "data" / "ledger.duckdb"
    folder, db = OUT / f"s{n}", OUT / f"l{n}.duckdb"
    if not db.exists():
        sys.path.insert(0, str(ROOT))
        from data.loader import load_ledger
        from data.sample import generate_sample

        if not (folder / "invoices.parquet").exists():
            generate_sample(folder, invoices=n)
        load_ledger(folder, db)
    return db


def run(db: Path, with_backtest: bool) -> dict:
    cmd = [sys.executable, __file__, "--worker", str(db)] + (
        ["--backtest"] if with_backtest else []
    )
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{db} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--invoices", type=int, action="append",
                        help="ledger sizes besides the default sample (default: 1,000,000)")  # fmt: skip
    parser.add_argument("--backtest", action="store_true", help="also time the whole backtest")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(args.worker, args.backtest)))
        return
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    for n in [None, *(args.invoices or [1_000_000])]:
        row = run(ledger(n), args.backtest)
        steps = ", ".join(
            f"{k} {v:.2f} s" if isinstance(v, float) else f"{k} {v:,}"
            for k, v in row["steps"].items()
        )
        name = "default sample (60k)" if n is None else f"{n:,} invoices"
        extra = ""
        if "backtest" in row:
            extra = f"; backtest {row['backtest']['seconds']:.1f} s ({row['backtest']['origins']} origins)"
        print(f"{name}: cold {row['cold']:.2f} s, warm {row['warm']:.2f} s "
              f"(max RSS {row['max_rss_mib']:.0f} MiB){extra}\n  {steps}")  # fmt: skip


if __name__ == "__main__":
    main()
