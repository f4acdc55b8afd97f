"""Audit trail page: every change people made, newest first, filtered by who, action, object,
object id and UTC days, with the fields that changed, downloadable like every table."""

from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from stores.audit import record_load
from stores.scenarios import ScenarioStore
from stores.workspace import Workspace, utc_now
from tests.pages.conftest import APP, TIMEOUT
from ui.audit_data import COLUMNS
from ui.settings import DATA_DIR_ENV

PAGE = "app_pages/audit.py"


@pytest.fixture
def data_dir(sample_data_dir, tmp_path, monkeypatch):
    """The sample ledger in a data folder of its own, with three changes in its workspace:
    ana saves a scenario then changes it, cli:ops loads a ledger."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(sample_data_dir / "ledger.duckdb", folder / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    workspace = Workspace.in_folder(folder)
    store = ScenarioStore(workspace, who="ana")
    store.save("Tight", json.dumps({"terms": {"days": 30}}))
    store.save("Tight", json.dumps({"terms": {"days": 45}}))
    record_load(workspace, "cli:ops", "ledger", None, {"rows": {"invoices": 6000}})
    return folder


def audit_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> list[tuple]:
    table = at.dataframe[0].value
    return list(zip(table["who"], table["entity"], table["entity_key"], table["action"],
                    strict=True))  # fmt: skip


def test_every_change_is_listed_newest_first_with_what_changed(data_dir):
    at = audit_page()
    assert at.title[0].value == "Audit trail"
    assert shown(at) == [
        ("cli:ops", "ledger", "ledger", "create"),
        ("ana", "scenario", "Tight", "update"),
        ("ana", "scenario", "Tight", "create"),
    ]
    table = at.dataframe[0].value
    assert list(table.columns) == list(COLUMNS)
    # the update moved the terms from 30 to 45 days ("name" was put in by the store both times)
    assert table["changes"][1] == 'terms: {"days": 30} → {"days": 45}'
    assert "3 change(s), newest first" in [c.value for c in at.caption]


@pytest.mark.parametrize(
    ("widget", "value", "expected"),
    [
        ("au_who", "ana", [("ana", "scenario", "Tight", "update"),
                           ("ana", "scenario", "Tight", "create")]),
        ("au_action", "create", [("cli:ops", "ledger", "ledger", "create"),
                                 ("ana", "scenario", "Tight", "create")]),
        ("au_entity", "ledger", [("cli:ops", "ledger", "ledger", "create")]),
    ],
)  # fmt: skip
def test_each_filter_narrows_the_list(data_dir, widget, value, expected):
    at = audit_page()
    at.selectbox(key=widget).set_value(value).run()
    assert shown(at) == expected


def test_the_object_id_and_days_narrow_the_list(data_dir):
    at = audit_page()
    at.text_input(key="au_key").set_value("tig").run()
    assert [row[2] for row in shown(at)] == ["Tight", "Tight"]
    today = utc_now().date()
    at.date_input(key="au_dates").set_value((today, today)).run()
    assert len(shown(at)) == 2
    at.text_input(key="au_key").set_value("nothing like it").run()
    assert not at.dataframe and "No change matches these filters." in [i.value for i in at.info]


def test_the_trail_downloads_as_csv_and_excel(data_dir):
    at = audit_page()
    ids = [e.proto.id for e in at.get("download_button")]
    assert any(i.endswith("dl_csv_au_table") for i in ids)
    assert any(i.endswith("dl_xlsx_au_table") for i in ids)


def test_an_empty_workspace_says_so(sample_data_dir, tmp_path, monkeypatch):
    folder = tmp_path / "empty"
    folder.mkdir()
    shutil.copy(sample_data_dir / "ledger.duckdb", folder / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    at = audit_page()
    assert "No change matches these filters." in [i.value for i in at.info]
