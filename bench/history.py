"""Benchmark of committee snapshots and what changed (issue 12: a snapshot ≤ 10 s at 1M
invoices; what changed between any two of 52 weekly snapshots ≤ 1 s; a 52-week backfill
≤ 5 min).

    .venv/bin/python -m analytics sample --invoices 1000000 --out /tmp/s1m
    .venv/bin/python -m analytics load --ledger /tmp/s1m --db /tmp/l1m.duckdb
    .venv/bin/python -m bench.history --db /tmp/l1m.duckdb [--as-of 2026-10-31] [--weeks 52]
        [--workspace DIR]

Snapshots go to the workspace of a data folder of their own (``--workspace``, default a new
folder under /tmp), never data/workspace: the worker sets AR_DATA_DIR to it. Runs in a fresh
process: the fingerprint (median of 3), one snapshot as of D timed step by step (cold: the
first in the process, into a workspace of its own), one as of the day before (warm), the first
again (a no-op), the backfill of ``--weeks`` weekly snapshots ending at D (with a
reused ``--workspace`` the dates already there are no-ops), then what changed between the
first and last and between the last two, each read from the store as the page reads it
(median of 5), and the restatement check of the later one.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5


def _timed(f):
    started = time.perf_counter()
    value = f()
    return time.perf_counter() - started, value


def _snapshot_steps(con, as_of, store) -> dict:
    """One snapshot, taken, with the time of each step (from its progress messages)."""
    from analytics.history.snapshots import take_snapshot

    marks: list[tuple[float, str]] = []
    total, taken = _timed(lambda: take_snapshot(
        con, as_of, store, progress=lambda f, m: marks.append((time.perf_counter(), m))))  # fmt: skip
    steps = {m: round(b - a, 3) for (a, m), (b, _) in zip(marks, marks[1:], strict=False)}
    return {"total": total, "created": taken.created, "steps": steps, "id": taken.snapshot_id}


def _diff(store, before_id: int, after_id: int) -> dict:
    """Reading two snapshots from the store and comparing them, as the page does (median)."""
    from analytics.history.changes import what_changed
    from analytics.history.snapshots import CommitteeSnapshot

    def run():
        a = CommitteeSnapshot.from_stored(*store.load(before_id))
        b = CommitteeSnapshot.from_stored(*store.load(after_id))
        return what_changed(a, b)

    times = [_timed(run)[0] for _ in range(RUNS)]
    changes = run()
    return {"median": statistics.median(times), "max": max(times),
            "newly_overdue": len(changes.newly_overdue), "cured": len(changes.cured),
            "moves": len(changes.bucket_moves)}  # fmt: skip


def _worker(db: str, as_of: str, weeks: int) -> dict:
    sys.path.insert(0, str(ROOT))
    from analytics.history.changes import restatements
    from analytics.history.snapshots import (
        CommitteeSnapshot,
        ledger_fingerprint,
        snapshot_dates,
        take_snapshots,
    )
    from config import load_config
    from engines.duckdb.engine import connect
    from stores.snapshots import SnapshotStore
    from stores.workspace import Workspace

    day = date.fromisoformat(as_of)
    folder = load_config().data_dir  # AR_DATA_DIR, set by the parent
    store = SnapshotStore(Workspace.in_folder(folder))
    con = connect(db)
    fingerprint = statistics.median(_timed(lambda: ledger_fingerprint(con))[0] for _ in range(3))
    single = SnapshotStore(Workspace.in_folder(tempfile.mkdtemp(prefix="bench-one-")))
    one = _snapshot_steps(con, day, single)  # cold: the first in this process
    warm = _snapshot_steps(con, day - timedelta(days=1), single)
    again = _snapshot_steps(con, day, single)
    dates = snapshot_dates(day - timedelta(days=7 * (weeks - 1)), day, "week")
    backfill, taken = _timed(lambda: list(take_snapshots(con, dates, store)))
    ids = [t.snapshot_id for t in taken]
    size = Workspace.in_folder(folder).path.stat().st_size
    later = CommitteeSnapshot.from_stored(*store.load(ids[-1]))
    restate, _ = _timed(lambda: restatements(con, later))
    return {
        "fingerprint": fingerprint, "one": one, "warm": warm, "again": again["total"],
        "again_created": again["created"], "backfill": backfill, "weeks": len(dates),
        "created": sum(t.created for t in taken), "first_last": _diff(store, ids[0], ids[-1]),
        "last_two": _diff(store, ids[-2], ids[-1]), "restatements": restate,
        "workspace_mib": size / 2**20, "customers": len(later.customers),
        "items": len(later.items), "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, default=Path("/tmp/l1m.duckdb"), help="a loaded ledger")
    parser.add_argument("--as-of", default="2026-10-31")
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--workspace", type=Path, help="data folder for the snapshots (reused)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(_worker(str(args.db), args.as_of, args.weeks)))
        return
    if not args.db.exists():
        raise SystemExit(f"{args.db}: no such ledger; make one as the docstring says")
    folder = args.workspace or Path(tempfile.mkdtemp(prefix="bench-history-"))
    cmd = [sys.executable, "-m", "bench.history", "--worker", "--db", str(args.db),
           "--as-of", args.as_of, "--weeks", str(args.weeks)]  # fmt: skip
    env = {**os.environ, "AR_DATA_DIR": str(folder)}
    started = os.getloadavg()[0]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed:\n{proc.stderr}")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"load average at start {started:.2f}; workspace {folder}")  # fmt: skip
    one = r["one"]
    print(f"{args.db} as of {args.as_of}: {r['customers']:,} customers, {r['items']:,} open "
          f"documents; fingerprint {r['fingerprint']:.3f} s")  # fmt: skip
    print(
        f"  one snapshot {one['total']:.2f} s (created {one['created']}): "
        + ", ".join(f"{k} {v:.2f}" for k, v in one["steps"].items())
    )
    warm = r["warm"]
    print(
        f"  another date, warm {warm['total']:.2f} s: "
        + ", ".join(f"{k} {v:.2f}" for k, v in warm["steps"].items())
    )
    print(f"  the same again {r['again']:.3f} s (created {r['again_created']})")
    print(f"  backfill of {r['weeks']} weeks {r['backfill']:.1f} s ({r['created']} created), "
          f"workspace {r['workspace_mib']:.1f} MiB")  # fmt: skip
    for name in ("first_last", "last_two"):
        d = r[name]
        print(f"  what changed ({name}): median {d['median']:.3f} s, max {d['max']:.3f} s "
              f"({d['newly_overdue']} newly overdue, {d['cured']} cured, {d['moves']} moves)")  # fmt: skip
    print(f"  restatements of the later one {r['restatements']:.2f} s; max RSS "
          f"{r['max_rss_mib']:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
