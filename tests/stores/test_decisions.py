"""The committee's decisions: recorded whole with their change-log row, refused whole naming
every wrong field, listed by customer and between two dates, and each customer's last limit
decision for the limits review."""

from __future__ import annotations

import json
from datetime import date

import pytest

from core.errors import LedgerError
from stores.decisions import Decision, DecisionStore
from stores.workspace import Workspace

CUSTOMERS = {"C1", "C2"}


@pytest.fixture
def store(tmp_path):
    return DecisionStore(Workspace.in_folder(tmp_path))


def limit(customer="C1", day=date(2026, 10, 31), new=80_000.0, **extra) -> Decision:
    fields = {"customer_id": customer, "kind": "limit change", "decision_date": day,
              "author": "Ana", "reason": "paying late", "old_limit": 100_000.0,
              "new_limit": new} | extra  # fmt: skip
    return Decision(**fields)


def test_a_decision_is_recorded_with_its_audit_row_in_the_authors_name(store):
    decision_id = store.record(limit(reason="  paying late  "), customers=CUSTOMERS)
    row = store.table().iloc[0]
    assert (row["decision_id"], row["kind"], row["old_limit"], row["new_limit"]) == (
        decision_id, "limit change", 100_000.0, 80_000.0)  # fmt: skip
    assert row["reason"] == "paying late"  # stripped
    log = store.workspace.change_log()
    assert log[["who", "entity", "entity_key", "action"]].values.tolist() == [
        ["Ana", "decision", str(decision_id), "create"]
    ]
    assert json.loads(log["after_json"][0])["new_limit"] == 80_000.0


@pytest.mark.parametrize(
    ("decision", "message"),
    [
        (limit(author=" "), "author: required"),
        (limit(customer="C9"), "customer: 'C9' is not in this ledger"),
        (limit(new=-1.0), "new limit: must be an amount of 0 or more, got -1.0"),
        (limit(new=None), "new limit: required for a limit change"),
        (limit(reason=""), "reason: required"),
        (limit(kind="promotion"), "kind: one of limit change, hold, release"),
        (Decision("C1", "hold", date(2026, 10, 31), "Ana", "x", new_limit=5.0),
         "new limit: only a limit change has one, not a hold"),
        (Decision("C1", "terms change", date(2026, 10, 31), "Ana", "x", new_terms_days=-5),
         "new terms days: must be between 0 and 3,650 days, got -5"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(store, decision, message):
    with pytest.raises(LedgerError, match=message):
        store.record(decision, customers=CUSTOMERS)
    assert store.table().empty and store.workspace.change_log().empty


def test_every_wrong_field_is_said_in_one_message(store):
    with pytest.raises(LedgerError) as caught:
        store.record(limit(author="", customer="C9", reason=""), customers=CUSTOMERS)
    assert str(caught.value).count(";") == 2  # author; customer; reason


def test_decisions_by_customer_and_between_two_dates(store):
    store.record(limit(day=date(2026, 10, 24)), customers=CUSTOMERS)
    store.record(Decision("C2", "watch", date(2026, 10, 31), "Ben", "new owner"),
                 customers=CUSTOMERS)  # fmt: skip
    store.record(Decision("C1", "terms change", date(2026, 11, 7), "Ana", "asked for 60",
                          old_terms_days=30, new_terms_days=60), customers=CUSTOMERS)  # fmt: skip
    assert store.table("C1")["kind"].tolist() == ["terms change", "limit change"]  # latest first
    between = store.between(date(2026, 10, 24), date(2026, 11, 7))  # (24 Oct, 7 Nov]
    assert between["kind"].tolist() == ["watch", "terms change"]


def test_each_customers_last_limit_decision_date(store):
    assert store.last_limit_decision_dates() == {}
    store.record(limit(day=date(2026, 6, 30)), customers=CUSTOMERS)
    store.record(limit(day=date(2026, 9, 30)), customers=CUSTOMERS)
    store.record(limit(customer="C2", day=date(2026, 8, 31)), customers=CUSTOMERS)
    store.record(Decision("C2", "hold", date(2026, 10, 1), "Ana", "disputes"), customers=CUSTOMERS)
    assert store.last_limit_decision_dates() == {"C1": date(2026, 9, 30), "C2": date(2026, 8, 31)}
    assert store.last_limit_decision_dates(date(2026, 7, 31)) == {"C1": date(2026, 6, 30)}
