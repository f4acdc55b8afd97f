"""Credit applications in the workspace: saved whole with their change-log row, read back as
saved, and a refused record leaves the file, the table and the log as they were."""

import json

import pytest

from analytics.risk.scorecard import Application, application_record, decide, score_application
from analytics.risk.scorecard_card import DEFAULT_CARD, load_scorecard
from core.errors import LedgerError
from stores.applications import ApplicationStore
from stores.workspace import Change, Workspace, workspace_path

CARD = load_scorecard(DEFAULT_CARD)
APP = Application(
    years_trading=7, bureau_grade="B", equity_ratio_pct=25, current_ratio=1.3, net_margin_pct=4,
    payment_references="mostly_on_time", industry_risk="medium", requested_limit=100_000,
    requested_terms_days=60, applicant="Acme Ltd", customer_id="C00042",
)  # fmt: skip


def record(decision: str = "approved", reason: str = "") -> dict:
    scoring = score_application(CARD, APP)  # 69 points, grade B, start 50,000 on 45 days
    return application_record(scoring, decide(scoring, decision, reason))


@pytest.fixture
def workspace(tmp_path):
    return Workspace(workspace_path(tmp_path))


@pytest.fixture
def store(workspace):
    return ApplicationStore(workspace, who="ana")


def test_a_saved_application_reads_back_as_saved(store):
    number = store.save(record("override", "parent company guarantee"))
    saved = store.load(number)
    assert number == 1 and saved["applicant"] == "Acme Ltd" and saved["customer_id"] == "C00042"
    assert (saved["grade"], saved["total_points"], saved["policy"]) == ("B", 69, "On credit")
    assert (saved["recommended_terms_days"], saved["starting_limit_amount"]) == (45, 50_000)
    assert (saved["decision"], saved["reason"]) == ("override", "parent company guarantee")
    assert (saved["granted_limit_amount"], saved["granted_terms_days"]) == (100_000, 60)
    assert saved["points"]["bureau"] == 18 and saved["inputs"]["requested_limit"] == 100_000
    assert saved["exceptions"][0]["kind"] == "override"
    assert saved["decided_by"] == "ana" and saved["decided_at_utc"] is not None
    assert saved["scorecard_file"] == str(DEFAULT_CARD) and saved["is_new_customer"]


def test_each_save_is_a_new_row_with_its_change_log_row(store, workspace):
    first, second = store.save(record()), store.save(record("declined"))
    assert (first, second) == (1, 2)
    assert store.table()["decision"].tolist() == ["approved", "declined"]
    log = workspace.change_log()
    assert log[["who", "entity", "entity_key", "action"]].values.tolist() == [
        ["ana", "credit application", "1", "create"],
        ["ana", "credit application", "2", "create"],
    ]
    after = json.loads(log["after_json"].iloc[1])
    assert after["application_id"] == 2 and after["decision"] == "declined"
    assert log["before_json"].isna().all()


@pytest.mark.parametrize(
    "change, message",
    [
        ({"applicant": " "}, "application: applicant needs a text"),
        ({"grade": "F"}, "application: grade must be one of A, B, C, D, E, got 'F'"),
        ({"decision": "maybe"}, "application: decision must be one of"),
        ({"decision": "override", "reason": None}, "application: reason is missing"),
        ({"granted_limit_amount": -1.0}, "application: granted_limit_amount needs a number of 0"),
        ({"granted_terms_days": 4.5}, "application: granted_terms_days needs a whole number"),
        ({"total_points": float("nan")}, "application: total_points needs a number"),
        ({"inputs": {"years": float("inf")}}, "application: inputs cannot be saved"),
        ({"colour": "red"}, "application: colour is not a field of an application"),
    ],
)
def test_a_refused_record_saves_nothing(store, workspace, change, message):
    store.save(record())  # the file exists, with one application and one log row
    with pytest.raises(LedgerError, match=f"^{message}"):
        store.save({**record(), **change})
    assert len(store.table()) == 1 and len(workspace.change_log()) == 1


def test_a_record_with_a_field_missing_is_refused_before_the_file_exists(store, workspace):
    bad = record()
    del bad["grade"]
    with pytest.raises(LedgerError, match="^application: grade is missing"):
        store.save(bad)
    assert not workspace.path.exists() and store.table().empty


def test_a_failure_inside_the_transaction_leaves_nothing(store, workspace, monkeypatch):
    def broken_log(self, *args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Change, "log", broken_log)
    with pytest.raises(RuntimeError, match="disk full"):
        store.save(record())
    monkeypatch.undo()
    assert store.table().empty and workspace.change_log().empty


def test_an_unknown_application_number_is_said(store):
    with pytest.raises(LedgerError, match="no saved application number 7"):
        store.load(7)


def test_reading_before_anything_is_saved_writes_no_file(store, workspace):
    assert store.table().empty and not workspace.path.exists()
