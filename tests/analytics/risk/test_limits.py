"""Recommended limits, staged granting and the review queue (spec §11), as of 2026-06-30.

Sales window: (2025-12-30, 2026-06-30] (6 months); recommendation = monthly sales ×
(terms + 30) / 30 × multiplier (A 1.5, B 1.25, C 1.0, D 0.6), rounded up to 2 significant
figures, insured floor for A–C, × 50 % while staged.

C1 A, terms 30: 1,000 on the 5th monthly 2025-01..2026-06, paid on time. 6 × 1,000 / 6 = 1,000
   a month × 60/30 × 1.5 = 3,000. Clean since the start: stepped up 2025-07-05. Limit 10,000
   reviewed 2026-01-15: gap (10,000 − 3,000) / 3,000 = 2.33 > 25 % → queue (gap).
C2 B, terms 60, insured 20,000: 3,000 on the 10th, 2026-03..06 (4 invoices, unpaid but none
   due before D... all due 60 days later). 12,000 / 6 = 2,000 × 90/30 × 1.25 = 7,500; insured
   floor (grade B) 20,000; young (first + 6 months = 2026-09-10 > D) → 50 % = 10,000. No limit:
   gap −100 % → queue (gap); no limit, so no review date needed.
C3 C, terms 30: 500 on the 1st, 2025-06..2026-06, paid on due date except 2025-06 paid
   2025-07-20 (19 days late) and 2026-01 paid 2026-02-20 (20 late). Late s1 2025-07-20 ≤
   first + 6 m (2025-12-01); next late 2026-02-20 > s1 + 6 m (2026-01-20): a clean run ends
   2026-01-20 → stepped up, not undone by the later lapse. 3,000 / 6 = 500 × 2 × 1.0 = 1,000.
   Limit 1,250 (gap exactly 25 %: not more) reviewed 2025-06-30 (exactly 12 months: not more)
   → not in the queue.
C4 D, terms 30: 800 on the 1st, 2025-10..2026-06, late 2025-10 paid 2025-11-20 (20 late) and
   2026-02 paid 2026-03-15 (12 days late: not more than 15, does not break the run) and 2026-03
   paid 2026-04-20 (20 late). s1 2025-11-20, s2 2026-04-20 ≤ s1 + 6 m (2026-05-20): no clean run;
   s2 + 6 m = 2026-10-20 > D → staged. 4,800 / 6 = 800 × 2 × 0.6 = 960 → × 50 % = 480.
   Limit 700 set 2025-03-31 (15 months) and 800 open from 2026-06-01 (> 700): queue with all
   three reasons.
"""

from datetime import date, timedelta

import pandas as pd
import pytest

from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.limits import (
    ASSIGNED,
    BEHAVIOURAL,
    REASON_GAP,
    REASON_OVER,
    REASON_STALE,
    LimitSettings,
    add_months,
    recommended_limits,
    review_queue,
    review_table,
)
from core.errors import LedgerError
from tests.ledger_factory import inv, load, pay

AS_OF = date(2026, 6, 30)
CUSTOMERS = [
    {"customer_id": "C1", "risk_rating": "A", "payment_terms_days": 30, "credit_limit": 10000,
     "credit_limit_date": "2026-01-15"},
    {"customer_id": "C2", "risk_rating": "B", "payment_terms_days": 60, "insured_limit": 20000},
    {"customer_id": "C3", "risk_rating": "C", "payment_terms_days": 30, "credit_limit": 1250,
     "credit_limit_date": "2025-06-30"},
    {"customer_id": "C4", "risk_rating": "D", "payment_terms_days": 30, "credit_limit": 700,
     "credit_limit_date": "2025-03-31"},
]  # fmt: skip
LATE = {  # invoice date -> payment date, where not paid on the due date
    ("C3", date(2025, 6, 1)): date(2025, 7, 20),
    ("C3", date(2026, 1, 1)): date(2026, 2, 20),
    ("C4", date(2025, 10, 1)): date(2025, 11, 20),
    ("C4", date(2026, 2, 1)): date(2026, 3, 15),
    ("C4", date(2026, 3, 1)): date(2026, 4, 20),
}


def _monthly(customer, first, last, amount, terms):
    invoices, payments = [], []
    day = first
    while day <= last:
        due = day + timedelta(days=terms)
        iid = f"{customer}-{day:%Y%m}"
        invoices.append(inv(iid, customer, day.isoformat(), due.isoformat(), amount))
        paid = LATE.get((customer, day), due)
        if paid <= AS_OF:
            payments.append(pay(f"P{iid}", customer, paid.isoformat(), amount, iid))
        day = add_months(day, 1)
    return invoices, payments


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    parts = [
        _monthly("C1", date(2025, 1, 5), date(2026, 6, 5), 1000, 30),
        _monthly("C2", date(2026, 3, 10), date(2026, 6, 10), 3000, 60),
        _monthly("C3", date(2025, 6, 1), date(2026, 6, 1), 500, 30),
        _monthly("C4", date(2025, 10, 1), date(2026, 6, 1), 800, 30),
    ]
    invoices = [i for p in parts for i in p[0]]
    payments = [x for p in parts for x in p[1] if x["payment_date"] <= AS_OF.isoformat()]
    engine = load(tmp_path_factory.mktemp("limits"), customers=CUSTOMERS, invoices=invoices,
                  payments=payments)  # fmt: skip
    yield engine
    engine.close()


@pytest.fixture(scope="module")
def limits(engine):
    return recommended_limits(engine, AS_OF).set_index("customer_id")


def test_the_recommendation_arithmetic(limits):
    assert limits["monthly_sales_amount"].to_dict() == pytest.approx(
        {"C1": 1000.0, "C2": 2000.0, "C3": 500.0, "C4": 800.0}
    )
    assert limits["raw_amount"].to_dict() == pytest.approx(
        {"C1": 3000.0, "C2": 7500.0, "C3": 1000.0, "C4": 960.0}
    )
    assert limits.loc["C2", "insured_floor_applied"] and limits.loc["C2", "full_amount"] == 20000
    assert limits["recommended_limit"].to_dict() == {"C1": 3000.0, "C2": 10000.0, "C3": 1000.0,
                                                     "C4": 480.0}  # fmt: skip
    assert (limits["grade_source"] == ASSIGNED).all()


def test_staged_granting_steps_up_after_six_clean_months(limits):
    assert limits["is_staged"].to_dict() == {"C1": False, "C2": True, "C3": False, "C4": True}
    assert limits.loc["C1", "step_up_date"] == pd.Timestamp(
        2025, 7, 5
    )  # first + 6 months, never late
    assert limits.loc["C3", "step_up_date"] == pd.Timestamp(2026, 1, 20)  # 6 clean months after s1


def test_the_review_queue_and_its_reasons_at_their_thresholds(engine, limits):
    customers = snapshot(engine, Options(as_of=AS_OF)).customers
    queue = review_queue(limits.reset_index(), customers, AS_OF).set_index("customer_id")
    assert set(queue.index) == {"C1", "C2", "C4"}  # C3 sits exactly on both thresholds
    assert queue.loc["C1", "reasons"] == REASON_GAP
    assert queue.loc["C2", "reasons"] == REASON_GAP
    assert queue.loc["C4", "reasons"] == f"{REASON_GAP}, {REASON_STALE}, {REASON_OVER}"
    # one step past each threshold: a 24 % gap setting and an 11-month review put C3 in
    tighter = LimitSettings(gap_share=0.24, review_months=11)
    queue = review_queue(limits.reset_index(), customers, AS_OF, tighter).set_index("customer_id")
    assert queue.loc["C3", "reasons"] == f"{REASON_GAP}, {REASON_STALE}"


def test_a_behavioural_grade_replaces_the_assigned_rating(engine):
    # C1 graded E by the model: multiplier 0 → no limit recommended
    keys = {"C1": 0}
    frame = recommended_limits(engine, AS_OF, grades={keys["C1"]: "E"}).set_index("customer_id")
    assert frame.loc["C1", "grade_source"] == BEHAVIOURAL
    assert frame.loc["C1", "recommended_limit"] == 0.0


def test_limit_settings_out_of_range_are_refused():
    with pytest.raises(LedgerError, match="staged share is out of range"):
        LimitSettings(staged_share=0)


def test_a_recorded_limit_decision_resets_the_review_date(engine, limits):
    # C4's limit was set 2025-03-31 (15 months: review overdue); the committee decided on its
    # limit on 2026-05-31 (1 month): no longer overdue, still far from the recommendation and
    # over its limit. An older decision than the ledger's date changes nothing (C1).
    customers = snapshot(engine, Options(as_of=AS_OF)).customers
    decided = {"C4": date(2026, 5, 31), "C1": date(2025, 1, 1)}
    queue = review_queue(limits.reset_index(), customers, AS_OF)
    table = review_table(limits.reset_index(), customers, AS_OF, decided=decided)
    after = table.set_index("customer_id")
    assert REASON_STALE in queue.set_index("customer_id").loc["C4", "reasons"]
    assert after.loc["C4", "reasons"] == f"{REASON_GAP}, {REASON_OVER}"
    assert after.loc["C4", "months_since_review"] == 0
    assert after.loc["C1", "credit_limit_date"] == pd.Timestamp(2026, 1, 15)
