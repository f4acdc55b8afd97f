"""The audit trail: every store's changes and every ledger load read back with filters, in the
name of who made them; nothing in the code edits or removes a row of it."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest

from stores import audit
from stores.audit import TrailFilter, choices, record_load, trail
from stores.decisions import Decision, DecisionStore
from stores.scenarios import ScenarioStore
from stores.workspace import Workspace, utc_now, workspace_path

ROOT = Path(__file__).resolve().parents[2]
CODE = ["stores", "ui", "app_pages", "cli", "data", "engines", "analytics", "reports", "core"]


@pytest.fixture
def workspace(tmp_path):
    return Workspace(workspace_path(tmp_path))


@pytest.fixture
def filled(workspace):
    """Four changes by two people: ana saves and renames a scenario, bob loads a ledger
    twice (a new one, then a replace)."""
    ScenarioStore(workspace, who="ana").save("Tight", json.dumps({"terms": {"days": 30}}))
    ScenarioStore(workspace, who="ana").rename("Tight", "Tighter")
    record_load(workspace, "bob", "ledger", None, {"rows": {"invoices": 10}})
    record_load(workspace, "bob", "ledger", {"rows": {"invoices": 10}}, {"rows": {"invoices": 12}})
    return workspace


def keys(frame) -> list[tuple]:
    return list(
        zip(frame["who"], frame["entity"], frame["entity_key"], frame["action"], strict=True)
    )


def test_the_trail_is_newest_first_with_who_what_and_before_after(filled):
    rows = trail(filled)
    assert keys(rows) == [
        ("bob", "ledger", "ledger", "update"),
        ("bob", "ledger", "ledger", "create"),
        ("ana", "scenario", "Tighter", "rename"),
        ("ana", "scenario", "Tight", "create"),
    ]
    assert list(rows["change_id"]) == [4, 3, 2, 1]
    replaced = rows.iloc[0]
    assert json.loads(replaced["before_json"]) == {"rows": {"invoices": 10}}
    assert json.loads(replaced["after_json"]) == {"rows": {"invoices": 12}}
    assert pd.isna(rows.iloc[1]["before_json"])  # a new ledger: nothing before


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        (TrailFilter(who="ana"), [("ana", "scenario", "Tighter", "rename"),
                                  ("ana", "scenario", "Tight", "create")]),
        (TrailFilter(action="create"), [("bob", "ledger", "ledger", "create"),
                                        ("ana", "scenario", "Tight", "create")]),
        (TrailFilter(entity="ledger", action="update"), [("bob", "ledger", "ledger", "update")]),
        # part of the object id, any case: "TIGHTER" is in "Tighter" only
        (TrailFilter(key="TIGHTER"), [("ana", "scenario", "Tighter", "rename")]),
        (TrailFilter(key="tight"), [("ana", "scenario", "Tighter", "rename"),
                                    ("ana", "scenario", "Tight", "create")]),
        (TrailFilter(who="nobody"), []),
        (TrailFilter(limit=1), [("bob", "ledger", "ledger", "update")]),
    ],
)  # fmt: skip
def test_the_filters_select_rows(filled, wanted, expected):
    assert keys(trail(filled, wanted)) == expected


def test_the_date_range_takes_whole_utc_days_both_included(filled):
    today = utc_now().date()
    assert len(trail(filled, TrailFilter(start=today, end=today))) == 4
    assert len(trail(filled, TrailFilter(end=today - timedelta(days=1)))) == 0
    assert len(trail(filled, TrailFilter(start=today + timedelta(days=1)))) == 0


def test_the_filter_choices_are_what_the_trail_holds(filled):
    assert choices(filled) == {
        "who": ["ana", "bob"],
        "action": ["create", "rename", "update"],
        "entity": ["ledger", "scenario"],
    }


def test_an_empty_workspace_has_an_empty_trail(workspace):
    assert trail(workspace).empty and choices(workspace) == {"who": [], "action": [], "entity": []}
    assert not workspace.path.exists()  # reading creates no file


def test_a_decision_is_logged_in_the_recorders_name_with_its_author_kept(workspace):
    decision = Decision("C1", "hold", date(2026, 10, 31), "The committee", "late twice")
    DecisionStore(workspace, who="mia@example.com").record(decision, customers={"C1"})
    row = trail(workspace).iloc[0]
    assert (row["who"], row["entity"], row["action"]) == ("mia@example.com", "decision", "create")
    assert json.loads(row["after_json"])["author"] == "The committee"


def test_without_a_recorder_a_decision_is_logged_in_its_authors_name(workspace):
    decision = Decision("C1", "watch", date(2026, 10, 31), "Ana", "paid late")
    DecisionStore(workspace).record(decision, customers={"C1"})
    assert trail(workspace).iloc[0]["who"] == "Ana"


def test_the_command_line_records_in_the_name_of_the_os_user(monkeypatch):
    monkeypatch.setattr(audit.getpass, "getuser", lambda: "ops")
    assert audit.cli_who() == "cli:ops"

    def no_user():
        raise KeyError("uid 1234")

    monkeypatch.setattr(audit.getpass, "getuser", no_user)
    assert audit.cli_who() == "cli:unknown"


# --- append-only -------------------------------------------------------------------------------

EDITS = re.compile(
    r"\b(update\s+change_log|delete\s+from\s+change_log|truncate\s+(table\s+)?change_log"
    r"|drop\s+table\s+(if\s+exists\s+)?change_log|alter\s+table\s+change_log"
    r"|insert\s+or\s+replace\s+into\s+change_log)",
    re.IGNORECASE,
)


def test_no_code_updates_or_deletes_a_row_of_the_trail():
    """DuckDB has no triggers to forbid it in the file, so the code is searched instead: no
    statement of the app edits, replaces or removes change-log rows."""
    found = []
    for package in CODE:
        for path in (ROOT / package).rglob("*"):
            if path.suffix in {".py", ".sql"}:
                text = " ".join(path.read_text().split())
                found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in EDITS.finditer(text)]
    assert not found


def test_the_search_finds_an_edit_when_there_is_one():
    assert EDITS.search("con.execute('DELETE  FROM change_log where change_id = 1')")
    assert EDITS.search("update change_log set who = 'x'")
    assert not EDITS.search("insert into change_log (who) values ($who)")


def test_the_store_api_offers_no_way_to_change_the_trail():
    public = {n for n in dir(audit) if not n.startswith("_")}
    public |= {n for n in dir(Workspace) if not n.startswith("_")}
    assert not {n for n in public if re.search(r"delete|remove|update|edit|clear|purge", n)}


def test_earlier_rows_are_untouched_by_later_changes(filled):
    before = trail(filled).astype(str).values.tolist()
    record_load(filled, "carl", "other", None, {"rows": {}})
    after = trail(filled).astype(str).values.tolist()
    assert after[1:] == before  # the new row is on top, the others as they were
