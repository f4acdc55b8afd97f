"""Benchmark of the committee pack (issue 12: ≤ 20 s on the sample, ≤ 60 s at 1M invoices):
build the sections, draw the charts (kaleido + Chromium), lay out the PDF (WeasyPrint) and
write the workbook, on a loaded ledger.

    .venv/bin/python -m analytics sample --out /tmp/bundled/sample --seed 7
    .venv/bin/python -m analytics load --ledger /tmp/bundled/sample --db /tmp/bundled/ledger.duckdb
    .venv/bin/python -m bench.pack --db /tmp/bundled/ledger.duckdb [--as-of 2026-10-31] [--runs 3]

Each run opens the database afresh (cold: nothing cached) and times every step; the median
of the runs' totals is the figure to compare with the target. Run it on an idle machine: the
1-minute load average is printed with the figures. (Run it as a module from the project
folder: as a script, a file in bench/ named like a standard-library module would stand in
for it.)
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def one_run(db: Path, as_of: date, out: Path) -> dict[str, float]:
    from engines.duckdb.engine import connect
    from reports.pack import LedgerStamp, build_pack, render_xlsx
    from reports.pack.charts import chart_svgs
    from reports.pack.html import pack_figures
    from reports.pack.pdf import render_pdf

    times: dict[str, float] = {}
    started = last = time.perf_counter()
    current = ""

    def step(_fraction: float, message: str) -> None:
        """build_pack says each step as it starts: the time since belongs to the one before."""
        nonlocal last, current
        now = time.perf_counter()
        if current:
            times[f"  {current}"] = now - last
        last, current = now, message

    con = connect(db)
    pack = build_pack(con, as_of, stamp=LedgerStamp(db.stem), progress=step)
    times["build (all sections)"] = time.perf_counter() - started
    t = time.perf_counter()
    charts = chart_svgs(pack_figures(pack))
    times["charts (kaleido)"] = time.perf_counter() - t
    t = time.perf_counter()
    render_pdf(pack, out / "pack.pdf", charts)
    times["PDF layout (WeasyPrint)"] = time.perf_counter() - t
    times["PDF pack, end to end"] = time.perf_counter() - started
    t = time.perf_counter()
    render_xlsx(pack, out / "pack.xlsx")
    times["workbook from the same pack"] = time.perf_counter() - t
    con.close()
    return times


def pdf_pages(path: Path) -> str:
    """The page count pdfinfo (poppler-utils) reads, or "?" without it."""
    if not shutil.which("pdfinfo"):
        return "?"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    found = re.search(r"Pages:\s+(\d+)", info)
    return found[1] if found else "?"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    import duckdb

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        runs = [one_run(args.db, args.as_of, Path(folder)) for _ in range(args.runs)]
        pages = pdf_pages(Path(folder) / "pack.pdf")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}, duckdb {duckdb.__version__}; load average "
          f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after; ledger {args.db} as of "
          f"{args.as_of}")  # fmt: skip
    totals = [r["PDF pack, end to end"] for r in runs]
    print(
        f"PDF pack ({pages} pages): median {statistics.median(totals):.1f} s over "
        f"{len(runs)} runs (min {min(totals):.1f}, max {max(totals):.1f})"
    )
    last = runs[-1]
    for name, seconds in last.items():
        print(f"  {name:<32} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
