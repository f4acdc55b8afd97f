"""The collection worklist (spec §13): stages at their boundaries, the pre-due "3+2+1"
cadence dates, priority by expected loss then overdue amount, the spec §15 object.

Stage ledger, as of D = 2026-10-31, one 30-day invoice per customer, due D − dpd:
  PRE due 11-05 (dpd −5) and D0 due 10-31 (dpd 0): pre-due; D1 (1) and D30 (30): 1-30;
  D31, D60: 31-60; D61, D90: 61-90; D91 (91, insured): 91+.
  D30 also has a paid invoice and a credit note older than its open one (neither counts);
  D1 also has an invoice not yet due (its oldest dpd stays 1).
Cadence (customer CAD, invoices of 2026-10-01; term = due − invoice date):
  K30 due 10-31: statement 10-04, reminders 10-16 (30 // 2 = 15) and 10-23 (90 // 4 = 22),
      confirmation 10-30
  K45 due 11-15: statement 10-04, reminders 10-23 (22) and 11-03 (135 // 4 = 33), confirmation
      11-14
  K4  due 10-05: reminder 10-03 (2); statement 10-04, reminder 10-04 (12 // 4 = 3) and
      confirmation 10-04 fall on one day: the confirmation only
  K0  due on the invoice date, KD disputed: no step
"""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.risk.collections import (
    INSURED_91_ACTION,
    LOSS_RATE_BASIS,
    PD_BASIS,
    STAGE_ACTIONS,
    WorklistOptions,
    collections_json,
    collections_summary,
    customer_timeline,
    orphaned,
    stage_of,
    stage_totals,
    with_records,
    worklist,
    worklist_totals,
)
from core.errors import LedgerError
from engines import facts
from tests.analytics.risk.test_loss_rates import AS_OF as RISK_AS_OF
from tests.analytics.risk.test_loss_rates import EDGES as RISK_EDGES
from tests.analytics.risk.test_loss_rates import risk_ledger  # noqa: F401
from tests.ledger_factory import inv, load, pay

D = date(2026, 10, 31)
DPD = {"PRE": -5, "D0": 0, "D1": 1, "D30": 30, "D31": 31, "D60": 60, "D61": 61, "D90": 90,
       "D91": 91}  # fmt: skip


def _invoice(iid, customer, due, amount=100, **extra):
    due = pd.Timestamp(due)
    return inv(iid, customer, f"{due - pd.Timedelta(days=30):%Y-%m-%d}", f"{due:%Y-%m-%d}",
               amount, **extra)  # fmt: skip


@pytest.fixture(scope="module")
def stage_ledger(tmp_path_factory):
    invoices = [
        _invoice(f"I-{c}", c, pd.Timestamp(D) - pd.Timedelta(days=d)) for c, d in DPD.items()
    ]
    invoices += [
        _invoice("I-D30-paid", "D30", "2026-06-01"),
        inv("CN-D30", "D30", "2026-05-01", "2026-05-01", -50),
        _invoice("I-D1-next", "D1", "2026-11-20"),
        inv("K30", "CAD", "2026-10-01", "2026-10-31", 300),
        inv("K45", "CAD", "2026-10-01", "2026-11-15", 450),
        inv("K4", "CAD", "2026-10-01", "2026-10-05", 40),
        inv("K0", "CAD", "2026-10-01", "2026-10-01", 10),
        inv("KD", "CAD", "2026-10-01", "2026-10-31", 20, disputed="true"),
    ]  # fmt: skip
    customers = [{"customer_id": c} for c in [*DPD, "CAD"]]
    customers[list(DPD).index("D91")]["insured_limit"] = 50
    engine = load(tmp_path_factory.mktemp("stages"), customers=customers, invoices=invoices,
                  payments=[pay("P1", "D30", "2026-06-01", 100, "I-D30-paid")])  # fmt: skip
    yield engine
    engine.close()


def test_stage_boundaries_are_30_31_60_61_90_91():
    assert stage_of([-5, 0, 1, 30, 31, 60, 61, 90, 91, 1000]).tolist() == [
        "pre-due", "pre-due", "1-30", "1-30", "31-60", "31-60", "61-90", "61-90", "91+", "91+"]  # fmt: skip


def test_each_customer_is_staged_by_its_oldest_positive_open_item(stage_ledger):
    work = worklist(stage_ledger, WorklistOptions(as_of=D), pd_by_customer={})
    rows = work.customers.set_index("customer_id")
    assert rows["oldest_dpd"].drop("CAD").to_dict() == DPD  # paid and credit items left out
    assert rows["stage"].drop("CAD").to_dict() == dict(
        zip(DPD, stage_of(list(DPD.values())), strict=True)
    )
    assert rows.loc["D61", "action"] == STAGE_ACTIONS["61-90"]
    assert rows.loc["D91", "action"] == INSURED_91_ACTION  # insured: the claim first
    assert rows.loc["D30", "oldest_invoice_id"] == "I-D30"
    assert rows.loc["D1", "open_amount"] == pytest.approx(200)  # 100 overdue + 100 not yet due
    assert rows.loc["D1", "overdue_amount"] == pytest.approx(100)


def test_the_stage_totals_and_the_spec_json(stage_ledger):
    work = worklist(stage_ledger, WorklistOptions(as_of=D), pd_by_customer={})
    # CAD's oldest open item: K4, due 10-05, dpd 26 → 1-30; open 300 + 450 + 40 + 10 + 20 = 820
    expected = {
        "pre-due": {"customers": 2, "amount": 200.0},
        "1-30": {"customers": 3, "amount": 100.0 + 200.0 + 820.0},
        "31-60": {"customers": 2, "amount": 200.0},
        "61-90": {"customers": 2, "amount": 200.0},
        "91+": {"customers": 1, "amount": 100.0},
    }
    assert collections_json(work.customers) == expected
    assert collections_summary(stage_ledger, as_of=D) == expected  # the CLI's shorter road
    totals = stage_totals(work.customers)
    assert totals["stage"].tolist() == list(expected)
    assert worklist_totals(work.customers)["n_chased"] == 8


def test_the_pre_due_cadence_dates(stage_ledger):
    keys = facts.customers(stage_ledger).set_index("customer_id")["customer_key"]
    steps = facts.collections_cadence(stage_ledger, as_of=date(2026, 10, 1),
                                      customer_keys=[int(keys["CAD"])], days=60)  # fmt: skip
    got = [(r.invoice_id, f"{r.step_date:%m-%d}", r.step) for r in steps.itertuples()]
    assert sorted(got) == sorted([
        ("K30", "10-04", "statement"), ("K30", "10-16", "first reminder"),
        ("K30", "10-23", "second reminder"), ("K30", "10-30", "payment confirmation"),
        ("K45", "10-04", "statement"), ("K45", "10-23", "first reminder"),
        ("K45", "11-03", "second reminder"), ("K45", "11-14", "payment confirmation"),
        ("K4", "10-03", "first reminder"), ("K4", "10-04", "payment confirmation"),
    ])  # fmt: skip


def test_what_is_due_today_and_this_week(stage_ledger):
    work = worklist(stage_ledger, WorklistOptions(as_of=date(2026, 10, 16)), pd_by_customer={})

    def cad(frame):
        frame = frame[frame["customer_id"] == "CAD"]
        return [(r.invoice_id, f"{r.step_date:%m-%d}") for r in frame.itertuples()]

    assert cad(work.due_today) == [("K30", "10-16")]
    # the week is (10-16, 10-23]: K30's second reminder and K45's first, both on 10-23
    assert cad(work.due_this_week) == [("K30", "10-23"), ("K45", "10-23")]


@pytest.fixture(scope="module")
def priority_ledger(tmp_path_factory):
    """PA 1,000 overdue, PB 5,000, PC 2,000 (insured limit 1,000), PD 3,000 not yet due,
    PE 500 overdue; every overdue invoice due 2026-10-01 (dpd 30)."""
    customers = [{"customer_id": c} for c in ["PA", "PB", "PD", "PE"]]
    customers.append({"customer_id": "PC", "insured_limit": 1000})
    invoices = [_invoice("I-PA", "PA", "2026-10-01", 1000), _invoice("I-PB", "PB", "2026-10-01", 5000),
                _invoice("I-PC", "PC", "2026-10-01", 2000), _invoice("I-PD", "PD", "2026-11-15", 3000),
                _invoice("I-PE", "PE", "2026-10-01", 500)]  # fmt: skip
    engine = load(tmp_path_factory.mktemp("priority"), customers=customers, invoices=invoices)
    yield engine
    engine.close()


def test_priority_is_expected_loss_then_overdue_amount(priority_ledger):
    keys = facts.customers(priority_ledger).set_index("customer_id")["customer_key"]
    pds = {int(keys[c]): p for c, p in {"PA": 0.1, "PB": 0.02, "PC": 0.2, "PD": 0.5}.items()}
    work = worklist(priority_ledger, WorklistOptions(as_of=D, lgd=0.6), pd_by_customer=pds)
    rows = work.customers.set_index("customer_id")
    # PC 2,000 × 0.2 × 0.6 × uninsured 1,100 / 2,000 (insured min(2,000, 1,000) × 90 %) = 132
    # PA 1,000 × 0.1 × 0.6 = 60; PB 5,000 × 0.02 × 0.6 = 60, more overdue so first of the two
    # PD nothing overdue → 0; PE has no PD → undefined, last
    assert rows["expected_loss_amount"].drop("PE").to_dict() == pytest.approx(
        {"PC": 132.0, "PB": 60.0, "PA": 60.0, "PD": 0.0})  # fmt: skip
    assert np.isnan(rows.loc["PE", "expected_loss_amount"])
    assert work.customers["customer_id"].tolist() == ["PC", "PB", "PA", "PD", "PE"]
    assert work.customers["priority"].tolist() == [1, 2, 3, 4, 5]
    assert rows.loc["PC", "uninsured_share"] == pytest.approx(0.55)
    assert work.loss_basis == PD_BASIS


def test_without_pds_the_calibrated_loss_rates_stand_in(risk_ledger):  # noqa: F811
    # test_ecl: C1's I1 450 overdue in 60+ at 0.75 = 337.5, uninsured share 1;
    # C2's I4 800 disputed, overdue, 60+ → 600 × uninsured 900 / 1,800 = 300 (I6 is current)
    work = worklist(risk_ledger, WorklistOptions(as_of=RISK_AS_OF, edges=RISK_EDGES))
    rows = work.customers.set_index("customer_id")
    assert rows["expected_loss_amount"].to_dict() == pytest.approx({"C1": 337.5, "C2": 300.0})
    assert work.customers["customer_id"].tolist() == ["C1", "C2"]
    assert work.loss_basis == LOSS_RATE_BASIS
    assert any("fewer than 6" in w for w in work.warnings)


def test_a_portfolio_snapshot_given_gives_the_same_worklist(risk_ledger):  # noqa: F811
    from analytics.portfolio.snapshot import Options, snapshot

    options = WorklistOptions(as_of=RISK_AS_OF, edges=RISK_EDGES)
    portfolio = snapshot(risk_ledger, Options(as_of=RISK_AS_OF, edges=RISK_EDGES)).customers
    given = worklist(risk_ledger, options, portfolio=portfolio).customers
    pd.testing.assert_frame_equal(given, worklist(risk_ledger, options).customers)


def test_an_lgd_outside_0_to_100_percent_is_refused():
    with pytest.raises(LedgerError, match="LGD"):
        WorklistOptions(as_of=D, lgd=1.5)


def test_owners_and_open_promises_join_the_rows_and_orphans_are_told():
    rows = pd.DataFrame({"customer_id": ["C1", "C2"], "stage": ["91+", "1-30"]})
    promised = pd.DataFrame({"customer_id": ["C2"], "amount_due": [400.0],
                             "next_date": [date(2026, 11, 7)]})  # fmt: skip
    out = with_records(rows, {"C1": "Bob"}, promised)
    assert out["owner"].tolist() == ["Bob", ""]
    assert out["promised_amount"].tolist() == [0.0, 400.0]
    records = pd.DataFrame(
        {"customer_id": ["C1", "C9", "C1"], "invoice_ids": [("I1",), (), ("I9",)]}
    )
    assert orphaned(records, ["C1", "C2"], ["I1"]).tolist() == [False, True, True]


def test_a_customers_timeline_newest_first():
    notes = pd.DataFrame({
        "note_id": [1, 2], "customer_id": ["C1", "C2"], "invoice_id": [None, None],
        "kind": ["call", "note"], "outcome": ["no answer", None], "note_text": ["", "other"],
        "as_of": pd.to_datetime(["2026-10-01", "2026-10-02"]), "who": ["ana", "bo"],
    })  # fmt: skip
    commitments = pd.DataFrame({
        "kind": ["promise", "plan instalment", "promise"], "record_id": [3, 4, 5],
        "instalment_no": [0, 2, 0], "customer_id": ["C1", "C1", "C1"],
        "due_date": [date(2026, 10, 7), date(2026, 11, 30), date(2026, 10, 9)],
        "amount": [500.0, 250.0, 100.0], "state": ["broken", "open", "cancelled"],
        "invoice_ids": [("I1",), ("I1", "I2"), ()], "who": ["ana", "ana", "ana"],
    })  # fmt: skip
    disputes = pd.DataFrame({
        "invoice_id": ["I2"], "customer_id": ["C1"], "reason": ["price"], "status": ["open"],
        "note": [None], "who": ["ana"], "updated_at": pd.to_datetime(["2026-10-20 14:00"]),
    })  # fmt: skip
    out = customer_timeline("C1", notes=notes, commitments=commitments, disputes=disputes)
    assert out[["date", "kind", "what", "state"]].values.tolist() == [
        [date(2026, 11, 30), "plan instalment", "Plan 4, instalment 2 for I1, I2", "open"],
        [date(2026, 10, 20), "dispute", "I2 disputed: price (open)", "open"],
        [date(2026, 10, 7), "promise", "Promise 3 to pay 500.00 for I1", "broken"],
        [date(2026, 10, 1), "call", "Call (no answer)", ""],
    ]  # the cancelled promise and the other customer's note are left out
