"""Benchmark of the ledger core (issue 2): generate, load, metrics JSON (cold, warm), trend.

    .venv/bin/python bench/bench_ledger.py --invoices 1000000 --invoices 10000000

Each phase runs in a fresh process so its peak memory (max RSS) is its own. Ledgers are kept
under bench/out/ (git-ignored) and reused when present. Prints a table; --json writes it too.
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


def _worker(phase: str, folder: str, db: str) -> dict:
    """Runs inside the child process; returns timings in seconds."""
    sys.path.insert(0, str(ROOT))
    if phase == "generate":
        from data.sample import generate_sample

        n = int(Path(folder).name.removeprefix("s"))
        started = time.perf_counter()
        generate_sample(folder, invoices=n)
        return {"seconds": time.perf_counter() - started}
    if phase == "load":
        from data.loader import load_ledger

        started = time.perf_counter()
        load_ledger(folder, db)
        return {"seconds": time.perf_counter() - started}
    from analytics.portfolio.report import metrics_json, portfolio_metrics
    from analytics.portfolio.snapshot import Options, snapshot
    from analytics.portfolio.trend import monthly_trend
    from engines.duckdb.engine import connect

    def metrics() -> None:
        snap = snapshot(con, Options(as_of=AS_OF))
        json.dumps(metrics_json(portfolio_metrics(snap), snap, "USD"))

    started = time.perf_counter()
    con = connect(db)
    run = metrics if phase == "metrics" else (lambda: monthly_trend(con, AS_OF))
    run()
    cold = time.perf_counter() - started  # includes opening the database
    warm = []
    for _ in range(WARM_RUNS):
        t = time.perf_counter()
        run()
        warm.append(time.perf_counter() - t)
    return {"cold": cold, "warm": statistics.median(warm)}


def run_phase(phase: str, folder: Path, db: Path) -> dict:
    cmd = [sys.executable, __file__, "--worker", phase, str(folder), str(db)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_size(n: int) -> dict:
    folder, db = OUT / f"s{n}", OUT / f"l{n}.duckdb"
    row: dict = {"invoices": n}
    if not (folder / "invoices.parquet").exists():
        row["generate"] = run_phase("generate", folder, db)
        print(f"  generated {n:,} invoices in {row['generate']['seconds']:.1f} s", file=sys.stderr)
    row["load"] = run_phase("load", folder, db)
    print(f"  loaded in {row['load']['seconds']:.1f} s", file=sys.stderr)
    row["metrics"] = run_phase("metrics", folder, db)
    row["trend"] = run_phase("trend", folder, db)
    return row


def machine() -> str:
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), platform.processor())  # fmt: skip
    import os

    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores, {cpu}, {mem:.0f} GiB, Python {platform.python_version()}"


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        result = _worker(*sys.argv[2:5])
        result["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invoices", type=int, action="append", help="ledger size (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    sizes = args.invoices or [1_000_000]
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}", flush=True)
    print(f"{'invoices':>11} {'load s':>7} {'load MiB':>9} {'metrics cold':>13} {'metrics warm':>13} "
          f"{'trend cold':>11} {'trend warm':>11} {'query MiB':>10}")  # fmt: skip
    results = []
    for n in sizes:
        print(f"benchmarking {n:,} invoices…", file=sys.stderr)
        r = bench_size(n)
        results.append(r)
        print(f"{n:>11,} {r['load']['seconds']:>7.1f} {r['load']['peak_mib']:>9.0f} "
              f"{r['metrics']['cold']:>12.3f}s {r['metrics']['warm']:>12.3f}s "
              f"{r['trend']['cold']:>10.3f}s {r['trend']['warm']:>10.3f}s "
              f"{max(r['metrics']['peak_mib'], r['trend']['peak_mib']):>10.0f}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "results": results}, indent=2))


if __name__ == "__main__":
    main()
