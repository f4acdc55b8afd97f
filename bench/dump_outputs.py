"""Dump the CLI's JSON outputs (metrics, trend, breakdown, forecast) for a refactor check.

Run before and after a change that must not move a figure, then compare the two folders:

    python bench/dump_outputs.py --out /tmp/before
    ... change ...
    python bench/dump_outputs.py --out /tmp/after
    python bench/dump_outputs.py --compare /tmp/before /tmp/after    # equal to 1e-9, or the diffs

Ledgers: the bundled sample (data/ledger.duckdb) and the IBM export through its mapping
(../shared/data), each at several dates and options. Commands go through `python -m analytics`
in a subprocess, so internals may change freely between the two runs.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IBM_CSV = ROOT.parent / "shared" / "data" / "ibm_ar_late_payments.csv"
IBM_MAPPING = ROOT / "mappings" / "ibm_ar_late_payments.toml"
DIMENSIONS = ["customer", "segment", "region", "country", "industry", "risk_rating", "group_id"]


def ledgers(work: Path) -> dict[str, Path]:
    ibm_db = work / "ibm.duckdb"
    if not ibm_db.exists():
        run(["load", "--ledger", str(IBM_CSV), "--mapping", str(IBM_MAPPING), "--db", str(ibm_db)])
    return {"sample": ROOT / "data" / "ledger.duckdb", "ibm": ibm_db}


def cases(name: str) -> list[tuple[str, list[str]]]:
    dates = (
        ["2024-06-30", "2025-12-31", "2026-10-31"]
        if name == "sample"
        else ["2012-06-30", "2013-09-15"]
    )
    out: list[tuple[str, list[str]]] = []
    for d in dates:
        out.append((f"metrics-{d}", ["metrics", "--as-of", d]))
        out.append(
            (
                f"metrics-{d}-invoice-w60",
                [
                    "metrics",
                    "--as-of",
                    d,
                    "--basis",
                    "invoice",
                    "--window-days",
                    "60",
                    "--buckets",
                    "15,45,100",
                    "--top-n",
                    "3",
                ],
            )
        )
        out.append((f"trend-{d}", ["trend", "--as-of", d]))
        for dim in DIMENSIONS:
            out.append((f"breakdown-{dim}-{d}", ["breakdown", "--as-of", d, "--by", dim]))
    out.append(("metrics-default", ["metrics"]))
    if name == "sample":
        out.append(("metrics-eur", ["metrics", "--as-of", "2026-10-31", "--currency", "EUR"]))
        out.append(("forecast", ["forecast", "--as-of", "2026-06-30", "--json"]))
    else:
        out.append(("forecast", ["forecast", "--json"]))
    return out


def run(args: list[str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "analytics", *args], cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"python -m analytics {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def dump(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, db in ledgers(out).items():
        for case, args in cases(name):
            text = run([args[0], "--ledger", str(db), *args[1:]])
            (out / f"{name}-{case}.json").write_text(text)
            print(f"{name}-{case}", flush=True)


def close(a, b, path: str, diffs: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            diffs.append(f"{path}: keys {sorted(a)} vs {sorted(b)}")
        for k in a.keys() & b.keys():
            close(a[k], b[k], f"{path}.{k}", diffs)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            diffs.append(f"{path}: length {len(a)} vs {len(b)}")
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            close(x, y, f"{path}[{i}]", diffs)
    elif (
        isinstance(a, float)
        and isinstance(b, (int, float))
        or isinstance(b, float)
        and isinstance(a, int)
    ):
        if not (
            math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(a) and math.isnan(b))
        ):
            diffs.append(f"{path}: {a!r} vs {b!r}")
    elif a != b:
        diffs.append(f"{path}: {a!r} vs {b!r}")


def compare(before: Path, after: Path) -> int:
    files = sorted(p.name for p in before.glob("*.json"))
    identical, diffs = 0, []
    for name in files:
        x, y = (before / name).read_text(), (after / name).read_text()
        if x == y:
            identical += 1
            continue
        close(json.loads(x), json.loads(y), name, diffs)
    print(
        f"{len(files)} outputs: {identical} byte-identical, {len(files) - identical} equal to 1e-9 or listed below"
    )
    for line in diffs[:50]:
        print("  " + line)
    return 1 if diffs else 0


def main() -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--out", type=Path)
    p.add_argument("--compare", nargs=2, type=Path)
    a = p.parse_args()
    if a.compare:
        return compare(*a.compare)
    dump(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
