"""Promises to pay and payment plans (spec §13) over a worked sequence of payments.

Ledger (USD): C1 invoices I1 1,000 (2026-01-01, due 01-31) and I2 600 (2026-02-01, due
03-03); C1 pays P1 300 on 02-10 and P2 300 on 02-14 (to I1) and P3 400 on account on 02-20;
C2 (I3 500) never pays. Running total of C1's payments: 300 (02-10), 600 (02-14), 1,000 (02-20).

Promises, tolerance 3 days, counted from the day after they were made (made 02-05 unless said):
  A C1   600 by 02-14: 300 + 300 reach 600 on 02-14            → kept, on time
  B C1 1,000 by 02-15: by 02-18 only 600; P3 (02-20) too late   → partly kept, 400 short
  C C1   900 by 02-18: 600 + 400 reach 1,000 on 02-20 ≤ 02-21    → kept late (within tolerance)
  D C2   500 by 02-10: nothing by 02-13                          → broken, 500 short
  E C1   600 by 02-12, made 02-10: P1 on 02-10 is not after it, only P2 counts
                                                                 → partly kept, 300 short
Plan (C1, made 02-05, total 1,300): 250 by 02-12, 350 by 02-16, 700 by 02-25; instalment k
needs the payments to reach 250, 600, 1,300:
  1 reached 02-10 → kept; 2 reached 02-14 → kept; 3 by 02-28 only 1,000 → partly kept, paid
  1,000 − 600 = 400 toward it, 300 short.
"""

from datetime import date

import pandas as pd
import pytest

from analytics.risk.promises import (
    BROKEN,
    CANCELLED,
    KEPT,
    NOT_YET_MADE,
    OPEN,
    PARTLY,
    PROMISE_COLUMNS,
    Commitments,
    broken_promises,
    evaluate,
    expected_receipts,
    open_by_customer,
    parse_instalments,
    validate_tolerance,
)
from core.errors import LedgerError
from tests.ledger_factory import inv, load, pay

FEB_5 = date(2026, 2, 5)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    engine = load(
        tmp_path_factory.mktemp("promises"),
        invoices=[inv("I1", "C1", "2026-01-01", "2026-01-31", 1000),
                  inv("I2", "C1", "2026-02-01", "2026-03-03", 600),
                  inv("I3", "C2", "2026-01-05", "2026-02-04", 500)],
        payments=[pay("P1", "C1", "2026-02-10", 300, "I1"),
                  pay("P2", "C1", "2026-02-14", 300, "I1"),
                  pay("P3", "C1", "2026-02-20", 400)],
    )  # fmt: skip
    yield engine
    engine.close()


def promise(pid, customer, amount, by, made=FEB_5, cancelled=None, invoices=()) -> dict:
    return {"promise_id": pid, "customer_id": customer, "amount": amount, "currency": "USD",
            "promised_date": pd.Timestamp(by), "made_on": pd.Timestamp(made),
            "invoice_ids": tuple(invoices), "note": None, "who": "ana",
            "created_at": pd.Timestamp("2026-12-01"), "cancelled_at": cancelled}  # fmt: skip


PROMISES = pd.DataFrame(
    [promise(1, "C1", 600, "2026-02-14"), promise(2, "C1", 1000, "2026-02-15", invoices=["I1"]),
     promise(3, "C1", 900, "2026-02-18"), promise(4, "C2", 500, "2026-02-10"),
     promise(5, "C1", 600, "2026-02-12", made="2026-02-10")],
    columns=PROMISE_COLUMNS,
)  # fmt: skip
PLANS = pd.DataFrame([{
    "plan_id": 10, "customer_id": "C1", "total_amount": 1300.0, "currency": "USD",
    "made_on": pd.Timestamp(FEB_5), "invoice_ids": ("I1", "I2"), "note": None, "who": "ana",
    "created_at": pd.Timestamp("2026-12-01"), "cancelled_at": None,
}])  # fmt: skip
INSTALMENTS = pd.DataFrame({"plan_id": [10, 10, 10], "instalment_no": [1, 2, 3],
                            "due_date": pd.to_datetime(["2026-02-12", "2026-02-16", "2026-02-25"]),
                            "amount": [250.0, 350.0, 700.0]})  # fmt: skip
BOOK = Commitments(PROMISES, PLANS, INSTALMENTS)


def states(ledger, as_of, tolerance=3, book=BOOK):
    result = evaluate(ledger, book, as_of=as_of, tolerance_days=tolerance)
    return result, result.promises.set_index("promise_id"), result.instalments


def test_promises_after_their_date_and_tolerance(ledger):
    _, p, _ = states(ledger, date(2026, 2, 28))
    assert p["state"].to_dict() == {1: KEPT, 2: PARTLY, 3: KEPT, 4: BROKEN, 5: PARTLY}
    assert p["paid_amount"].to_dict() == pytest.approx({1: 600, 2: 600, 3: 900, 4: 0, 5: 300})
    assert p["is_late"].to_dict() == {1: False, 2: False, 3: True, 4: False, 5: False}
    assert p.loc[1, "met_date"] == pd.Timestamp("2026-02-14")
    assert p.loc[3, "met_date"] == pd.Timestamp("2026-02-20")  # 2 days after its date


def test_within_the_tolerance_a_promise_is_still_open(ledger):
    _, p, _ = states(ledger, date(2026, 2, 16))
    # B: its date passed (02-15) but 02-16 <= 02-18; C: 600 of 900 so far; D broken after 02-13
    assert p["state"].to_dict() == {1: KEPT, 2: OPEN, 3: OPEN, 4: BROKEN, 5: PARTLY}
    _, p, _ = states(ledger, date(2026, 2, 13))
    assert p.loc[4, "state"] == OPEN  # 02-10 + 3 days: the last day it could still be kept


def test_with_no_tolerance_a_late_payment_does_not_keep_it(ledger):
    _, p, _ = states(ledger, date(2026, 2, 28), tolerance=0)
    # C: by 02-18 only 600 of 900 → partly kept
    assert p.loc[3, "state"] == PARTLY and p.loc[3, "paid_amount"] == pytest.approx(600)


def test_plan_instalments_are_judged_in_order(ledger):
    _, _, i = states(ledger, date(2026, 3, 1))  # the third's last day was 02-28
    assert i["state"].tolist() == [KEPT, KEPT, PARTLY]
    assert i["paid_amount"].tolist() == pytest.approx([250, 350, 400])
    assert i["met_date"].tolist()[:2] == [pd.Timestamp("2026-02-10"), pd.Timestamp("2026-02-14")]
    _, _, i = states(ledger, date(2026, 2, 26))  # the third is in its tolerance days
    assert i["state"].tolist() == [KEPT, KEPT, OPEN]
    book, _, _ = states(ledger, date(2026, 3, 1))
    plan = book.plan_rows.set_index("plan_id").loc[10]
    assert (plan["state"], plan["n_kept"], plan["n_unmet"]) == (BROKEN, 2, 1)


def test_records_made_later_or_cancelled_have_no_state(ledger):
    later = pd.DataFrame([promise(6, "C1", 100, "2026-03-10", made="2026-03-01"),
                          promise(7, "C1", 100, "2026-02-12", cancelled=pd.Timestamp("2026-12-02"))],
                         columns=PROMISE_COLUMNS)  # fmt: skip
    _, p, _ = states(ledger, date(2026, 2, 28), book=Commitments(promises=later))
    assert p["state"].to_dict() == {6: NOT_YET_MADE, 7: CANCELLED}


def test_broken_promises_per_customer_for_the_warning(ledger):
    out = broken_promises(ledger, BOOK, as_of=date(2026, 3, 1)).set_index("customer_id")
    # C1: B 400 + E 300 + instalment 3 300 short; C2: D 500
    assert out["n_broken"].to_dict() == {"C1": 3, "C2": 1}
    assert out["shortfall_amount"].to_dict() == pytest.approx({"C1": 1000, "C2": 500})
    assert (
        out.loc["C2", "reason"]
        == "1 promise(s) or instalment(s) unmet since 2026-02-10: 500.00 not paid"
    )
    assert broken_promises(ledger, Commitments(), as_of=date(2026, 3, 1)).empty


def test_open_promises_and_instalments_as_expected_receipts(ledger):
    book, _, _ = states(ledger, date(2026, 2, 16))
    receipts = expected_receipts(book)
    # B 1,000 − 600 paid, its date passed: tomorrow; C 900 − 600 on 02-18; instalment 3 700
    assert receipts[["expected_date", "amount", "source", "record_id"]].values.tolist() == [
        [date(2026, 2, 17), 400.0, "promise", 2],
        [date(2026, 2, 18), 300.0, "promise", 3],
        [date(2026, 2, 25), 700.0, "plan", 10],
    ]
    assert receipts["invoice_ids"].tolist() == [("I1",), (), ("I1", "I2")]
    by_customer = open_by_customer(book).set_index("customer_id")
    assert by_customer.loc["C1", "amount_due"] == pytest.approx(1400)
    assert by_customer.loc["C1", "next_date"] == date(2026, 2, 15)


def test_instalments_typed_one_a_line_and_bad_input():
    assert parse_instalments("2026-11-30 1,000\n2026-12-31 500.5") == [
        (date(2026, 11, 30), 1000.0), (date(2026, 12, 31), 500.5)]  # fmt: skip
    with pytest.raises(LedgerError, match="Instalments, line 2: 'soon 100'"):
        parse_instalments("2026-11-30 100\nsoon 100")
    with pytest.raises(LedgerError, match="Tolerance"):
        validate_tolerance(-1)


def test_evaluation_does_not_change_the_records(ledger):
    before = PROMISES.copy(deep=True)
    evaluate(ledger, BOOK, as_of=date(2026, 2, 28))
    pd.testing.assert_frame_equal(PROMISES, before)
