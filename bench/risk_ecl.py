"""Benchmark of the expected credit loss for one as-of date (issue 10: ≤ 1 s at 1M invoices).

    .venv/bin/python -m analytics sample --invoices 1000000 --out /tmp/s1m
    .venv/bin/python -m analytics load --ledger /tmp/s1m --db /tmp/l1m.duckdb
    .venv/bin/python -m bench.risk_ecl --db /tmp/l1m.duckdb [--as-of 2026-10-31]

Runs in a fresh process. "Cold" is the first ECL after opening the database (modules already
imported), "warm" the median of 5 more; one warm run is then timed step by step (the
calibration over up to 24 month-ends, the open exposure at D, the portfolio snapshot for
insurance, the arithmetic). The calibration reads the load-time month-end outcomes
(data/sql/10) when the ledger has them; "as-of route" then times once the query that computes
the same rows from every document (risk_calibration_outcomes_full, what every calibration ran
before), on the same month-ends, and says whether the two agree. "CLI" is the wall time of
`python -m analytics risk` (a new process: imports, open, ECL, JSON).
"""

from __future__ import annotations

import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bench.worker import row_from_worker

ROOT = Path(__file__).resolve().parents[1]
WARM_RUNS = 5


def _steps(con, options) -> dict:
    from analytics.metrics.aging import sql_edges
    from analytics.portfolio.snapshot import Options, snapshot
    from analytics.risk.ecl import ecl_from, loss_rates_for
    from engines import facts

    times, t = {}, time.perf_counter()
    rates = loss_rates_for(con, options)
    times["calibration"], t = time.perf_counter() - t, time.perf_counter()
    exposure = facts.risk_open_exposure(con, as_of=options.as_of, edges=sql_edges(options.edges))
    times["exposure"], t = time.perf_counter() - t, time.perf_counter()
    customers = snapshot(con, Options(as_of=options.as_of, edges=options.edges)).customers
    times["snapshot"], t = time.perf_counter() - t, time.perf_counter()
    ecl_from(options, rates, exposure, customers)
    times["arithmetic"] = time.perf_counter() - t
    return times


def _routes(con, options) -> dict:
    """Which route the calibration takes, and the as-of route timed once on its month-ends."""
    from analytics.metrics.aging import sql_edges
    from analytics.risk.loss_rates import calibration, is_precomputed
    from engines import facts

    cal = calibration(con, as_of=options.as_of, edges=options.edges)
    if not cal.month_ends:
        return {"route": "none"}
    t = time.perf_counter()
    full = facts.risk_calibration_outcomes_full(
        con, edges=sql_edges(options.edges), horizon_days=options.horizon_days,
        month_ends=list(cal.month_ends),
    )  # fmt: skip
    seconds = time.perf_counter() - t
    fast = is_precomputed(con, cal.month_ends, options.horizon_days)
    columns = ["open_amount", "lost_amount", "next_open_amount", "next_written_off_amount"]
    same = len(full) == len(cal.outcomes) and bool(
        ((full[columns] - cal.outcomes[columns]).abs() <= 1e-9 * full[columns].abs() + 1e-9)
        .all()
        .all()
    )
    return {"route": "load-time" if fast else "as-of", "full_seconds": seconds, "same": same}


def _worker(db: str, as_of: str) -> dict:
    sys.path.insert(0, str(ROOT))
    from analytics.risk.ecl import EclOptions, expected_credit_loss
    from engines.duckdb.engine import connect

    options = EclOptions(as_of=date.fromisoformat(as_of))
    started = time.perf_counter()
    con = connect(db)
    ecl = expected_credit_loss(con, options)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(WARM_RUNS):
        t = time.perf_counter()
        expected_credit_loss(con, options)
        warm.append(time.perf_counter() - t)
    return {
        "cold": cold,
        "warm": statistics.median(warm),
        "steps": _steps(con, options),
        "routes": _routes(con, options),
        "total": ecl.total,
        "net": ecl.total_net_of_insurance,
        "month_ends": ecl.loss_rates.n_month_ends,
        "rates": ecl.rates,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _cli_seconds(db: Path, as_of: str) -> float:
    cmd = [sys.executable, "-m", "analytics", "risk", "--ledger", str(db), "--as-of", as_of]
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, capture_output=True, check=True)
    return time.perf_counter() - started


def main() -> None:
    found = row_from_worker(__doc__, "bench.risk_ecl", _worker)
    if found is None:  # this was the worker
        return
    args, row = found
    steps = ", ".join(f"{k} {v:.3f} s" for k, v in row["steps"].items())
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}")
    print(f"{args.db} as of {args.as_of}: cold {row['cold']:.3f} s, warm {row['warm']:.3f} s "
          f"(max RSS {row['max_rss_mib']:.0f} MiB), CLI {_cli_seconds(args.db, args.as_of):.2f} s")  # fmt: skip
    print(f"  one warm run: {steps}")
    routes = row["routes"]
    if "full_seconds" in routes:
        print(f"  calibration route: {routes['route']}; the as-of route on the same month-ends "
              f"{routes['full_seconds']:.3f} s, same rows to 1e-9: {routes['same']}")  # fmt: skip
    print(f"  ECL {row['total']:,.0f} gross, {row['net']:,.0f} net of insurance, "
          f"{row['month_ends']} calibration month-ends, rates "
          + ", ".join(f"{r:.4f}" for r in row["rates"] or []))  # fmt: skip


if __name__ == "__main__":
    main()
