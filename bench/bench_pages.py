"""Page speed (issue 3): every page's first render and its rerun after a filter change, timed
with streamlit's AppTest (in-process, no browser), on the default sample and a 1M ledger.

    .venv/bin/python bench/bench_pages.py                 # default sample (data/ledger.duckdb)
    .venv/bin/python bench/bench_pages.py --invoices 1000000
    .venv/bin/python bench/bench_pages.py --invoices 10000000 --repeat 1 --pages cashflow scenarios

First render: caches cleared, then the page's run (app.py's sidebar + the page).
Filter change: the Segment filter set to the largest segment, then one rerun (the connection
stays cached, every query for the new filter is new). Median of --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PAGES_DIR = ROOT / "app_pages"


def ledger_dir(invoices: int | None) -> Path:
    """A folder holding ledger.duckdb: the default sample, or a generated one under bench/out."""
    if invoices is None:
        return ROOT / "data"
    from data.loader import load_ledger
    from data.sample import generate_sample

    out = ROOT / "bench" / "out"
    folder, db = out / f"s{invoices}", out / f"pages-{invoices}" / "ledger.duckdb"
    if not (folder / "invoices.parquet").exists():
        generate_sample(folder, invoices=invoices)
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        load_ledger(folder, db)
    return db.parent


def largest_segment(folder: Path) -> tuple[str, int]:
    """The segment with the most customers (the filter change) and the ledger's documents."""
    import duckdb

    con = duckdb.connect(str(folder / "ledger.duckdb"), read_only=True)
    segment = con.execute(
        "select segment from customers group by 1 order by count(*) desc limit 1"
    ).fetchone()[0]
    n = con.execute("select count(*) from invoices").fetchone()[0]
    con.close()
    return segment, n


def time_page(page: Path, segment: str) -> tuple[float, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=1800)
    if page.stem == "overview":
        started = time.perf_counter()
        at.run()
        first = time.perf_counter() - started
    else:
        at.run()
        st.cache_data.clear()
        st.cache_resource.clear()
        started = time.perf_counter()
        at.switch_page(str(page.relative_to(ROOT))).run()
        first = time.perf_counter() - started
    assert not at.exception, [e.value for e in at.exception]
    at.sidebar.multiselect(key="sb_segments").set_value([segment])
    started = time.perf_counter()
    at.run()
    rerun = time.perf_counter() - started
    assert not at.exception, [e.value for e in at.exception]
    return first, rerun


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--invoices", type=int, help="generate a ledger of this size (default: the sample)"
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", nargs="+", help="only these pages (file names, no .py)")
    args = parser.parse_args()
    folder = ledger_dir(args.invoices)
    os.environ["RECEIVABLES_DATA_DIR"] = str(folder)
    segment, n = largest_segment(folder)
    print(
        f"ledger: {folder / 'ledger.duckdb'} ({n:,} documents); filter change: segment = {segment}"
    )
    print(f"{'page':<16} {'first render':>13} {'filter rerun':>13}")
    for page in sorted(PAGES_DIR.glob("*.py")):
        if args.pages and page.stem not in args.pages:
            continue
        runs = [time_page(page, segment) for _ in range(args.repeat)]
        first = statistics.median(r[0] for r in runs)
        rerun = statistics.median(r[1] for r in runs)
        print(f"{page.stem:<16} {first:>12.2f}s {rerun:>12.2f}s", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process (one session): {peak:,.0f} MiB; load average "
          f"{os.getloadavg()[0]:.1f} at the end")  # fmt: skip


if __name__ == "__main__":
    main()
