"""Benchmark of the Spark engine beside DuckDB (issue 14): the load-time fact build and one
full as-of refresh (the portfolio metrics of a date), on the same canonical Parquet ledger.

    .venv/bin/python -m bench.bench_spark --invoices 1000000        # make bench-spark
    .venv/bin/python -m bench.bench_spark --invoices 1000000 \
        --ledger bench/out/pages-1000000/ledger.duckdb --runs duckdb,local[2]

The ledger is the sample generator's, kept under bench/out/ (as bench/bench_ledger.py makes
it); its loaded canonical tables are written to Parquet once (bench/out/p<n>/). Each run is a
fresh process (one JVM each): DuckDB (in memory, its default threads), then Spark local[2] and
local[1] (2 and 1 executor cores; --runs picks some). Spark's fact build is timed per model and
its refresh per query, which says where its time goes; each step is also printed to stderr as
it ends, so a run stopped by a time limit still says how far it got. Prints one JSON row per
run; --json writes the rows too.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
AS_OF = date(2026, 10, 31)
RUNS = ("duckdb", "local[2]", "local[1]")


def refresh_metrics(engine) -> None:
    """One full as-of refresh: the snapshot and every portfolio metric as of AS_OF."""
    from analytics.portfolio.report import portfolio_metrics
    from analytics.portfolio.snapshot import Options, snapshot

    portfolio_metrics(snapshot(engine, Options(as_of=AS_OF)))


def timed_queries(engine) -> dict[str, float]:
    """Wrap ``engine.frame`` so each named query's seconds are added up."""
    seconds: dict[str, float] = {}
    frame = engine.frame

    def timed(name, params):
        started = time.perf_counter()
        try:
            return frame(name, params)
        finally:
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started

    engine.frame = timed
    return seconds


def duckdb_run(parquet: Path) -> dict:
    import duckdb

    from data.facts import build_facts
    from engines.duckdb import DuckDBEngine
    from engines.spark.tables import CANONICAL, parquet_path

    con = duckdb.connect()
    for table in CANONICAL:
        con.execute(
            f"create table {table} as select * from read_parquet($p)",  # names from CANONICAL
            {"p": parquet_path(parquet, table)},
        )
    started = time.perf_counter()
    build_facts(con)
    build = time.perf_counter() - started
    say(f"duckdb build {build:.1f} s")
    engine = DuckDBEngine(con)
    return {"build": build, **refresh_twice(engine)}


def refresh_twice(engine) -> dict:
    """The first refresh (cold: plans, caches) and the second (warm), with per-query seconds
    of the warm one."""
    started = time.perf_counter()
    refresh_metrics(engine)
    cold = time.perf_counter() - started
    seconds = timed_queries(engine)
    started = time.perf_counter()
    refresh_metrics(engine)
    warm = time.perf_counter() - started
    top = dict(sorted(seconds.items(), key=lambda kv: -kv[1])[:5])
    return {"refresh_cold": cold, "refresh_warm": warm, "refresh_queries": top}


def spark_run(parquet: Path, master: str) -> dict:
    from engines.spark.engine import SparkEngine
    from engines.spark.facts import build_facts
    from engines.spark.session import spark_session
    from engines.spark.tables import read_canonical

    started = time.perf_counter()
    spark = spark_session(master)
    session = time.perf_counter() - started
    started = time.perf_counter()
    tables = {name: frame.cache() for name, frame in read_canonical(spark, parquet).items()}
    for name, frame in tables.items():
        frame.createOrReplaceTempView(name)
        frame.count()
    read = time.perf_counter() - started
    say(f"{master} session {session:.1f} s, read {read:.1f} s")
    models: dict[str, float] = {}
    last = [time.perf_counter(), None]

    def progress(_fraction: float, message: str) -> None:
        now = time.perf_counter()
        if last[1]:
            models[last[1]] = now - last[0]
            say(f"{master} {last[1]}: {models[last[1]]:.1f} s")
        last[:] = [now, message.removeprefix("building ")]

    started = time.perf_counter()
    tables.update(build_facts(spark, progress=progress))
    build = time.perf_counter() - started
    models[last[1]] = time.perf_counter() - last[0]
    say(f"{master} {last[1]}: {models[last[1]]:.1f} s; build {build:.1f} s")
    row = {"session": session, "read": read, "build": build, "build_models": models}
    row.update(refresh_twice(SparkEngine(spark, tables)))
    row["jvm_peak_mib"] = jvm_peak_mib(spark)
    spark.stop()
    return row


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def jvm_peak_mib(spark) -> float | None:
    """The driver JVM's peak resident memory (VmHWM), where /proc tells it."""
    proc = getattr(spark.sparkContext._gateway, "proc", None)  # the launched JVM
    status = Path(f"/proc/{proc.pid}/status") if proc else None
    if not status or not status.exists():
        return None
    for line in status.read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def parquet_ledger(n: int, db: Path | None = None) -> Path:
    """bench/out/p<n>/: the canonical tables of the loaded sample ledger of n invoices (``db``,
    default bench/out/l<n>.duckdb, made by bench/bench_ledger.py when missing)."""
    folder = OUT / f"p{n}"
    if (folder / "orders.parquet").exists():
        return folder
    db = db or OUT / f"l{n}.duckdb"
    if not db.exists():
        subprocess.run([sys.executable, "bench/bench_ledger.py", "--invoices", str(n)],
                       cwd=ROOT, check=True)  # fmt: skip
    from engines.duckdb import connect
    from engines.duckdb.parquet import write_canonical

    write_canonical(connect(db), folder)
    return folder


def run(n: int, which: str) -> dict:
    cmd = [sys.executable, "-m", "bench.bench_spark", "--worker", which, "--invoices", str(n)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"{which} failed (its messages are above)")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--invoices", type=int, action="append", help="ledger size (repeatable)")
    p.add_argument("--json", type=Path, help="also write the rows here")
    p.add_argument("--ledger", type=Path, help="the loaded DuckDB ledger (one --invoices size)")
    p.add_argument("--runs", default=",".join(RUNS), help="comma-separated, of " + ", ".join(RUNS))
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    sizes = args.invoices or [1_000_000]
    if args.worker:
        parquet = OUT / f"p{sizes[0]}"
        row = duckdb_run(parquet) if args.worker == "duckdb" else spark_run(parquet, args.worker)
        row["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(row))
        return
    rows = []
    for n in sizes:
        parquet_ledger(n, args.ledger)
        for which in args.runs.split(","):
            row = {"invoices": n, "engine": which, **run(n, which)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
