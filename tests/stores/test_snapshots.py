"""Committee snapshots in the workspace: kept whole and read back equal, taken once per date
and content, logged, and nothing half-written."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from analytics.history.changes import what_changed
from analytics.history.snapshots import CommitteeSnapshot, build_snapshot, take_snapshot
from core.errors import LedgerError
from stores.snapshots import SnapshotStore
from stores.workspace import Workspace
from tests.ledger_factory import inv, load, pay

D1, D2 = date(2024, 3, 31), date(2024, 4, 7)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    customers = [{"customer_id": "A", "credit_limit": 1_000}, {"customer_id": "B"}]
    invoices = [inv("I1", "A", "2024-02-01", "2024-03-01", 500),
                inv("I2", "A", "2024-03-20", "2024-04-19", 700),
                inv("I3", "B", "2024-03-10", "2024-04-02", 300)]  # fmt: skip
    payments = [pay("P1", "A", "2024-04-05", 500, "I1")]
    return load(tmp_path_factory.mktemp("store"), customers=customers, invoices=invoices,
                payments=payments)  # fmt: skip


@pytest.fixture(scope="module")
def built(engine):
    return build_snapshot(engine, D1, ledger="x"), build_snapshot(engine, D2, ledger="x")


@pytest.fixture
def store(tmp_path):
    return SnapshotStore(Workspace.in_folder(tmp_path), who="committee secretary")


def _save(store, snap):
    return store.save(snap.header(), snap.customers, snap.items)


def test_a_snapshot_reads_back_equal_to_what_was_taken(store, built):
    snap = built[1]
    snapshot_id, created = _save(store, snap)
    back = CommitteeSnapshot.from_stored(*store.load(snapshot_id))
    assert created and back.snapshot_id == snapshot_id and back.taken_by == "committee secretary"
    assert (back.as_of, back.fingerprint, back.options) == (
        snap.as_of,
        snap.fingerprint,
        snap.options,
    )
    assert (back.metrics, back.notes, back.ledger) == (snap.metrics, snap.notes, "x")
    pd.testing.assert_frame_equal(back.customers, snap.customers, check_dtype=False)
    sort = ["invoice_id"]
    pd.testing.assert_frame_equal(back.items.sort_values(sort, ignore_index=True),
                                  snap.items.sort_values(sort, ignore_index=True),
                                  check_dtype=False)  # fmt: skip


def test_what_changed_is_the_same_on_stored_snapshots(store, built):
    stored = [CommitteeSnapshot.from_stored(*store.load(_save(store, s)[0])) for s in built]
    a, b = what_changed(*built), what_changed(*stored)
    for name, frame in a.frames().items():
        pd.testing.assert_frame_equal(b.frames()[name], frame, check_dtype=False, obj=name)


def test_the_same_date_and_content_is_kept_once_and_logged_once(store, built, engine):
    first = _save(store, built[0])
    assert _save(store, built[0]) == (first[0], False)
    taken = take_snapshot(engine, D1, store)
    assert (taken.snapshot_id, taken.created) == (first[0], False)
    assert store.headers()["snapshot_id"].tolist() == [first[0]]
    log = store.workspace.change_log()
    assert log[["entity", "entity_key", "action", "who"]].values.tolist() == [
        ["snapshot", str(first[0]), "create", "committee secretary"]
    ]
    assert json.loads(log["after_json"][0])["content_hash"] == built[0].fingerprint.content_hash


def test_headers_list_the_snapshots_by_date(store, built):
    ids = [_save(store, s)[0] for s in reversed(built)]  # the later date first
    headers = store.headers()
    assert headers["snapshot_id"].tolist() == ids[::-1]
    assert headers["as_of"].dt.date.tolist() == [D1, D2]


def test_a_snapshot_missing_a_column_writes_nothing(store, built):
    snap = built[0]
    with pytest.raises(LedgerError, match="snapshot_customers: the snapshot has no grade"):
        store.save(snap.header(), snap.customers.drop(columns=["grade"]), snap.items)
    assert store.headers().empty and store.workspace.change_log().empty
    with store.workspace.read() as con:
        assert con.execute("select count(*) from snapshot_customers").fetchone() == (0,)


def test_the_store_offers_no_way_to_change_a_snapshot():
    public = {n for n in dir(SnapshotStore) if not n.startswith("_")}
    assert public == {"find", "headers", "load", "save"}


def test_an_unknown_snapshot_is_said(store):
    with pytest.raises(LedgerError, match="no snapshot 42 in"):
        store.load(42)
