"""Where a page's time goes (issue 15): one page's first render and its rerun after a segment
filter change under cProfile, in-process with AppTest as `bench_pages.py` times them.

    .venv/bin/python -m bench.profile_page cashflow --invoices 1000000 --top 30

Prints the wall time of each run and the functions with the most cumulative time in it
(project code only, so the tables read as the page's steps); `--out FILE` keeps the raw
profile of the first render for `python -m pstats` or snakeviz.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time

from bench.bench_pages import ROOT, largest_segment, ledger_dir

PROFILER: list[cProfile.Profile] = []  # the one the script thread enables on its next run


def profile_script_thread() -> None:
    """AppTest runs the app in a script thread, which a profiler enabled in the main thread
    does not see: wrap the script runner's one entry point so that thread enables PROFILER."""
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    original = ScriptRunner._run_script

    def run_script(self, rerun_data):
        PROFILER[0].enable()
        try:
            original(self, rerun_data)
        finally:
            PROFILER[0].disable()

    ScriptRunner._run_script = run_script


def profiled(run, label: str, top: int, out: str | None) -> None:
    """Run ``run()`` under cProfile and print its wall time and the top project functions."""
    profiler = cProfile.Profile()
    PROFILER[:] = [profiler]
    started = time.perf_counter()
    run()
    print(f"\n== {label}: {time.perf_counter() - started:.2f} s")
    if out:
        profiler.dump_stats(out)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
    stats.print_stats(str(ROOT / "(analytics|engines|ui|reports|app_pages|data)"), top)
    print(text.getvalue().split("\n\n", 2)[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("page", help="a file name under app_pages/, without .py")
    parser.add_argument("--invoices", type=int, help="generated ledger size (default: sample)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--out", help="write the first render's raw profile here")
    args = parser.parse_args()
    folder = ledger_dir(args.invoices)
    os.environ["RECEIVABLES_DATA_DIR"] = str(folder)
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    segment = largest_segment(folder)[0]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    PROFILER[:] = [cProfile.Profile()]
    profile_script_thread()
    at.run()
    st.cache_data.clear()
    st.cache_resource.clear()
    page = f"app_pages/{args.page}.py"
    profiled(lambda: at.switch_page(page).run(), "first render", args.top, args.out)
    assert not at.exception, [e.value for e in at.exception]
    at.sidebar.multiselect(key="sb_segments").set_value([segment])
    profiled(at.run, f"rerun, segment = {segment}", args.top, None)
    assert not at.exception, [e.value for e in at.exception]


if __name__ == "__main__":
    main()
