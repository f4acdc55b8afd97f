"""Data page, issue 13: "A folder on the server" and a mapping's ``file =`` read only inside
the data folder and the import folder (AR_IMPORT_ROOT); elsewhere one message names the field
and nothing of the file is echoed; the upload limit is stated."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.pages.conftest import open_page
from tests.pages.test_data import INVOICES, TINY, texts, validate
from ui.data_page import FOLDER
from ui.settings import DATA_DIR_ENV

PAGE = "app_pages/data.py"
SECRET = (
    b"invoice_id,customer_id,invoice_date,due_date,amount\nTOPSECRET,C9,2024-01-05,2024-02-04,1\n"
)


@pytest.fixture
def places(tmp_path, sample_data_dir, monkeypatch) -> dict[str, Path]:
    """A data folder, an import folder holding a good ledger, a secret ledger outside both."""
    data, imports, secret = tmp_path / "ledgers", tmp_path / "imports", tmp_path / "secret"
    for folder in (data, imports / "good", secret):
        folder.mkdir(parents=True)
    shutil.copy(sample_data_dir / "ledger.duckdb", data / "ledger.duckdb")
    for name, content, _ in TINY:
        (imports / "good" / name).write_bytes(content)
    (secret / "invoices.csv").write_bytes(SECRET)
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    monkeypatch.setenv("AR_IMPORT_ROOT", str(imports))
    return {"data": data, "imports": imports, "secret": secret}


def folder_page(typed: str):
    at = open_page(PAGE)
    at.radio(key="data_source").set_value(FOLDER).run()
    at.text_input(key="data_folder").set_value(typed).run()
    return at


def test_a_folder_in_the_import_folder_validates(places):
    at = validate(folder_page(str(places["imports"] / "good")))
    assert "ready to load" in texts(at.success)


@pytest.mark.parametrize("typed", ["{secret}", "{imports}/../secret", "/etc"])
def test_a_folder_outside_is_refused_naming_the_field_and_echoing_nothing(places, typed):
    at = validate(folder_page(typed.format(**places)))
    error = texts(at.error)
    assert "Folder on the server:" in error and "is outside the folders" in error
    assert "TOPSECRET" not in error
    assert at.button(key="data_load").disabled


def test_a_mapping_file_outside_is_refused_naming_the_key(places):
    at = folder_page(str(places["imports"] / "good"))
    at.selectbox(key="data_mapping").set_value("ibm_ar_late_payments.toml").run()
    at.text_area(key="data_mapping_text").set_value(
        '[invoices]\nfile = "../../secret/invoices.csv"\n'
    ).run()
    error = texts(validate(at).error)
    assert "key invoices.file:" in error and "is outside the folders" in error
    assert "TOPSECRET" not in error


def test_the_upload_limit_is_stated(places):
    at = open_page(PAGE)
    assert "Uploads: at most 200 MB per file" in texts(at.caption)
    at.file_uploader(key="data_uploads").set_value(
        [("invoices.csv", INVOICES, "text/csv")]
    ).run()  # uploads still validate inside their temporary folder
    assert "ready to load" in texts(validate(at).success)


def test_a_png_uploaded_as_invoices_csv_is_one_message_and_loads_nothing(places):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    at = open_page(PAGE)
    at.file_uploader(key="data_uploads").set_value([("invoices.csv", png, "text/csv")]).run()
    error = texts(validate(at).error)
    assert "invoices.csv, row 1: not CSV text: the file is a PNG image" in error
    assert at.button(key="data_load").disabled
    assert [p.name for p in places["data"].iterdir()] == ["ledger.duckdb"]
