"""Twenty people at once: concurrent browser sessions against one dashboard server (issue 13).

Not a test: a benchmark that prints its figures (docs/performance.md, "Under load"). It

1. builds two ledgers of the same size from different seeds (A is served first, B replaces it),
2. starts `streamlit run app.py` on loopback over A (the server the browser tests use),
3. opens ``--sessions`` Chromium contexts (one Streamlit session each) that, for ``--seconds``,
   move between pages through the sidebar, type a new as-of date and a customer search, and
   come back to the Overview, timing every rerun from the action to an idle, fully drawn page,
4. optionally replaces the ledger ``--replaces`` times from the CLI while they work
   (`python -m analytics load`, alternating B and A), and
5. samples the server's memory every 0.5 s.

Errors are any exception box or error alert on a page, and any Overview whose Total AR for its
as-of date is neither ledger A's nor ledger B's figure for that date: a half-loaded view would
show a mixture. Each session also records whether it saw the new ledger after a replace.

    python -m bench.load_sessions --invoices 60000 --sessions 20 --seconds 180
    python -m bench.load_sessions --invoices 1000000 --sessions 20 --seconds 180 --replaces 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from data.loader import load_ledger
from data.sample import generate_sample
from engines.duckdb.engine import connect
from reports import format
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, run_streamlit

ROOT = Path(__file__).resolve().parents[1]
PAGES = ["Overview", "Aging", "DSO & collections", "Concentration", "Credit limits",
         "Customer", "Cash flow", "Expected credit loss", "Worklist", "What changed"]  # fmt: skip
DATES = [date(2026, 10, 31), date(2026, 6, 30), date(2025, 12, 31), date(2026, 9, 30)]
SEARCHES = ["", "C0001", "Group", ""]
IDLE = ('[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]')  # fmt: skip
ACTION_TIMEOUT_MS = 120_000


@dataclass
class SessionLog:
    reruns: list[float] = field(default_factory=list)  # seconds, action → idle and drawn
    errors: list[str] = field(default_factory=list)
    overview_checks: int = 0
    saw: set[str] = field(default_factory=set)  # "A" / "B": the ledgers its Overview showed


def ar_texts(db: Path) -> dict[date, str]:
    """Total AR on the Overview card at each date of DATES, as the page formats it."""
    con = connect(db)
    try:
        return {d: format.money(portfolio_metrics(snapshot(con, Options(as_of=d))).ar_total, "USD")
                for d in DATES}  # fmt: skip
    finally:
        con.close()


def build(folder: Path, invoices: int) -> tuple[Path, Path, dict[str, dict[date, str]]]:
    """Two source ledgers (seeds 7 and 8) and their expected Overview AR at each date."""
    sources, expected = {}, {}
    for name, seed in (("A", 7), ("B", 8)):
        src = folder / f"source_{name}"
        generate_sample(src, invoices=invoices, seed=seed)
        load_ledger(src, folder / f"check_{name}.duckdb")
        sources[name], expected[name] = src, ar_texts(folder / f"check_{name}.duckdb")
        print(f"ledger {name}: {invoices:,} invoices, AR at {DATES[0]} {expected[name][DATES[0]]}",
              flush=True)  # fmt: skip
    return sources["A"], sources["B"], expected


def server_rss_mib(pid: int) -> float:
    """Resident memory of the server process and its children (MiB)."""
    total = 0
    for p in [pid, *_children(pid)]:
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next(int(x.split()[1]) for x in fh if x.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total / 1024


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            kids = [int(x) for x in fh.read().split()]
    except OSError:
        return []
    return kids + [g for k in kids for g in _children(k)]


def server_pid(port: int) -> int:
    """The `streamlit run` process listening on ``port`` (found by its command line)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"streamlit" in b" ".join(cmd) and str(port).encode() in cmd:
                return int(entry.name)
    raise RuntimeError(f"no streamlit process on port {port}")


class MemorySampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(server_rss_mib(self.pid))
            time.sleep(0.5)


async def settle(page) -> None:
    await page.locator(IDLE).wait_for(timeout=ACTION_TIMEOUT_MS)
    await page.get_by_test_id("stSkeleton").first.wait_for(
        state="detached", timeout=ACTION_TIMEOUT_MS
    )


async def timed(log: SessionLog, page, action) -> None:
    start = time.perf_counter()
    await action()
    await page.wait_for_timeout(50)  # let the rerun start before waiting for it to end
    await settle(page)
    log.reruns.append(time.perf_counter() - start)
    for test_id in ("stException", "stAlertContentError"):
        if await page.get_by_test_id(test_id).count():
            text = (await page.get_by_test_id(test_id).first.inner_text())[:200]
            log.errors.append(f"{page.url}: {test_id}: {text}")


async def check_overview(log: SessionLog, page, expected: dict[str, dict[date, str]]) -> None:
    box = page.get_by_test_id("stSidebar").get_by_role("textbox", name="As of")
    day = date.fromisoformat(await box.input_value())
    search = (
        await page.get_by_test_id("stSidebar")
        .get_by_role("textbox", name="Customer search")
        .input_value()
    )
    if day not in DATES or search:
        return  # only whole-ledger figures at the dates worked out beforehand are compared
    card = (
        page.get_by_test_id("stMetric").filter(has_text="Total AR").get_by_test_id("stMetricValue")
    )
    shown = (await card.first.inner_text()).strip()
    log.overview_checks += 1
    matches = [name for name, by_day in expected.items() if by_day[day] == shown]
    if matches:
        log.saw.update(matches)
    else:
        log.errors.append(f"half-loaded? Overview at {day} shows {shown}, expected "
                          f"{expected['A'][day]} (A) or {expected['B'][day]} (B)")  # fmt: skip


async def session(browser, url: str, deadline: float, seed: int, expected, log: SessionLog) -> None:
    rng = random.Random(seed)
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(ACTION_TIMEOUT_MS)
    page = await context.new_page()
    page.on("pageerror", lambda exc: log.errors.append(f"js: {exc}"))
    try:
        await timed(log, page, lambda: page.goto(url, wait_until="domcontentloaded"))
        nav = page.get_by_test_id("stSidebarNav")
        sidebar = page.get_by_test_id("stSidebar")
        while time.monotonic() < deadline:
            step = rng.random()
            if step < 0.5:
                title = rng.choice(PAGES)
                await timed(log, page, lambda t=title: nav.get_by_text(t, exact=True).click())
            elif step < 0.75:
                box = sidebar.get_by_role("textbox", name="As of")
                day = rng.choice(DATES).isoformat()
                await timed(log, page, lambda b=box, d=day: _type(b, d))
            else:
                box = sidebar.get_by_role("textbox", name="Customer search")
                text = rng.choice(SEARCHES)
                await timed(log, page, lambda b=box, t=text: _type(b, t))
            if rng.random() < 0.3:
                await timed(log, page, lambda: nav.get_by_text("Overview", exact=True).click())
                await check_overview(log, page, expected)
    except Exception as exc:  # a session that cannot go on is an error, not a crash of the run
        log.errors.append(f"session {seed}: {type(exc).__name__}: {str(exc)[:300]}")
    finally:
        await context.close()


async def _type(box, text: str) -> None:
    await box.fill(text)
    await box.press("Enter")


def replacer(db: Path, sources: list[Path], at: list[float], start: float, done: list) -> None:
    """Replace the served ledger from the CLI at the given offsets (seconds after start)."""
    for offset, src in zip(at, sources, strict=True):
        time.sleep(max(0.0, start + offset - time.monotonic()))
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "analytics", "load", "--ledger", str(src),
                              "--db", str(db)], cwd=ROOT, capture_output=True, text=True)  # fmt: skip
        done.append((round(time.monotonic() - start, 1), src.name, out.returncode,
                     round(time.perf_counter() - t0, 1), out.stderr.strip()[-300:]))  # fmt: skip
        print(f"replaced ledger with {src.name} at +{done[-1][0]} s: rc {out.returncode} "
              f"in {done[-1][3]} s", flush=True)  # fmt: skip


async def run_sessions(url: str, n: int, seconds: float, expected) -> list[SessionLog]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        deadline = time.monotonic() + seconds
        logs = [SessionLog() for _ in range(n)]
        await asyncio.gather(
            *(session(browser, url, deadline, i, expected, logs[i]) for i in range(n))
        )
        await browser.close()
    return logs


def summary(logs: list[SessionLog], memory: list[float], baseline: float, replaced: list) -> dict:
    reruns = np.array([r for log in logs for r in log.reruns])
    errors = [e for log in logs for e in log.errors]
    peak = max(memory) if memory else float("nan")
    return {
        "sessions": len(logs),
        "reruns": int(reruns.size),
        "rerun_p50_s": round(float(np.percentile(reruns, 50)), 2) if reruns.size else None,
        "rerun_p95_s": round(float(np.percentile(reruns, 95)), 2) if reruns.size else None,
        "rerun_max_s": round(float(reruns.max()), 2) if reruns.size else None,
        "errors": len(errors),
        "error_examples": errors[:10],
        "overview_checks": sum(log.overview_checks for log in logs),
        "sessions_that_saw_B": sum("B" in log.saw for log in logs),
        "server_idle_mib": round(baseline),
        "server_peak_mib": round(peak),
        "mib_per_session": round((peak - baseline) / len(logs), 1) if logs else None,
        "replaces": replaced,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--invoices", type=int, default=60_000)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=180)
    parser.add_argument(
        "--replaces", type=int, default=0, help="CLI loads during the run (B, A, …)"
    )
    args = parser.parse_args(argv)
    if args.sessions < 1 or args.seconds <= 0 or args.invoices < 1000 or args.replaces < 0:
        parser.error("--sessions ≥ 1, --seconds > 0, --invoices ≥ 1000 and --replaces ≥ 0")
    with tempfile.TemporaryDirectory(prefix="load-sessions-") as tmp:
        folder = Path(tmp)
        a, b, expected = build(folder, args.invoices)
        data = folder / "data"
        load_ledger(a, data / "ledger.duckdb")
        with run_streamlit(data, folder) as url:
            pid = server_pid(int(url.rsplit(":", 1)[1]))
            baseline = server_rss_mib(pid)
            sampler = MemorySampler(pid)
            sampler.start()
            replaced: list = []
            at = [args.seconds * (i + 1) / (args.replaces + 1) for i in range(args.replaces)]
            thread = threading.Thread(target=replacer, args=(data / "ledger.duckdb",
                                      [b if i % 2 == 0 else a for i in range(args.replaces)], at,
                                      time.monotonic(), replaced), daemon=True)  # fmt: skip
            thread.start()
            logs = asyncio.run(run_sessions(url, args.sessions, args.seconds, expected))
            thread.join()
            sampler.stop.set()
            sampler.join()
    result = {"invoices": args.invoices, "seconds": args.seconds, "cores": os.cpu_count(),
              **summary(logs, sampler.samples, baseline, replaced)}  # fmt: skip
    print(json.dumps(result, indent=2, default=str))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
