"""What collectors record (stores/collections.py): every change in the change log, bad input
refused with one message naming the field and nothing saved, records that outlive a reload of
the ledger (orphaned, never lost), and a note recorded within 100 ms."""

from datetime import date

import pandas as pd
import pytest

from analytics.risk.collections import orphaned
from core.errors import LedgerError
from data.loader import load_ledger
from engines.duckdb import connect
from engines.facts import collections_invoices, customers
from stores.collections import CollectionsStore
from stores.workspace import Workspace, workspace_path
from tests.ledger_factory import inv, write_ledger

AS_OF = date(2026, 10, 31)
KNOWN = {"C1", "C2"}


@pytest.fixture
def workspace(tmp_path):
    return Workspace(workspace_path(tmp_path))


@pytest.fixture
def store(workspace):
    return CollectionsStore(workspace, who="ana", customer_ids=KNOWN)


def counts(store: CollectionsStore) -> dict[str, int]:
    return {
        "notes": len(store.notes()), "promises": len(store.promises()),
        "plans": len(store.plans()), "instalments": len(store.instalments()),
        "owners": len(store.owners()), "disputes": len(store.disputes()),
        "log": len(store.workspace.change_log()),
    }  # fmt: skip


def test_each_record_is_kept_with_its_change_log_row(store, workspace):
    store.set_owner("C1", "Bob")
    store.set_owner("C1", "Carol")
    note = store.add_note("C1", "Asked for a copy of I1", as_of=AS_OF)
    call = store.add_note("C1", "", as_of=AS_OF, kind="call", outcome="no answer")
    promise = store.add_promise("C1", 1250.5, date(2026, 11, 7), as_of=AS_OF, currency="USD",
                                invoice_ids=["I1"])  # fmt: skip
    plan = store.add_plan("C2", 900, [(date(2026, 12, 31), 600), (date(2026, 11, 30), 300)],
                          as_of=AS_OF, currency="USD", invoice_ids=["I4", "I5"])  # fmt: skip
    store.set_dispute("I4", "C2", "price")
    store.set_dispute("I4", "C2", "price", "resolved", "credit note agreed")
    store.cancel_promise(promise)

    assert store.owner_map() == {"C1": "Carol"}
    notes = store.notes("C1").set_index("note_id")
    assert notes.loc[call, ["kind", "outcome"]].tolist() == ["call", "no answer"]
    assert notes.loc[note, "note_text"] == "Asked for a copy of I1"
    p = store.promises().iloc[0]
    assert (p["amount"], p["promised_date"].date(), p["made_on"].date(), p["invoice_ids"]) == (
        1250.5, date(2026, 11, 7), AS_OF, ("I1",))  # fmt: skip
    assert pd.notna(p["cancelled_at"]) and p["who"] == "ana"
    steps = store.instalments()
    assert steps["due_date"].dt.date.tolist() == [
        date(2026, 11, 30),
        date(2026, 12, 31),
    ]  # in order
    assert steps["amount"].tolist() == [300.0, 600.0] and set(steps["plan_id"]) == {plan}
    assert store.disputes().iloc[0][["status", "note"]].tolist() == [
        "resolved",
        "credit note agreed",
    ]
    log = workspace.change_log()
    assert log[["entity", "action"]].values.tolist() == [
        ["collection_owner", "create"], ["collection_owner", "update"],
        ["collection_note", "create"], ["collection_note", "create"],
        ["promise", "create"], ["payment_plan", "create"],
        ["dispute", "create"], ["dispute", "update"], ["promise", "update"],
    ]  # fmt: skip
    assert set(log["who"]) == {"ana"}
    assert '"instalments"' in log.iloc[5]["after_json"]  # the plan is logged whole


BAD = {
    "a promise dated before the as-of date": (
        lambda s: s.add_promise("C1", 100, date(2026, 10, 30), as_of=AS_OF, currency="USD"),
        "Promised date: 2026-10-30 is before the as-of date 2026-10-31"),
    "a negative amount": (
        lambda s: s.add_promise("C1", -100, date(2026, 11, 7), as_of=AS_OF, currency="USD"),
        "Amount: must be more than 0"),
    "a zero amount": (
        lambda s: s.add_promise("C1", 0, date(2026, 11, 7), as_of=AS_OF, currency="USD"),
        "Amount: must be more than 0"),
    "an amount that is not a number": (
        lambda s: s.add_promise("C1", float("nan"), date(2026, 11, 7), as_of=AS_OF, currency="USD"),
        "Amount: must be more than 0"),
    "instalments that do not add up to the total": (
        lambda s: s.add_plan("C2", 1000, [(date(2026, 11, 30), 300), (date(2026, 12, 31), 600)],
                             as_of=AS_OF, currency="USD", invoice_ids=["I4"]),
        "Instalments: they add up to 900.00, not the plan's total 1,000.00"),
    "a plan without invoices": (
        lambda s: s.add_plan("C2", 900, [(date(2026, 11, 30), 900)], as_of=AS_OF,
                             currency="USD", invoice_ids=[]),
        "Invoices: choose at least one invoice"),
    "an instalment in the past": (
        lambda s: s.add_plan("C2", 900, [(date(2026, 10, 1), 900)], as_of=AS_OF,
                             currency="USD", invoice_ids=["I4"]),
        "Instalment 1 date: 2026-10-01 is before the as-of date"),
    "a note over 10,000 characters": (
        lambda s: s.add_note("C1", "x" * 10_001, as_of=AS_OF),
        "Note: at most 10,000 characters, got 10,001"),
    "a note of 1 MB": (
        lambda s: s.add_note("C1", "x" * 1_048_576, as_of=AS_OF),
        "Note: at most 10,000 characters, got 1,048,576"),
    "an empty note": (lambda s: s.add_note("C1", "  ", as_of=AS_OF), "Note: write something"),
    "an unknown customer": (
        lambda s: s.add_note("C9", "hello", as_of=AS_OF),
        "Customer: 'C9' is not a customer of this ledger"),
    "a call without an outcome": (
        lambda s: s.add_note("C1", "hello", as_of=AS_OF, kind="call"), "Call outcome: one of"),
    "a reason not in the list": (
        lambda s: s.set_dispute("I4", "C2", "because"), "Reason: one of price"),
    "an owner of 101 characters": (lambda s: s.set_owner("C1", "x" * 101), "Owner: 1 to 100"),
}  # fmt: skip


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(store, case):
    store.add_note("C1", "a first note", as_of=AS_OF)  # the file exists, with one record
    before = counts(store)
    action, message = BAD[case]
    with pytest.raises(LedgerError, match=message.replace("(", r"\(").replace(")", r"\)")):
        action(store)
    assert counts(store) == before


def test_a_failure_inside_the_transaction_leaves_nothing_half_saved(store, monkeypatch):
    """The plan and its instalments are one transaction: a failing instalment insert (here
    forced) leaves neither the plan nor its change-log row."""
    import stores.collections as module

    real = module._insert

    def failing(change, table, row):
        if table == "plan_instalments" and row["instalment_no"] == 2:
            raise RuntimeError("disk full")
        return real(change, table, row)

    monkeypatch.setattr(module, "_insert", failing)
    before = counts(store)
    with pytest.raises(RuntimeError):
        store.add_plan("C2", 900, [(date(2026, 11, 30), 300), (date(2026, 12, 31), 600)],
                       as_of=AS_OF, currency="USD", invoice_ids=["I4"])  # fmt: skip
    assert counts(store) == before


def _load(folder, customers_ids, invoices):
    files = write_ledger(folder / "files", invoices=invoices,
                         customers=[{"customer_id": c} for c in customers_ids])  # fmt: skip
    db = folder / "data" / "ledger.duckdb"
    load_ledger(files, db)
    return db


def test_records_outlive_a_reload_and_those_that_lost_their_ledger_rows_are_orphaned(tmp_path):
    first = [inv("I1", "C1", "2026-10-01", "2026-10-31", 100),
             inv("I2", "C2", "2026-10-01", "2026-10-31", 200)]  # fmt: skip
    db = _load(tmp_path / "a", ["C1", "C2"], first)
    workspace = Workspace.in_folder(db.parent)
    store = CollectionsStore(workspace, who="ana", customer_ids={"C1", "C2"})
    store.add_note("C2", "Will pay I2 next week", as_of=AS_OF, invoice_id="I2")
    store.add_promise("C1", 100, date(2026, 11, 7), as_of=AS_OF, currency="USD",
                      invoice_ids=["I1"])  # fmt: skip
    store.set_dispute("I2", "C2", "quality or damage")

    # the ledger is loaded again into the same file, without C2 and its invoice
    second = _load(tmp_path / "a", ["C1"], [inv("I1", "C1", "2026-10-01", "2026-10-31", 100)])
    assert second == db
    engine = connect(db)
    try:
        ids = customers(engine)["customer_id"].tolist()
        invoices = collections_invoices(engine, as_of=AS_OF, invoice_ids=["I1", "I2"])
    finally:
        engine.close()
    after = CollectionsStore(Workspace.in_folder(db.parent), customer_ids=ids)
    notes, promises, disputes = after.notes(), after.promises(), after.disputes()
    assert (len(notes), len(promises), len(disputes)) == (1, 1, 1)  # nothing lost
    known = set(invoices["invoice_id"])
    assert orphaned(notes, ids, known).tolist() == [True]
    assert orphaned(promises, ids, known).tolist() == [False]
    assert orphaned(disputes, ids, known).tolist() == [True]
    with pytest.raises(LedgerError, match="'C2' is not a customer"):
        after.add_note("C2", "one more", as_of=AS_OF)
