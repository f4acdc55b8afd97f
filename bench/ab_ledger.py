"""Metrics JSON and the 24-month trend, warm (median of 9), on one ledger, for A/B runs.

Run it from the root of each tree being compared (a git worktree per commit), in
interleaved rounds, so both see the same machine load (docs/performance.md, issue 8):

    for t in before after; do (cd $t && .venv/bin/python ../main/bench/ab_ledger.py l1000000.duckdb); done

Prints one JSON line: {"metrics": seconds, "trend": seconds}. Imports fall back to the module
paths of trees before the issue-8 reshape.
"""

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))
try:
    from analytics.portfolio.report import metrics_json, portfolio_metrics
except ImportError:
    from analytics.report import metrics_json, portfolio_metrics
try:
    from analytics.portfolio.snapshot import Options, snapshot
except ImportError:
    from analytics.snapshot import Options, snapshot
try:
    from analytics.portfolio.trend import monthly_trend
except ImportError:
    from analytics.trend import monthly_trend
try:
    from engines.duckdb.engine import connect
except ImportError:
    from analytics.db import connect
con = connect(sys.argv[1] if len(sys.argv) > 1 else "bench/out/l1000000.duckdb")
D = date(2026, 10, 31)


def metrics():
    snap = snapshot(con, Options(as_of=D))
    json.dumps(metrics_json(portfolio_metrics(snap), snap, "USD"))


def trend():
    monthly_trend(con, D)


out = {}
for name, f in (("metrics", metrics), ("trend", trend)):
    f()
    ts = []
    for _ in range(9):
        t = time.perf_counter()
        f()
        ts.append(time.perf_counter() - t)
    out[name] = statistics.median(ts)
print(json.dumps(out))
