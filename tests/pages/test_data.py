"""Data page: see the active ledger, validate and load another, download it; nothing lost on error.

Tests that load or replace a ledger work on their own copy of the sample database in a
temporary data folder, so the shared sample of the other page tests is never touched.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest

from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from data.loader import SCHEMA_VERSION
from reports import format
from stores.audit import trail
from stores.workspace import Workspace
from tests.pages.conftest import open_page
from ui.data_page import EXPORT, FOLDER, NEW, REPLACE
from ui.settings import DATA_DIR_ENV

PAGE = "app_pages/data.py"
IBM_CSV = (
    Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ibm_ar_late_payments.csv"
)
TABLES = ["customers", "invoices", "payments", "fx_rates", "orders"]


def csv(text: str) -> bytes:
    return textwrap.dedent(text).lstrip().encode()


# A tiny ledger worked by hand. As of its last date, 2024-01-25:
#   I1 (C1) 100 - credit note CN1 20 - payment P1 40 = 40 open
#   I2 (C2) 250 open; P2 15 from C2 is unapplied cash and is subtracted
#   total AR = 40 + 250 - 15 = 275
CUSTOMERS = csv("""
    customer_id,name,segment,credit_limit
    C1,Acme,SMB,500
    C2,Beta,Ent,
    """)
INVOICES = csv("""
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to
    I1,C1,2024-01-05,2024-02-04,100.00,
    I2,C2,2024-01-10,2024-02-09,250.00,
    CN1,C1,2024-01-12,2024-01-12,-20.00,I1
    """)
PAYMENTS = csv("""
    payment_id,customer_id,payment_date,amount,invoice_id
    P1,C1,2024-01-20,40.00,I1
    P2,C2,2024-01-25,15.00,
    """)
TINY = [("customers.csv", CUSTOMERS, "text/csv"), ("invoices.csv", INVOICES, "text/csv"),
        ("payments.csv", PAYMENTS, "text/csv")]  # fmt: skip
TINY_AR = 275.0
# data row 2 has a due date that is not a date
BAD_INVOICES = csv("""
    invoice_id,customer_id,invoice_date,due_date,amount
    I1,C1,2024-01-05,2024-02-04,100.00
    I2,C2,2024-01-10,2024-02-31,250.00
    """)


@pytest.fixture
def data_dir(tmp_path, sample_data_dir, monkeypatch) -> Path:
    """A data folder of this test's own, holding a copy of the sample ledger."""
    folder = tmp_path / "ledgers"
    folder.mkdir()
    shutil.copy(sample_data_dir / "ledger.duckdb", folder / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def texts(elements) -> str:
    """The elements' text as read on screen: Markdown escapes (ui/text.py) taken out."""
    return re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in elements))


def validate(at):
    at.button(key="data_validate").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def load(at):
    at.button(key="data_load").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def into_the_active_ledger(at):
    """Replacing the active ledger is asked for, never the default (issue 9)."""
    assert at.radio(key="data_target").value == NEW
    at.radio(key="data_target").set_value(REPLACE).run()
    assert at.button(key="data_load").disabled  # until the replacement is confirmed
    at.checkbox(key="data_replace_ok").check().run()
    return at


def into_new_ledger(at, name: str):
    at.radio(key="data_target").set_value(NEW).run()
    at.text_input(key="data_target_name").set_value(name).run()
    return at


def overview_total_ar(at) -> str:
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return metric(at, "Total AR")


def test_the_active_ledger_with_its_rows_and_a_download_for_every_table(sample_con):
    at = open_page(PAGE)
    assert at.title[0].value == "Data"
    assert metric(at, "Ledger") == "ledger"
    assert metric(at, "Reporting currency") == "USD"
    first, last = sample_con.con.execute(
        "select min(invoice_date), greatest(max(invoice_date), (select max(payment_date)"
        " from payments)) from invoices"
    ).fetchone()
    assert (metric(at, "First document"), metric(at, "Last activity")) == (str(first), str(last))
    source = sample_con.con.execute(
        "select value from ledger_settings where key = 'source'"
    ).fetchone()
    assert f"UTC from {source[0]} · schema version {SCHEMA_VERSION}" in texts(at.caption)
    markdown = texts(at.markdown)
    for table in TABLES:
        rows = sample_con.con.execute(
            "select count(*) from query_table($t)", {"t": table}
        ).fetchone()[0]
        assert f"{format.count(rows)} rows" in markdown, table
    labels = [b.label for b in at.download_button]
    assert labels[:5] == [f"{t}.csv" for t in TABLES]
    assert "Excel workbook (one sheet per table)" in labels


def test_upload_validate_and_load_a_new_ledger_then_the_overview_shows_it(data_dir):
    before = digest(data_dir / "ledger.duckdb")
    at = open_page(PAGE)
    at.file_uploader(key="data_uploads").set_value(TINY).run()
    validate(at)
    assert "ready to load" in texts(at.success)
    assert [metric(at, k) for k in ("Errors", "Customers", "Invoices", "Payments")] == [
        "0", "2", "3", "2"]  # fmt: skip
    into_new_ledger(at, "tiny")
    assert not at.button(key="data_load").disabled
    load(at)
    assert "Loaded tiny in" in texts(at.success)
    picker = at.sidebar.selectbox(key="sb_ledger")
    assert picker.options == ["ledger", "tiny"] and picker.value == "tiny"
    assert metric(at, "Ledger") == "tiny"
    assert (data_dir / "tiny.duckdb").is_file()
    assert digest(data_dir / "ledger.duckdb") == before  # a new name leaves the other alone
    assert overview_total_ar(at) == format.money(TINY_AR, "USD")


def test_replacing_the_active_ledger_shows_the_new_figures_not_the_cached_ones(
    data_dir, sample_con
):
    from datetime import date

    at = open_page()  # Overview on the sample: its connection is now cached
    last = date.fromisoformat(metric(at.switch_page(PAGE).run(), "Last activity"))
    sample_ar = portfolio_metrics(snapshot(sample_con, Options(as_of=last))).ar_total
    assert overview_total_ar(at) == format.money(sample_ar, "USD")
    at.switch_page(PAGE).run()
    at.file_uploader(key="data_uploads").set_value(TINY).run()
    validate(at)
    into_the_active_ledger(at)
    load(at)
    assert at.sidebar.selectbox(key="sb_ledger").value == "ledger"
    assert metric(at, "First document") == "2024-01-05"
    assert overview_total_ar(at) == format.money(TINY_AR, "USD")


def test_an_unparsable_date_names_file_row_and_column_and_blocks_the_load(data_dir):
    before = digest(data_dir / "ledger.duckdb")
    at = open_page(PAGE)
    at.file_uploader(key="data_uploads").set_value([("invoices.csv", BAD_INVOICES, "text/csv")])
    validate(at.run())
    error = texts(at.error)
    assert "invoices.csv, row 3, column due_date" in error and "'2024-02-31' is not a date" in error
    report = at.dataframe[0].value
    assert report[["file", "row", "column"]].values.tolist() == [["invoices.csv", 3, "due_date"]]
    assert at.button(key="data_load").disabled
    assert digest(data_dir / "ledger.duckdb") == before
    assert [p.name for p in data_dir.iterdir()] == ["ledger.duckdb"]


def test_unknown_customer_wrong_names_and_empty_files_are_each_named(data_dir):
    at = open_page(PAGE)
    unknown = csv("""
        payment_id,customer_id,payment_date,amount,invoice_id
        P1,C9,2024-01-20,40.00,
        """)
    uploader = at.file_uploader(key="data_uploads")
    uploader.set_value(TINY[:2] + [("payments.csv", unknown, "text/csv")]).run()
    validate(at)
    assert "payments.csv, row 2, column customer_id" in texts(at.error)
    assert at.button(key="data_load").disabled

    uploader = at.file_uploader(key="data_uploads")
    uploader.set_value([("invoice.csv", INVOICES, "text/csv"), ("orders.csv", b"", "text/csv")])
    validate(at.run())
    error = texts(at.error)
    assert "invoice.csv: not a ledger file name" in error
    assert "orders.csv: the file is empty" in error
    assert at.button(key="data_load").disabled

    at.file_uploader(key="data_uploads").set_value(TINY[:1]).run()
    validate(at)
    assert "invoices.csv: required file is missing" in texts(at.error)


def test_the_ibm_export_validates_through_its_mapping_and_a_bad_mapping_says_where(data_dir):
    at = open_page(PAGE)
    at.radio(key="data_source").set_value(EXPORT).run()
    at.file_uploader(key="data_export_file").set_value(
        (IBM_CSV.name, IBM_CSV.read_bytes(), "text/csv")
    ).run()
    assert at.button(key="data_validate").disabled  # one export needs its mapping
    assert "Choose the export's mapping" in texts(at.caption)
    at.selectbox(key="data_mapping").set_value("ibm_ar_late_payments.toml").run()
    assert 'invoice_id = "invoiceNumber"' in at.text_area(key="data_mapping_text").value
    validate(at)
    assert not at.error
    assert [metric(at, k) for k in ("Customers", "Invoices", "Payments")] == [
        "100", "2,466", "2,466"]  # fmt: skip

    at.text_area(key="data_mapping_text").set_value('[invoices]\ninvoice_no = "invoiceNumber"\n')
    validate(at.run())
    assert "mapping ibm_ar_late_payments.toml, key invoices.invoice_no: not a column" in texts(
        at.error
    )
    at.text_area(key="data_mapping_text").set_value("[invoices\n")
    validate(at.run())
    assert "mapping ibm_ar_late_payments.toml: not valid TOML" in texts(at.error)
    assert at.button(key="data_load").disabled
    assert [p.name for p in data_dir.iterdir()] == ["ledger.duckdb"]


def test_a_load_that_fails_after_validation_leaves_the_active_ledger_as_it_was(
    data_dir, tmp_path, monkeypatch
):
    folder = tmp_path / "incoming"
    folder.mkdir()
    monkeypatch.setenv("AR_IMPORT_ROOT", str(folder))  # the import folder may be read
    for name, data, _ in TINY:
        (folder / name).write_bytes(data)
    before = digest(data_dir / "ledger.duckdb")
    at = open_page(PAGE)
    at.radio(key="data_source").set_value(FOLDER).run()
    at.text_input(key="data_folder").set_value(str(folder)).run()
    validate(at)
    assert "ready to load" in texts(at.success)
    into_the_active_ledger(at)
    (folder / "invoices.csv").write_bytes(BAD_INVOICES)  # the file changes before Load
    load(at)
    error = texts(at.error)
    assert "Nothing was loaded; ledger.duckdb is unchanged" in error
    assert "invoices.csv, row 3, column due_date" in error
    assert digest(data_dir / "ledger.duckdb") == before
    assert sorted(p.name for p in data_dir.iterdir()) == ["ledger.duckdb"]  # no leftovers


def test_a_ledger_name_with_other_characters_is_refused(data_dir):
    at = open_page(PAGE)
    at.file_uploader(key="data_uploads").set_value(TINY).run()
    validate(at)
    into_new_ledger(at, "my ledger!")
    assert "use letters, digits, '-' and '_' only" in texts(at.error)
    assert at.button(key="data_load").disabled


def test_with_no_ledger_yet_the_page_loads_the_first_one(tmp_path, monkeypatch):
    empty = tmp_path / "nothing-yet"
    empty.mkdir()
    monkeypatch.setenv(DATA_DIR_ENV, str(empty))
    at = open_page(PAGE)
    assert "No ledger is loaded yet" in texts(at.info)
    assert not at.download_button
    at.file_uploader(key="data_uploads").set_value(TINY).run()
    validate(at)
    assert at.radio(key="data_target").options == [NEW]
    into_new_ledger(at, "first")
    load(at)
    assert at.sidebar.selectbox(key="sb_ledger").value == "first"
    assert overview_total_ar(at) == format.money(TINY_AR, "USD")


def test_an_unreadable_ledger_file_is_explained_and_can_be_replaced(data_dir):
    (data_dir / "broken.duckdb").write_bytes(b"not a database")
    at = open_page(PAGE, sb_ledger="broken")
    assert "The ledger broken cannot be read" in texts(at.warning)
    assert at.sidebar.error  # the sidebar says why
    at.file_uploader(key="data_uploads").set_value(TINY).run()
    validate(at)
    into_the_active_ledger(at)
    load(at)
    assert metric(at, "Ledger") == "broken"
    assert overview_total_ar(at) == format.money(TINY_AR, "USD")


class FakeUpload:
    """What st.file_uploader returns, as far as the page uses it."""

    def __init__(self, name: str, data: bytes):
        self.name, self.data, self.size, self.file_id = name, data, len(data), name

    def getvalue(self) -> bytes:
        return self.data


def test_uploads_are_saved_under_their_table_name_and_misnamed_ones_are_refused():
    from ui.data_page import upload_names

    files, issues = upload_names((
        FakeUpload("Invoices.CSV", INVOICES), FakeUpload("payments.parquet", b"x"),
        FakeUpload("payments.csv", PAYMENTS), FakeUpload("notes.txt", b"x"),
    ))  # fmt: skip
    assert list(files) == ["invoices.csv", "payments.parquet"]
    assert [(i.file, i.message.split(":")[0]) for i in issues] == [
        ("payments.csv", "a second file for payments (with payments.parquet)"),
        ("notes.txt", "not a ledger file name"),
    ]


def test_a_load_reports_each_stage_and_writes_only_the_target(data_dir):
    from ui.data_page import UPLOADS, Plan, load_plan

    calls = []
    plan = Plan(UPLOADS, tuple(FakeUpload(n, d) for n, d, _ in TINY))
    outcome = load_plan(plan, "staged", lambda f, m: calls.append((f, m)))
    assert outcome.ok, outcome.message
    assert calls[0][1].startswith("reading ") and calls[-1] == (1.0, "done")
    assert len({m for _, m in calls}) > 3  # one message per stage, for the progress bar
    # the target, and the workspace whose audit trail logs the load
    assert sorted(p.name for p in data_dir.iterdir()) == [
        "ledger.duckdb", "staged.duckdb", "workspace"]  # fmt: skip
    again = load_plan(plan, "staged")  # the same files again: a replace
    assert again.ok, again.message
    rows = trail(Workspace.in_folder(data_dir))
    assert list(zip(rows["entity_key"], rows["action"], rows["who"], strict=True)) == [
        ("staged", "update", "local user"), ("staged", "create", "local user")]  # fmt: skip
    before, after = json.loads(rows["before_json"][0]), json.loads(rows["after_json"][1])
    assert before["rows"] == after["rows"] and before["loaded_at"] == after["loaded_at"]
