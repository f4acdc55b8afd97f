"""What the one-date benchmarks share: parse --db / --as-of, run the timed work in a fresh
process (``python -m <module> --worker``, so imports and caches start cold the same way each
time) and hand back the JSON row it printed."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = ROOT / "bench" / "out" / "l1000000.duckdb"


def row_from_worker(
    doc: str, module: str, worker: Callable[[str, str], dict]
) -> tuple[argparse.Namespace, dict] | None:
    """In the worker process: print ``worker(db, as_of)`` as JSON and return None. In the
    parent: run ``module`` as the worker and return the parsed arguments and its row."""
    parser = argparse.ArgumentParser(description=doc)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="a loaded ledger file")
    parser.add_argument("--as-of", default="2026-10-31")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(str(args.db), args.as_of)))
        return None
    if not args.db.exists():
        raise SystemExit(f"{args.db}: no such ledger; make one as the docstring says")
    cmd = [sys.executable, "-m", module, "--worker", "--db", str(args.db), "--as-of", args.as_of]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
    if proc.returncode != 0:
        raise SystemExit(f"worker failed:\n{proc.stderr}")
    return args, json.loads(proc.stdout.strip().splitlines()[-1])
