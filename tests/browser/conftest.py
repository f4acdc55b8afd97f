"""Real-browser fixtures: `streamlit run` on a free port + Debian's chromium via Playwright.

After ../shared/recipes/browser-testing.md (verified on this machine type). Requires
`apt-get install -y chromium` (done by `make test`); Playwright's own browser download is not
usable here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from data.loader import load_ledger
from data.sample import generate_sample
from ui.settings import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
SHOTS = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # running as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_TIMEOUT = 90
PW_TIMEOUT_MS = 60_000
# expect() waits 5 s by default; in CI both cores run other tests beside the browser, so a
# rerun on a loaded machine can take longer than that (four journeys failed at 5 s on CI).
expect.set_options(timeout=30_000)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited early (rc={proc.returncode}):\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"streamlit not healthy after {timeout}s:\n{log.read_text()}")


def _die_with_parent() -> None:  # child, between fork and exec: SIGTERM when pytest dies
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)
    except Exception:
        pass


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    except ProcessLookupError:
        pass


@contextmanager
def run_streamlit(
    data_dir: Path, log_dir: Path, *extra_args: str, port: int | None = None
) -> Iterator[str]:
    """`streamlit run app.py` on ``port`` (default: a free one) over the ledgers in
    ``data_dir``, with ``extra_args`` (e.g. ``--secrets.files``); always stopped."""
    port = port or _free_port()
    log = log_dir / f"streamlit-{port}.log"
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false", "--server.showEmailPrompt", "false",
        *extra_args,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONUNBUFFERED": "1", DATA_DIR_ENV: str(data_dir)}
    with open(log, "wb") as fh:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, env=env,
            start_new_session=True, preexec_fn=_die_with_parent,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log, SERVER_START_TIMEOUT)
        yield url
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def browser_data_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("browser-ledger")
    generate_sample(folder / "sample", invoices=6_000, seed=11)
    load_ledger(folder / "sample", folder / "data" / "ledger.duckdb")
    return folder / "data"


@pytest.fixture(scope="session")
def st_server(browser_data_dir, tmp_path_factory) -> Iterator[str]:
    with run_streamlit(browser_data_dir, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture(scope="session")
def chromium_env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("chromium-home")
    return {
        **os.environ,
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_env):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "env": chromium_env,
    }


@pytest.fixture(scope="session")
def chromium_browser(playwright, chromium_env):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run `make test` (it installs Debian's chromium)")
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=CHROMIUM_ARGS,
        env=chromium_env,
        timeout=60_000,
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def st_page(chromium_browser, st_server):
    """Fresh context + page per test (= fresh Streamlit session); only the app may be contacted."""
    context = chromium_browser.new_context(viewport={"width": 1500, "height": 1000})
    context.set_default_timeout(PW_TIMEOUT_MS)
    context.route(lambda url: not url.startswith(st_server), lambda route: route.abort())
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()
