"""A ledger replaced under a running app (as `python -m analytics load` does from another
process) is what the next run of every session shows: never the old file's figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from data.loader import load_ledger
from engines import facts
from reports import format
from tests.ledger_factory import inv, write_ledger
from tests.pages.conftest import open_page
from ui import cache
from ui.settings import DATA_DIR_ENV


def total_ar(at) -> str:
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return next(m.value for m in at.metric if m.label == "Total AR")


def ledger_with(tmp_path: Path, name: str, *amounts: float) -> Path:
    invoices = [inv(f"I{i}", "C1", "2024-01-10", "2024-02-09", a) for i, a in enumerate(amounts)]
    return write_ledger(tmp_path / name, invoices=invoices)


def test_new_sessions_and_open_sessions_show_the_replaced_file(tmp_path, monkeypatch):
    data = tmp_path / "data"
    load_ledger(ledger_with(tmp_path, "old", 100.0), data / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    open_session = open_page()
    assert total_ar(open_session) == format.money(100.0, "USD")

    # 100 → 250: the CLI writes a new file and renames it over the old one
    load_ledger(ledger_with(tmp_path, "new", 100.0, 150.0), data / "ledger.duckdb")

    assert total_ar(open_page()) == format.money(250.0, "USD")  # a new session
    assert total_ar(open_session) == format.money(250.0, "USD")  # the open one, next rerun


def test_a_file_replaced_between_its_mtime_and_its_opening_is_refused_not_cached(tmp_path):
    """The sidebar reads the file's mtime, then opens it: a load that renames a new file in
    between would put the new ledger under the old key. The engine is refused (the sidebar
    reruns) and nothing is cached, so the next look opens the file under its real mtime."""
    db = tmp_path / "data" / "ledger.duckdb"
    load_ledger(ledger_with(tmp_path, "old", 100.0), db)
    seen = db.stat().st_mtime
    load_ledger(ledger_with(tmp_path, "new", 100.0, 150.0), db)  # the replace, in between
    with pytest.raises(cache.LedgerReplaced):
        cache._engine(str(db), seen)
    engine = cache._engine(str(db), db.stat().st_mtime)
    assert facts.customers(engine)["customer_id"].tolist() == ["C1"]
