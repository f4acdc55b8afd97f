"""What changed page: take a snapshot, move the sidebar's date, take another, and the changes
shown equal analytics.history's for the same two dates; taking one again records nothing; a
decision is recorded and listed, and bad input is one message with nothing saved."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from analytics.history.changes import what_changed
from analytics.history.snapshots import build_snapshot
from analytics.risk.promises import Commitments, broken_between
from engines.duckdb.engine import connect
from reports import format
from stores.collections import CollectionsStore
from stores.workspace import Workspace
from tests.pages.conftest import open_page
from ui.settings import DATA_DIR_ENV

PAGE = "app_pages/committee.py"
D1, D2 = date(2026, 10, 24), date(2026, 10, 31)


@pytest.fixture
def data_dir(sample_data_dir, tmp_path, monkeypatch):
    """The sample ledger in a folder of its own, so its workspace starts empty."""
    shutil.copy(sample_data_dir / "ledger.duckdb", tmp_path / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def expected(sample_data_dir):
    from engines.duckdb.engine import connect

    con = connect(sample_data_dir / "ledger.duckdb")
    try:
        return what_changed(build_snapshot(con, D1), build_snapshot(con, D2))
    finally:
        con.close()


def take(at):
    at.button(key="cm_take").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def shown(at, key):
    """A table that opens customers, by its key."""
    return at.get_by_key(key).value


def shown_with(at, column):
    """The table holding ``column`` (plain tables carry no key)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_two_snapshots_then_the_changes_equal_the_analytics(data_dir, expected):
    # a promise made on D1 to pay 10,000,000 by 26 Oct: open at D1, past its 3 days' tolerance
    # (29 Oct) unmet at D2, so broken between the two (or partly kept, when C00007 paid some)
    records = CollectionsStore(Workspace.in_folder(data_dir))
    promise_id = records.add_promise("C00007", 10_000_000, date(2026, 10, 26), as_of=D1,
                                     currency="USD")  # fmt: skip
    at = open_page(PAGE, sb_as_of=D1)
    assert at.title[0].value == "What changed"
    assert "0 snapshot(s) so far" in at.info[0].value
    take(at)
    assert at.success[0].value == "Snapshot 1 taken as of 24 Oct 2026."
    at.session_state["sb_as_of"] = D2  # the sidebar date, moved
    at.run()
    take(at)
    assert at.success[0].value == "Snapshot 2 taken as of 31 Oct 2026."
    assert at.selectbox(key="cm_before").value == 1 and at.selectbox(key="cm_after").value == 2
    assert card(at, "Newly overdue").value == format.count(len(expected.newly_overdue))
    assert card(at, "Cured").value == format.count(len(expected.cured))
    total = expected.headline.set_index("key").loc["ar.total"]
    assert card(at, "Total AR").value == format.money(total["after"], "USD")
    went = f"{len(expected.new_over_limit)} went over, {len(expected.cleared_over_limit)} came back"
    assert any(c.value.startswith(went) for c in at.caption)
    movers = shown(at, "cm_balance")
    assert movers["customer_id"].tolist() == expected.balance_movers["customer_id"].tolist()
    assert movers["change"].tolist() == pytest.approx(expected.balance_movers["change"].tolist())
    overdue = shown(at, "cm_overdue")
    assert overdue["customer_id"].tolist() == expected.overdue_movers["customer_id"].tolist()
    headline = shown_with(at, "is_restated").set_index("key")
    assert headline.loc["ar.overdue", "change"] == pytest.approx(
        expected.headline.set_index("key").loc["ar.overdue", "change"])  # fmt: skip
    assert not headline["is_restated"].any()  # same ledger: nothing restated
    assert any("No restatement" in c.value for c in at.caption)
    con = connect(data_dir / "ledger.duckdb")
    try:
        judged = broken_between(con, Commitments(*records.commitments()), D1, D2)
    finally:
        con.close()
    assert judged["state"].tolist() in (["broken"], ["partly kept"])
    broken = shown(at, "cm_promises_broken")
    assert broken[["customer_id", "record_id", "state"]].values.tolist() == [
        ["C00007", promise_id, judged["state"].iloc[0]]
    ]
    assert broken["shortfall_amount"].tolist() == pytest.approx(judged["shortfall_amount"].tolist())


def test_taking_the_same_snapshot_again_records_nothing(data_dir):
    at = take(open_page(PAGE, sb_as_of=D2))
    take(at)
    assert at.info[0].value.startswith("Nothing new: snapshot 1 already holds 31 Oct 2026")
    assert "1 snapshot(s) so far" in at.info[1].value


def fill_decision(at, **values):
    keys = {"customer": "cm_customer", "kind": "cm_kind", "author": "cm_author",
            "reason": "cm_reason", "limit": "cm_new_limit"}  # fmt: skip
    for name, value in values.items():
        widget = at.selectbox(key=keys[name]) if name in ("customer", "kind") \
            else at.text_input(key=keys[name])  # fmt: skip
        widget.set_value(value)
    at.form_submit_button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_decision_is_recorded_and_listed_and_bad_input_is_one_message(data_dir):
    at = open_page(PAGE)
    fill_decision(at, customer="C00001", kind="limit change", author="", reason="late again",
                  limit="50,000")  # fmt: skip
    assert len(at.error) == 1 and "author: required" in at.error[0].value
    assert not _has(at, "cm_decisions")  # nothing saved
    fill_decision(at, author="Ana", limit="-5")
    assert len(at.error) == 1 and "new limit: must be an amount of 0 or more" in at.error[0].value
    assert not _has(at, "cm_decisions")
    fill_decision(at, limit="50,000")
    assert at.success[0].value == "Decision 1 recorded: limit change for C00001."
    listed = shown(at, "cm_decisions")
    assert listed[["customer_id", "kind", "new_limit", "author", "reason"]].values.tolist() == [
        ["C00001", "limit change", 50_000.0, "Ana", "late again"]
    ]


def _has(at, key) -> bool:
    try:
        at.get_by_key(key)
    except (KeyError, IndexError, ValueError):
        return False
    return True


def test_the_pack_downloads_as_pdf_and_workbook_named_for_the_ledger_and_date():
    at = open_page("app_pages/committee.py")
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert "Committee pack (PDF)" in labels and "Committee pack (Excel)" in labels
    # built only when clicked (the charts take seconds); the pack's content is tested in
    # tests/reports/test_pack.py


def test_snapshots_of_two_ledgers_are_compared_with_one_note_saying_so(tmp_path, monkeypatch):
    from cli.main import main
    from tests.ledger_factory import inv, load

    # two tiny ledgers: the folder's own (C1 owes 1,000, due 3 Apr 2024) and another file
    # where C1 also owes 500 more; one snapshot of each, a week apart
    first = [inv("I1", "C1", "2024-03-04", "2024-04-03", 1_000)]
    load(tmp_path, customers=[{"customer_id": "C1", "name": "One"}], invoices=first).close()
    other = load(tmp_path / "other", customers=[{"customer_id": "C1", "name": "One"}],
                 invoices=[*first, inv("I2", "C1", "2024-03-20", "2024-04-19", 500)])  # fmt: skip
    other.close()
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    for ledger, day in ((tmp_path / "ledger.duckdb", "2024-03-31"),
                        (tmp_path / "other" / "ledger.duckdb", "2024-04-07")):  # fmt: skip
        assert main(["snapshot", "--ledger", str(ledger), "--as-of", day]) == 0
    at = open_page(PAGE)
    notes = [i.value for i in at.info if "different ledgers" in i.value]
    assert len(notes) == 1 and not at.error, [i.value for i in at.info]
    assert str(tmp_path / "other" / "ledger") in notes[0]  # names the other ledger
    later = format.money(1_000.0 + 500.0, "USD")  # the later snapshot's, of the other ledger
    assert card(at, "Total AR").value == later
