"""Benchmark of the limits review for one as-of date (issue 10: every Risk page ≤ 3 s at 1M
invoices; the limits' own work is the recommendation and the review table).

    .venv/bin/python -m analytics sample --invoices 1000000 --out /tmp/s1m
    .venv/bin/python -m analytics load --ledger /tmp/s1m --db /tmp/l1m.duckdb
    .venv/bin/python bench/risk_limits.py --db /tmp/l1m.duckdb [--as-of 2026-10-31]

"Cold" is the first run after opening the database, "warm" the median of 5 more; the steps of
one warm run are the step-up query (limit_history.sql), the rest of the recommendation (sales,
customers, arithmetic) and the review table (with the portfolio snapshot it reads).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_RUNS = 5


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import duckdb

    from analytics.portfolio.snapshot import Options, snapshot
    from analytics.risk.limits import LimitSettings, recommended_limits, review_table
    from engines import facts
    from engines.duckdb.engine import connect

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31))
    args = parser.parse_args()

    def review(con):
        limits = recommended_limits(con, args.as_of)
        customers = snapshot(con, Options(as_of=args.as_of)).customers
        return review_table(limits, customers, args.as_of)

    started = time.perf_counter()
    con = connect(args.db)
    table = review(con)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RUNS):
        t = time.perf_counter()
        review(con)
        warm.append(time.perf_counter() - t)
    s = LimitSettings()
    t = time.perf_counter()
    facts.limit_history(con, as_of=args.as_of, late_days=s.late_days, months=s.staged_months)
    history = time.perf_counter() - t
    t = time.perf_counter()
    recommended_limits(con, args.as_of)
    recommendation = time.perf_counter() - t
    print(f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()},"
          f" duckdb {duckdb.__version__}; ledger {args.db} as of {args.as_of}")  # fmt: skip
    print(f"customers {len(table):,}, in the review queue {(table['reasons'] != '').sum():,}")
    print(f"cold {cold:.2f} s · warm median {statistics.median(warm):.2f} s"
          f" (step-up query {history:.2f} s, whole recommendation {recommendation:.2f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
