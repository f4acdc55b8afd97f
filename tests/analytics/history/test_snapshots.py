"""Committee snapshots: the content hash, what a snapshot holds (each figure its own module's),
NULL where another model is not built, and taking one again being a no-op."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from analytics.history.snapshots import (
    CUSTOMER_COLUMNS,
    build_snapshot,
    ledger_fingerprint,
    snapshot_dates,
    take_snapshot,
    take_snapshots,
)
from analytics.portfolio.report import metrics_json, portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.ecl import EclOptions, expected_credit_loss
from core.errors import LedgerError
from tests.ledger_factory import inv, load, pay

D = date(2024, 4, 7)
CUSTOMERS = [{"customer_id": "A", "credit_limit": 1_000}, {"customer_id": "B"}]
# A: 1,200 open (500 dpd 37 in 31-60, 700 current), over its 1,000 limit; B: nothing open
INVOICES = [
    inv("I1", "A", "2024-02-01", "2024-03-01", 500),
    inv("I2", "A", "2024-03-20", "2024-04-19", 700),
    inv("I3", "B", "2024-01-10", "2024-02-09", 300),
]
PAYMENTS = [pay("P1", "B", "2024-02-09", 300, "I3")]


def _load(folder, invoices=INVOICES):
    return load(folder, customers=CUSTOMERS, invoices=invoices, payments=PAYMENTS)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    return _load(tmp_path_factory.mktemp("snap"))


def test_the_same_files_loaded_twice_hash_the_same_and_any_edit_changes_it(tmp_path, engine):
    again = ledger_fingerprint(_load(tmp_path / "again"))
    first = ledger_fingerprint(engine)
    assert again.content_hash == first.content_hash and len(first.content_hash) == 16
    assert again.source != first.source  # loaded from another folder, same content
    edited = [*INVOICES[:2], inv("I3", "B", "2024-01-10", "2024-02-09", 300.01)]
    assert ledger_fingerprint(_load(tmp_path / "edited", edited)).content_hash != first.content_hash
    moved = [*INVOICES[:2], inv("I3", "B", "2024-01-11", "2024-02-09", 300)]
    assert ledger_fingerprint(_load(tmp_path / "moved", moved)).content_hash != first.content_hash


def test_a_snapshot_holds_the_portfolios_own_figures(engine):
    snap = build_snapshot(engine, D)
    portfolio = snapshot(engine, Options(as_of=D))
    assert snap.metrics == metrics_json(portfolio_metrics(portfolio), portfolio, "USD")
    assert list(snap.customers.columns) == CUSTOMER_COLUMNS
    a = snap.customers.set_index("customer_id").loc["A"]
    assert a["bucket_amounts"] == [700.0, 0.0, 500.0, 0.0, 0.0, 0.0]  # current, 1-30, 31-60…
    assert (a["balance_amount"], a["overdue_amount"], a["is_over_limit"]) == (1_200.0, 500.0, True)
    assert a["utilisation"] == pytest.approx(1.2)
    assert a["stage"] == "31-60" and "over_limit" in a["warnings"]  # oldest dpd 37; 120 %
    ecl = expected_credit_loss(engine, EclOptions(as_of=D))  # no month-end a year back
    assert ecl.total is None and snap.customers["gross_ecl_amount"].isna().all()
    items = snap.items.sort_values("invoice_id")
    assert items[["invoice_id", "bucket", "open_amount"]].values.tolist() == [
        ["I1", 2, 500.0], ["I2", 0, 700.0]
    ]  # fmt: skip
    assert (
        snap.header()["n_items"] == 2
        and snap.header()["content_hash"] == snap.fingerprint.content_hash
    )


def test_a_model_not_in_the_build_leaves_its_columns_null_and_says_so(engine, monkeypatch):
    monkeypatch.setitem(sys.modules, "analytics.risk.collections", None)  # import fails
    monkeypatch.setitem(sys.modules, "analytics.risk.model", None)
    snap = build_snapshot(engine, D)
    assert snap.customers[["stage", "pd", "grade"]].isna().all().all()
    assert any("collections stage" in n for n in snap.notes)
    assert any("behavioural PD" in n for n in snap.notes)
    assert snap.customers["warnings"].map(lambda w: isinstance(w, list)).all()  # still evaluated


class Sink:
    """A store in memory that counts what it was asked."""

    def __init__(self):
        self.saved: dict[tuple, int] = {}

    def find(self, as_of, content_hash):
        return self.saved.get((as_of, content_hash))

    def save(self, header, customers, items):
        key = (header["as_of"], header["content_hash"])
        if key in self.saved:
            return self.saved[key], False
        self.saved[key] = len(self.saved) + 1
        return self.saved[key], True


def test_taking_the_same_date_and_content_again_is_a_no_op(engine, monkeypatch):
    sink = Sink()
    first = take_snapshot(engine, D, sink)
    assert first.created and first.json()["status"] == "created"
    monkeypatch.setattr("analytics.history.snapshots.build_snapshot", _never)
    again = take_snapshot(engine, D, sink)
    assert (again.snapshot_id, again.created, again.json()["status"]) == (
        first.snapshot_id,
        False,
        "existed",
    )
    assert "Nothing new" in again.message


def _never(*args, **kwargs):
    raise AssertionError("a snapshot already taken was computed again")


def test_a_backfill_takes_each_date_with_progress(engine):
    seen = []
    dates = snapshot_dates(date(2024, 3, 1), date(2024, 3, 20), "week")
    taken = list(take_snapshots(engine, dates, Sink(), progress=lambda f, m: seen.append((f, m))))
    assert [t.as_of for t in taken] == [date(2024, 3, 1), date(2024, 3, 8), date(2024, 3, 15)]
    assert seen[0][1].startswith("1/3 2024-03-01") and seen[-1] == (1.0, "3/3 2024-03-15: done")
    assert [f for f, _ in seen] == sorted(f for f, _ in seen)


def test_bad_dates_are_refused_naming_the_option(engine):
    with pytest.raises(LedgerError, match="--as-of 2023-12-31: the ledger starts on 2024-01-10"):
        take_snapshot(engine, date(2023, 12, 31), Sink())
    with pytest.raises(LedgerError, match="--from 2024-03-02 is after --to 2024-03-01"):
        snapshot_dates(date(2024, 3, 2), date(2024, 3, 1), "week")
    with pytest.raises(LedgerError, match="--every: one of week, month"):
        snapshot_dates(date(2024, 3, 1), date(2024, 3, 2), "day")
