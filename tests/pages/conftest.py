"""AppTest fixtures: a small deterministic sample ledger loaded into a temporary data folder.

Sidebar settings can be preset (session state or URL query parameters before the first run,
as a shared link does) or moved like any widget: `at.sidebar.multiselect(key="sb_segments")
.set_value([...]).run()`. (With a folder named `pages/` AppTest skipped app.py on reruns, one
reason the pages live in `app_pages/`.)
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from data.loader import load_ledger
from data.sample import generate_sample
from engines.duckdb.engine import connect
from ui.errors import RAISE_ENV
from ui.settings import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
TIMEOUT = 60
SAMPLE_INVOICES = 6_000  # ~30 customers, 3 years: every page has something to show


@pytest.fixture(scope="session")
def sample_data_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("apptest-ledger")
    generate_sample(folder / "sample", invoices=SAMPLE_INVOICES, seed=11)
    load_ledger(folder / "sample", folder / "data" / "ledger.duckdb")
    return folder / "data"


@pytest.fixture
def sample_con(sample_data_dir):
    """Ground truth: the same database, read through the metrics engine directly."""
    con = connect(sample_data_dir / "ledger.duckdb")
    yield con
    con.close()


@pytest.fixture(autouse=True)
def _point_app_at_sample(sample_data_dir, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(sample_data_dir))
    monkeypatch.setenv(RAISE_ENV, "1")  # a page's error still fails the test (ui/errors.py)
    # Streamlit's caches are kept from test to test: their keys hold the ledger file and its
    # modification time, and the workspace's version, so a test sees fresh results whenever
    # its data differs; clearing them before each test made every page test fit the
    # behavioural model again (tests/pages took twice as long). A test that measures
    # caching itself asks for `cold_caches`.


@pytest.fixture
def cold_caches():
    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(page: str | None = None, **sidebar) -> AppTest:
    """Run the app once with the given sidebar settings (widget keys, e.g. sb_as_of=date),
    then switch to ``page`` (e.g. "app_pages/aging.py"); fail on any exception."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in sidebar.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(page).run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def shown(text: str) -> str:
    """Markdown `text` as the user reads it: the escapes of ui/text.py taken out."""
    return re.sub(r"\\(.)", r"\1", text)


def plotly_figures(at: AppTest) -> list[dict]:
    """The plotly figure specs on the page (AppTest returns them as UnknownElement)."""
    import json

    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def trace_values(array) -> list:
    """A plotly JSON array: a plain list, or numbers packed as {"dtype", "bdata"}."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)
