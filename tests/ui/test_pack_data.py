"""The Committee page's "Download pack": the file it hands over is the pack of the sidebar's
ledger and date, named after them (the workbook here: the PDF route is tested in
tests/reports/test_pack.py)."""

from __future__ import annotations

import io
from datetime import date
from types import SimpleNamespace

import pytest
import streamlit as st
from openpyxl import load_workbook

from data.loader import load_ledger
from data.sample import generate_sample
from ui import pack_data
from ui.cache import LedgerKey
from ui.settings import DATA_DIR_ENV


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    generate_sample(tmp_path / "sample", invoices=1_500, seed=11)
    db = tmp_path / "data" / "q3.duckdb"
    load_ledger(tmp_path / "sample", db)
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))  # an empty workspace there
    st.cache_data.clear()
    settings = SimpleNamespace(db_path=str(db), as_of=date(2026, 10, 31), entity=None,
                               edges=(30, 60, 90, 120), window_days=90)  # fmt: skip
    return SimpleNamespace(settings=settings, ledger=LedgerKey(str(db), db.stat().st_mtime))


def test_the_download_is_the_pack_of_the_sidebars_ledger_and_date(ctx):
    f = pack_data.pack_download(ctx, ".xlsx")
    assert f.file_name == "committee-pack-q3-2026-10-31.xlsx"
    assert f.mime.endswith("spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(f.data))
    assert book["Contents"]["A1"].value.startswith("Committee pack · ledger q3 · as of 31 Oct 2026")
    assert "Aging" in book.sheetnames
