"""Policy simulator speed (issue 5): what a slider move costs, on the default sample and 1M.

    .venv/bin/python bench/bench_scenarios.py                   # default sample (data/)
    .venv/bin/python bench/bench_scenarios.py --invoices 1000000

Three figures per ledger:

- **prepare**: the lever-independent inputs (snapshot, terms/lateness history, PD table,
  the projection's receipts parts, the backtest's invoices), once per ledger, date, window
  and sidebar filter — a fresh process' first call, then the median of repeats;
- **simulate**: the engine after a lever moves (median over a cycle of lever moves: terms,
  elasticity, collection, limit multipliers with blocking, tolerance, months-of-sales rule,
  economics), i.e. what a slider move recomputes;
- **page rerun**: AppTest (in-process, no browser) of the Scenarios page after a slider move,
  sidebar and every table, chart and card included (median over the same moves).

The 1M ledger is generated and loaded under bench/out/ when missing (about 5 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PAGE = "app_pages/scenarios.py"


def ledger_dir(invoices: int | None) -> Path:
    """A folder holding ledger.duckdb: the default sample, or a 1M-style one under bench/out."""
    if invoices is None:
        return ROOT / "data"
    from data.loader import load_ledger
    from data.sample import generate_sample

    out = ROOT / "bench" / "out"
    sample, db = out / f"s{invoices}", out / f"l{invoices}.duckdb"
    if not (sample / "invoices.parquet").exists():
        generate_sample(sample, invoices=invoices)
    if not db.exists():
        load_ledger(sample, db)
    folder = out / f"scenarios-{invoices}"  # the app reads <data folder>/ledger.duckdb
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / "ledger.duckdb"
    if not link.exists():
        link.symlink_to(db.resolve())
    return folder


def lever_moves():
    """(widget, key, value, scenario change) — each applied on top of the previous ones."""
    from analytics.policy.scenario import Collection, Economics, Sales, Terms

    def limits(**kw):
        return lambda s: replace(s, limits=replace(s.limits, **kw))

    return [
        ("slider", "sc_terms_change", 30, lambda s: replace(s, terms=Terms("change", 30))),
        ("slider", "sc_elasticity", 3.0, lambda s: replace(s, sales=Sales(3.0))),
        ("slider", "sc_late_cut", 40.0, lambda s: replace(s, collection=Collection(40.0))),
        ("radio", "sc_limit_action", "block", limits(action="block")),
        ("slider", "sc_mult_D", 0.5, limits(multipliers=(("D", 0.5),))),
        ("slider", "sc_mult_E", 0.25, limits(multipliers=(("D", 0.5), ("E", 0.25)))),
        ("slider", "sc_tolerance", 10.0, limits(tolerance_pct=10.0)),
        ("slider", "sc_terms_change", 60, lambda s: replace(s, terms=Terms("change", 60))),
        ("slider", "sc_coc", 10.0, lambda s: replace(s, economics=Economics(10.0))),
        ("radio", "sc_limit_rule", "months_of_sales", limits(rule="months_of_sales")),
        ("slider", "sc_limit_months", 2.0, limits(months=2.0)),
        ("slider", "sc_late_cut", 10.0, lambda s: replace(s, collection=Collection(10.0))),
    ]


def time_engine(db: Path, repeat: int) -> tuple[float, float, tuple[float, float], int]:
    from analytics.policy.scenario import Scenario
    from analytics.policy.simulator import prepare, simulate
    from engines.duckdb.engine import connect

    con = connect(db)
    as_of = con.con.execute("select max(invoice_date) from invoices").fetchone()[0]
    started = time.perf_counter()
    inputs = prepare(con, as_of)
    cold = time.perf_counter() - started
    warm = []
    for _ in range(repeat):
        started = time.perf_counter()
        prepare(con, as_of)
        warm.append(time.perf_counter() - started)
    scenario, moves = Scenario(), []
    for _ in range(repeat):
        scenario = Scenario()
        for *_, change in lever_moves():
            scenario = change(scenario)
            started = time.perf_counter()
            simulate(inputs, scenario)
            moves.append(time.perf_counter() - started)
    n = int(con.con.execute("select count(*) from invoices").fetchone()[0])
    con.close()
    return cold, statistics.median(warm), (statistics.median(moves), max(moves)), n


def time_page(folder: Path, repeat: int) -> tuple[float, tuple[float, float]]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["RECEIVABLES_DATA_DIR"] = str(folder)
    firsts, reruns = [], []
    for _ in range(repeat):
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        started = time.perf_counter()
        at.switch_page(PAGE).run()
        firsts.append(time.perf_counter() - started)
        assert not at.exception, [e.value for e in at.exception]
        for kind, key, value, _ in lever_moves():
            getattr(at, kind)(key=key).set_value(value)
            started = time.perf_counter()
            at.run()
            reruns.append(time.perf_counter() - started)
            assert not at.exception, [e.value for e in at.exception]
    return statistics.median(firsts), (statistics.median(reruns), max(reruns))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--invoices", type=int, help="a ledger of this size (default: sample)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    folder = ledger_dir(args.invoices)
    cold, warm, move, n = time_engine(folder / "ledger.duckdb", args.repeat)
    print(f"ledger: {folder / 'ledger.duckdb'} ({n:,} invoices), {date.today()}")
    print(f"prepare (cold / warm):         {cold:6.3f} s / {warm:6.3f} s")
    print(f"simulate after a lever move:   {move[0] * 1000:6.1f} ms median, "
          f"{move[1] * 1000:.1f} ms max", flush=True)  # fmt: skip
    first, rerun = time_page(folder, args.repeat)
    print(f"page first render:             {first:6.3f} s")
    print(f"page rerun after a slider move: {rerun[0] * 1000:5.0f} ms median, "
          f"{rerun[1] * 1000:.0f} ms max")  # fmt: skip


if __name__ == "__main__":
    main()
