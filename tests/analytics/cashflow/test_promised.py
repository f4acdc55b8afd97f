"""Promises and plans in the projection, worked by hand on a tiny ledger (no sales forecast).

A and B paid three invoices each exactly on the due date, so the model places every open
item on its due date in every draw. Open at D = 30 Jun 2024 (day t = days after D; week k
holds days 7(k − 1) + 1 … 7k):
  A  I4 1,000 due 10 Jul (t = 10, week 2), I5 500 due 20 Jul (t = 20, week 3)
  B  I9   250 due  1 Jul (t = 1, week 1), C1 −80 (a credit note: not a receipt)
Without promises the weeks are 250 · 1,000 · 500 · 0 …
"""

from datetime import date

import pandas as pd
import pytest

from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from analytics.cashflow.promised import RECEIPT_COLUMNS, allocate, promised_daily
from analytics.risk.promises import (
    INSTALMENT_COLUMNS,
    PLAN_COLUMNS,
    PROMISE_COLUMNS,
    Commitments,
    evaluate,
    expected_receipts,
)
from tests.analytics.cashflow.test_model import punctual_ledger

D = date(2024, 6, 30)
MODEL = [250.0, 1000.0, 500.0] + [0.0] * 10  # the weeks without promises


@pytest.fixture
def ledger(tmp_path):
    engine = punctual_ledger(tmp_path)  # the ledger above (its credit note is named C1 there)
    yield engine
    engine.close()


def receipts(*rows) -> pd.DataFrame:
    """(customer, amount, expected date, invoices, source, record_id, instalment_no)."""
    return pd.DataFrame(
        [{"expected_date": on, "amount": float(amount), "customer_id": customer,
          "source": source, "record_id": record, "instalment_no": no, "invoice_ids": tuple(ids)}
         for customer, amount, on, ids, source, record, no in rows],
        columns=RECEIPT_COLUMNS,
    )  # fmt: skip


def promise(customer, amount, on, ids=(), record=1):
    return (customer, amount, on, ids, "promise", record, 0)


def weeks(ledger, promised, **kw):
    """The weekly open-AR receipts and the open-AR summary."""
    options = CashflowOptions(as_of=D, include_sales=False, draws=200)
    p = project(ledger, options, promised=promised, **kw)
    # every draw is the same here (punctual payers, promises on fixed dates)
    assert (p.weekly_draws == p.weekly["mean_amount"].to_numpy()).all()
    assert p.weekly["open_ar_amount"].tolist() == pytest.approx(p.weekly["p50_amount"].tolist())
    return p.weekly["open_ar_amount"].tolist(), p.open_ar


def test_a_promise_on_an_invoice_moves_its_cash_to_the_promised_week(ledger):
    # A promises I4's 1,000 for 25 Jul (t = 25, week 4): week 2 empties, week 4 gets 1,000
    shown, open_ar = weeks(ledger, receipts(promise("A", 1000, date(2024, 7, 25), ["I4"])))
    assert shown == pytest.approx([250.0, 0.0, 500.0, 1000.0] + [0.0] * 9)
    assert (open_ar.promised_amount, open_ar.n_promised) == (1000.0, 1)
    assert open_ar.open_amount == pytest.approx(1750.0)  # the whole selection's, as before
    assert open_ar.collectible == pytest.approx(1750.0)


def test_a_promise_bigger_than_the_open_amount_is_capped_at_it(ledger):
    # 1,500 promised on I4 (1,000 open): 1,000 placed in week 4, not 1,500
    shown, open_ar = weeks(ledger, receipts(promise("A", 1500, date(2024, 7, 25), ["I4"])))
    assert shown == pytest.approx([250.0, 0.0, 500.0, 1000.0] + [0.0] * 9)
    assert open_ar.promised_amount == pytest.approx(1000.0)


def test_a_partly_covered_invoice_splits_between_the_promise_and_the_model(ledger):
    # 600 of I4 on 17 Jul (t = 17, week 3); the other 400 stays on I4's due date (week 2)
    # week 3: I5's 500 + 600 = 1,100
    shown, _ = weeks(ledger, receipts(promise("A", 600, date(2024, 7, 17), ["I4"])))
    assert shown == pytest.approx([250.0, 400.0, 1100.0] + [0.0] * 10)


def test_a_promise_naming_no_invoice_covers_the_customer_oldest_due_first(ledger):
    # 1,200 from A on 25 Jul: I4 (due 10 Jul) 1,000 then I5 (due 20 Jul) 200; I5's other
    # 300 stays in week 3
    shown, _ = weeks(ledger, receipts(promise("A", 1200, date(2024, 7, 25))))
    assert shown == pytest.approx([250.0, 0.0, 300.0, 1200.0] + [0.0] * 9)


def test_plan_instalments_take_in_date_order_and_the_last_is_capped(ledger):
    # plan 7 over I4 + I5 (1,500 open): 700 on 5 Jul (t = 5, week 1) takes 700 of I4;
    # 700 on 4 Aug (t = 35, week 5) takes I4's 300 and 400 of I5; 700 on 10 Aug (t = 41,
    # week 6) finds 100 left. Week 1: 250 + 700 = 950; week 5: 700; week 6: 100
    plan = [("A", 700, date(2024, 7, 5), ["I4", "I5"], "plan", 7, 1),
            ("A", 700, date(2024, 8, 4), ["I4", "I5"], "plan", 7, 2),
            ("A", 700, date(2024, 8, 10), ["I4", "I5"], "plan", 7, 3)]  # fmt: skip
    shown, open_ar = weeks(ledger, receipts(*plan))
    assert shown == pytest.approx([950.0, 0.0, 0.0, 0.0, 700.0, 100.0] + [0.0] * 7)
    assert (open_ar.promised_amount, open_ar.n_promised) == (1500.0, 1)  # one plan


def test_promises_outside_the_selection_or_the_ledger_place_nothing(ledger):
    promised = receipts(promise("A", 500, date(2024, 7, 25), record=1),
                        promise("Z", 500, date(2024, 7, 25), record=2),  # not a customer
                        promise("B", 500, date(2024, 7, 25), ["GONE"], record=3))  # fmt: skip
    shown, open_ar = weeks(ledger, promised, customer_keys=[1])  # B only: A is filtered out
    assert shown == pytest.approx([250.0] + [0.0] * 12)
    assert (open_ar.promised_amount, open_ar.n_promised) == (0.0, 0)


def test_a_promise_past_the_horizon_leaves_the_weeks_and_counts_after_them(ledger):
    # 1,000 of I4 promised for 30 Dec (t = 183, after 13 weeks and inside 12 months)
    options = CashflowOptions(as_of=D, include_sales=False, draws=200)
    p = project(ledger, options, promised=receipts(promise("A", 1000, date(2024, 12, 30), ["I4"])))
    assert p.weekly["open_ar_amount"].tolist() == pytest.approx([250.0, 0.0, 500.0] + [0.0] * 10)
    assert p.monthly["open_ar_amount"].tolist() == pytest.approx(
        [750.0, 0, 0, 0, 0, 1000.0] + [0.0] * 6)  # July, then December  # fmt: skip


def test_no_promises_is_the_model_alone(ledger):
    assert weeks(ledger, None)[0] == pytest.approx(MODEL)
    assert weeks(ledger, receipts())[0] == pytest.approx(MODEL)


# --- from what collectors recorded (analytics.risk.promises) -----------------------------------


def book(ledger, *promises) -> pd.DataFrame:
    """Promises (customer, amount, promised date, made on, invoices) judged at D, tolerance 3
    days, as expected receipts."""
    rows = pd.DataFrame(
        [{"promise_id": n, "customer_id": c, "amount": a, "currency": "USD",
          "promised_date": pd.Timestamp(by), "made_on": pd.Timestamp(made),
          "invoice_ids": tuple(ids), "note": None, "who": "ana",
          "created_at": pd.Timestamp(made), "cancelled_at": None}
         for n, (c, a, by, made, ids) in enumerate(promises, start=1)],
        columns=PROMISE_COLUMNS,
    )  # fmt: skip
    empty = Commitments(rows, pd.DataFrame(columns=PLAN_COLUMNS),
                        pd.DataFrame(columns=INSTALMENT_COLUMNS))  # fmt: skip
    return expected_receipts(evaluate(ledger, empty, as_of=D, tolerance_days=3))


def test_a_passed_promise_within_its_tolerance_is_expected_the_day_after_d(ledger):
    # promised for 29 Jun, nothing paid; 29 Jun + 3 days ≥ D: still open, placed on 1 Jul
    # (t = 1, week 1): week 1 = 250 + 1,000, week 2 empties
    promised = book(ledger, ("A", 1000, date(2024, 6, 29), date(2024, 6, 20), ["I4"]))
    assert promised["expected_date"].tolist() == [date(2024, 7, 1)]
    assert weeks(ledger, promised)[0] == pytest.approx([1250.0, 0.0, 500.0] + [0.0] * 10)


def test_a_broken_promise_leaves_its_invoice_to_the_model(ledger):
    # promised for 20 Jun, nothing paid by 23 Jun: broken at D, no receipt, model timing
    promised = book(ledger, ("A", 1000, date(2024, 6, 20), date(2024, 6, 15), ["I4"]))
    assert promised.empty
    assert weeks(ledger, promised)[0] == pytest.approx(MODEL)


# --- the pieces ---------------------------------------------------------------------------------


def test_allocate_takes_oldest_first_and_caps_each_receipt():
    units = pd.DataFrame({"customer_key": [0, 0, 1], "invoice_id": ["I1", "", "I3"],
                          "open_amount": [100.0, 50.0, 30.0]})  # fmt: skip
    ordered = pd.DataFrame({"customer_key": [0, 0, 1], "invoice_ids": [("I1",), (), ("I3",)],
                            "amount": [60.0, 200.0, 10.0]})  # fmt: skip
    left, placed = allocate(units, ordered)
    # I1: 100 − 60 = 40; then the customer's 40 + 50 = 90 of 200; I3: 30 − 10 = 20
    assert left.tolist() == [0.0, 0.0, 20.0]
    assert placed.tolist() == [60.0, 90.0, 10.0]


def test_promised_daily_puts_what_is_after_the_horizon_in_the_last_column():
    placed = pd.DataFrame({"day": [1, 3, 3, 9], "placed_amount": [5.0, 1.0, 2.0, 7.0]})
    assert promised_daily(placed, 4).tolist() == [5.0, 0.0, 3.0, 0.0, 7.0]


def test_placing_does_not_change_its_inputs(ledger):
    promised = receipts(promise("A", 600, date(2024, 7, 17), ["I4"]))
    before = promised.copy()
    weeks(ledger, promised)
    pd.testing.assert_frame_equal(promised, before)
