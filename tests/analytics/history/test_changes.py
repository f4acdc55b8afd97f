"""What changed between two committee snapshots, on a hand-built pair of ledgers where each
kind of change happens once.

Ledger A, customers C0-C5 (credit limits: C0 200,000, C1-C3 10,000, C4 and C5 1,000), S1 as of
D1 = 31 Mar 2024, S2 as of D2 = 7 Apr 2024 (7 days later):

    doc  customer  invoice  due     amount  what happens by D2
    I0   C0        25 Mar   24 May  100,000 nothing (current at both; the largest balance)
    I1   C1        4 Mar    3 Apr     1,000 falls due: dpd −3 at D1 → 4 at D2  (newly overdue)
    I2   C2        19 Feb   20 Mar      500 paid 2 Apr: dpd 11 at D1 → settled (cured)
    I3   C3        4 Feb    5 Mar     2,000 300 paid 5 Apr: dpd 26 (1-30) → 33 (31-60)
    I4a  C4        31 Mar   30 Apr      800 nothing
    I4b  C4        5 Apr    5 May       400 new: C4's exposure 800 → 1,200 (new over limit)
    I5   C5        15 Mar   14 Apr    1,500 700 paid 3 Apr: exposure 1,500 → 800 (cleared)

Aging at D1: current 100,000 + 1,000 + 800 + 1,500 = 103,300; 1-30 500 + 2,000 = 2,500.
Aging at D2: current 100,000 + 800 + 400 + 800 = 102,000; 1-30 1,000; 31-60 1,700.

Bucket moves (document by document):
    current → current    I0 100,000 + I4a 800 + I5 800 = 101,600 (3 documents)
    current → 1-30       I1 1,000
    current → part paid  I5 1,500 − 800 = 700
    1-30 → 31-60         I3 1,700
    1-30 → settled       I2 500
    1-30 → part paid     I3 2,000 − 1,700 = 300
    opened since → current  I4b 400
rows: current 101,600 + 1,000 + 700 = 103,300 and 1-30 1,700 + 500 + 300 = 2,500 (S1's aging);
columns: current 101,600 + 400 = 102,000, 1-30 1,000, 31-60 1,700 (S2's aging).

Balances D1 → D2: C2 500 → 0 (−500), C3 2,000 → 1,700 (−300), C4 800 → 1,200 (+400), C5
1,500 → 800 (−700): movers C5, C2, C4, C3. Overdue: C1 0 → 1,000, C2 500 → 0, C3 2,000 →
1,700: movers C1, C2, C3. Customers over limit: 1 at both dates (C5, then C4): the headline
change is 0 while one went over and one came back under.

Grades come from another engineer's model, which cannot be fitted on six customers; here they
are given: C1 B → D (down), C2 C → B (up), C0 A at both. The month-end before D2 is D1, so the
downgrade warning fires for C1 at D2 (B at 31 Mar, D at 7 Apr). Warnings: raised over_limit
(C4) and downgrade (C1); cleared over_limit (C5). C0 holds > 10 % of balances at both dates
(concentration, unchanged); nothing else fires.

Promises collectors recorded (tolerance 3 days, so a promise is judged on the payments of
its customer after it was made and up to its date + 3):

    #  customer  made    promised  amount  payments in the window  at D1        at D2
    1  C1        25 Mar  1 Apr     1,000   none (to 4 Apr)          open         broken
    2  C3        28 Mar  3 Apr     1,000   P3 300 on 5 Apr (to 6)   open         partly kept
    3  C2        1 Mar   10 Mar      500   none (P2 is 2 Apr > 13)  broken       broken
    4  C5        30 Mar  3 Apr       700   P5 700 on 3 Apr          open         kept
    5  C4        5 Apr   10 Apr      400   none yet                 not yet made open

Promises broken between S1 and S2: #1 (shortfall 1,000) and #2 (1,000 − 300 = 700), by date;
#3 was broken already at S1, #4 kept, #5 still open.

Ledger B is ledger A plus a payment of 200 dated 6 Apr against I4a, posted after S2 was taken:
recomputed as of D2 on B, total AR, not-yet-due AR and the current bucket are 200 lower, C4's
exposure is 1,000 (not over its limit of 1,000): the count over limit falls 1 → 0.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analytics.history import providers
from analytics.history.changes import (
    OPENED,
    PART_PAID,
    SETTLED,
    bucket_matrix,
    default_pair,
    restatements,
    what_changed,
)
from analytics.history.snapshots import build_snapshot
from analytics.risk.promises import PROMISE_COLUMNS, Commitments, broken_between
from tests.ledger_factory import inv, load, pay

D1, D2 = date(2024, 3, 31), date(2024, 4, 7)
LIMITS = {"C0": 200_000, "C1": 10_000, "C2": 10_000, "C3": 10_000, "C4": 1_000, "C5": 1_000}
INVOICES = [
    inv("I0", "C0", "2024-03-25", "2024-05-24", 100_000),
    inv("I1", "C1", "2024-03-04", "2024-04-03", 1_000),
    inv("I2", "C2", "2024-02-19", "2024-03-20", 500),
    inv("I3", "C3", "2024-02-04", "2024-03-05", 2_000),
    inv("I4a", "C4", "2024-03-31", "2024-04-30", 800),
    inv("I4b", "C4", "2024-04-05", "2024-05-05", 400),
    inv("I5", "C5", "2024-03-15", "2024-04-14", 1_500),
]
PAYMENTS = [
    pay("P2", "C2", "2024-04-02", 500, "I2"),
    pay("P3", "C3", "2024-04-05", 300, "I3"),
    pay("P5", "C5", "2024-04-03", 700, "I5"),
]
LATE = pay("P4", "C4", "2024-04-06", 200, "I4a")  # posted after S2: ledger B only
GRADES = {D1: {0: "A", 1: "B", 2: "C"}, D2: {0: "A", 1: "D", 2: "B"}}  # by customer_key
PREVIOUS = {D1: {0: "A", 1: "B", 2: "C"}, D2: GRADES[D1]}  # at the month-end before D


def _ledger(folder, payments):
    customers = [{"customer_id": c, "name": f"Customer {c}", "credit_limit": limit}
                 for c, limit in LIMITS.items()]  # fmt: skip
    return load(folder, customers=customers, invoices=INVOICES, payments=payments)


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    root = tmp_path_factory.mktemp("history")
    return _ledger(root / "a", PAYMENTS), _ledger(root / "b", [*PAYMENTS, LATE])


@pytest.fixture(scope="module")
def given_grades():
    """The behavioural model's grades, given (see the module docstring)."""

    def scores(engine, as_of):
        grades = GRADES[as_of]
        frame = pd.DataFrame({"customer_key": list(grades), "pd": [0.01] * len(grades),
                              "grade": list(grades.values())})  # fmt: skip
        return frame, grades, PREVIOUS[as_of], None

    patch = pytest.MonkeyPatch()
    patch.setattr(providers, "behavioural_scores", scores)
    yield
    patch.undo()


@pytest.fixture(scope="module")
def pair(ledgers, given_grades):
    a, _ = ledgers
    return build_snapshot(a, D1, ledger="a"), build_snapshot(a, D2, ledger="a")


@pytest.fixture(scope="module")
def changes(pair):
    return what_changed(*pair)


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame["customer_id"].tolist()


def test_newly_overdue_and_cured_customers(changes):
    assert _ids(changes.newly_overdue) == ["C1"]
    assert changes.newly_overdue["overdue_amount_after"].tolist() == [1_000.0]
    assert _ids(changes.cured) == ["C2"]
    assert changes.cured["overdue_amount_before"].tolist() == [500.0]


def test_amounts_that_moved_bucket_document_by_document(changes):
    moves = changes.bucket_moves
    got = {(r.from_bucket, r.to_bucket): (round(r.amount, 2), r.n_documents)
           for r in moves.itertuples()}  # fmt: skip
    assert got == {
        ("current", "current"): (101_600.0, 3),
        ("current", "1-30"): (1_000.0, 1),
        ("current", PART_PAID): (700.0, 1),
        ("1-30", "31-60"): (1_700.0, 1),
        ("1-30", SETTLED): (500.0, 1),
        ("1-30", PART_PAID): (300.0, 1),
        (OPENED, "current"): (400.0, 1),
    }
    assert changes.moved_older_amount == 2_700.0  # 1,000 current → 1-30 + 1,700 1-30 → 31-60


def test_the_bucket_moves_add_up_to_each_snapshots_aging(pair, changes):
    before, after = pair
    matrix = bucket_matrix(changes).set_index("from_bucket")
    rows = matrix.drop(index=OPENED).sum(axis=1)
    assert rows.to_dict() == pytest.approx({k: v for k, v in before.metrics["aging"].items() if v})
    arrived = matrix.drop(columns=[SETTLED, PART_PAID]).sum(axis=0)
    assert arrived.to_dict() == pytest.approx(
        {k: v for k, v in after.metrics["aging"].items() if v}
    )


def test_new_and_cleared_over_limit_while_the_count_stays(changes):
    assert _ids(changes.new_over_limit) == ["C4"]
    assert changes.new_over_limit["utilisation_after"].tolist() == pytest.approx([1.2])
    assert _ids(changes.cleared_over_limit) == ["C5"]
    assert changes.cleared_over_limit["utilisation_after"].tolist() == pytest.approx([0.8])
    count = changes.headline.set_index("key").loc["limits.customers_over_limit"]
    assert (count["before"], count["after"], count["change"]) == (1, 1, 0)


def test_grade_changes_up_and_down(changes):
    grades = changes.grade_changes.set_index("customer_id")
    assert grades["direction"].to_dict() == {"C1": "down", "C2": "up"}
    assert grades.loc["C1", ["grade_before", "grade_after"]].tolist() == ["B", "D"]


def test_largest_balance_and_overdue_movers(pair, changes):
    assert _ids(changes.balance_movers) == ["C5", "C2", "C4", "C3"]
    assert changes.balance_movers["change"].tolist() == [-700.0, -500.0, 400.0, -300.0]
    assert _ids(changes.overdue_movers) == ["C1", "C2", "C3"]
    assert changes.overdue_movers["change"].tolist() == [1_000.0, -500.0, -300.0]
    assert _ids(what_changed(*pair, top_n=2).balance_movers) == ["C5", "C2"]


def test_warnings_raised_and_cleared(changes):
    raised = changes.warnings_raised[["customer_id", "warning"]].values.tolist()
    assert raised == [["C1", "downgrade"], ["C4", "over_limit"]]
    cleared = changes.warnings_cleared[["customer_id", "warning"]].values.tolist()
    assert cleared == [["C5", "over_limit"]]


def test_every_headline_figure_has_its_delta(changes):
    h = changes.headline.set_index("key")
    # 105,800 = 100,000 + 1,000 + 500 + 2,000 + 800 + 1,500; then −500 −300 +400 −700
    assert h.loc["ar.total", ["before", "after", "change"]].tolist() == [
        105_800.0,
        104_700.0,
        -1_100.0,
    ]
    assert h.loc["aging.31-60", ["before", "after"]].tolist() == [0.0, 1_700.0]
    assert h.loc["customers.overdue", ["before", "after"]].tolist() == [2.0, 2.0]  # C2, C3 → C1, C3
    assert {"dso.countback", "cei", "concentration.hhi", "limits.utilisation", "ecl.gross"} <= set(
        h.index
    )
    assert changes.ledger_notes == ()


def test_restated_figures_on_todays_ledger_with_a_late_posting(ledgers, pair):
    _, b = ledgers
    restated = restatements(b, pair[1]).set_index("key")
    flagged = restated[restated["is_restated"]]
    for key in ("ar.total", "ar.current", "aging.current"):
        assert flagged.loc[key, "difference"] == pytest.approx(-200.0)
    assert flagged.loc["limits.customers_over_limit", ["stored", "today"]].tolist() == [1.0, 0.0]
    unchanged = ["ar.overdue", "ar.unapplied", "aging.1-30", "aging.31-60", "limits.limit",
                 "concentration.customers_with_balance", "dso.average_days_delinquent"]  # fmt: skip
    assert not restated.loc[unchanged, "is_restated"].any()
    assert not restatements(ledgers[0], pair[1])["is_restated"].any()  # same ledger: none


def test_snapshots_from_different_ledgers_are_compared_and_labelled(ledgers, pair):
    _, b = ledgers
    other = build_snapshot(b, D2, ledger="b")
    changes = what_changed(pair[0], other)
    assert len(changes.ledger_notes) == 1 and "different ledgers" in changes.ledger_notes[0]
    assert _ids(changes.new_over_limit) == []  # C4 is at exactly its limit on ledger B
    from reports.pack.history import History, changes_section

    lines = changes_section(History(changes, pd.DataFrame())).lines
    assert [line for line in lines if "different ledgers" in line] == [changes.ledger_notes[0]]


def test_the_default_pair_is_the_latest_two_or_the_latest_a_week_apart():
    headers = pd.DataFrame({"snapshot_id": [1, 2, 3, 4],
                            "as_of": pd.to_datetime(["2024-03-24", "2024-03-31", "2024-04-04",
                                                     "2024-04-07"])})  # fmt: skip
    assert default_pair(headers) == (3, 4)
    assert default_pair(headers, weekly=True) == (2, 4)  # 4 Apr is 3 days before 7 Apr
    assert default_pair(headers.iloc[:1]) is None
    assert default_pair(headers.iloc[2:], weekly=True) is None


def _promise(pid, customer, amount, by, made) -> dict:
    return {"promise_id": pid, "customer_id": customer, "amount": amount, "currency": "USD",
            "promised_date": pd.Timestamp(by), "made_on": pd.Timestamp(made),
            "invoice_ids": (), "note": None, "who": "ana",
            "created_at": pd.Timestamp("2024-04-07"), "cancelled_at": None}  # fmt: skip


PROMISES = Commitments(pd.DataFrame(
    [_promise(1, "C1", 1_000, "2024-04-01", "2024-03-25"),
     _promise(2, "C3", 1_000, "2024-04-03", "2024-03-28"),
     _promise(3, "C2", 500, "2024-03-10", "2024-03-01"),
     _promise(4, "C5", 700, "2024-04-03", "2024-03-30"),
     _promise(5, "C4", 400, "2024-04-10", "2024-04-05")],
    columns=PROMISE_COLUMNS,
))  # fmt: skip


@pytest.fixture(scope="module")
def with_promises(ledgers, pair):
    broken = broken_between(ledgers[0], PROMISES, D1, D2)
    return what_changed(*pair, promises_broken=broken)


def test_promises_broken_between_the_two_snapshots(with_promises):
    broken = with_promises.promises_broken
    assert broken[["customer_id", "name", "record_id", "state"]].values.tolist() == [
        ["C1", "Customer C1", 1, "broken"],
        ["C3", "Customer C3", 2, "partly kept"],
    ]
    assert broken["shortfall_amount"].tolist() == [1_000.0, 700.0]  # 1,000 − 0; 1,000 − 300
    assert "promises_broken" in with_promises.frames()


def test_without_the_promises_given_there_is_no_such_list(ledgers, changes):
    assert changes.promises_broken is None and "promises_broken" not in changes.frames()
    assert broken_between(ledgers[0], Commitments(), D1, D2).empty  # none recorded: none broken


def test_the_pack_lists_the_promises_broken_apart_from_the_warnings(with_promises):
    from reports.pack.history import History, changes_section

    section = changes_section(History(with_promises, pd.DataFrame()))
    tables = {t.title: t.frame for t in section.tables}
    assert tables["Promises broken"]["customer_id"].tolist() == ["C1", "C3"]
    assert "Warnings raised" in tables  # the broken_promise warning stays a warning there
