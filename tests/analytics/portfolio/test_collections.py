"""Days to pay and days late of settled invoices, weighted by invoice amount (spec §4).

Ledger (USD, EUR at 1.10), customers A (terms 30), B (terms 30), C (terms 28):
  A  I1  1,000  01-01 due 01-31, paid 02-10                   -> settled 02-10: 40 to pay, 10 late
     I2  3,000  02-01 due 03-02, paid 1,000 02-20 + 2,000 03-01 -> settled 03-01: 29 to pay, −1 late
     I3    500  03-01 due 03-31, unpaid                       -> not settled
  B  I4  2,000  01-15 due 02-14, credit C1 −500 (02-01), paid 1,500 03-20
                                                              -> settled 03-20: 65 to pay, 35 late
     I5    400  2023-10-01 due 10-31, paid 11-30              -> settled 2023-11-30: 60, 30 late
  C  I6  EUR 1,000 (= USD 1,100) 02-01 due 02-29, paid 03-10   -> settled 03-10: 38, 10 late
Dates are 2024 unless shown.
"""

from datetime import date

import numpy as np
import pytest

from analytics.portfolio.collections import (
    BEHAVIOUR_COLUMNS,
    months_before,
    payment_behaviour,
    portfolio_behaviour,
    settled_by_customer,
)
from tests.ledger_factory import inv, load, pay

D = date(2024, 3, 31)


@pytest.fixture
def con(tmp_path):
    return load(
        tmp_path,
        customers=[
            {"customer_id": "A", "name": "Alpha", "risk_rating": "B", "payment_terms_days": 30},
            {"customer_id": "B", "name": "Beta", "risk_rating": "D", "payment_terms_days": 30},
            {"customer_id": "C", "name": "Gamma", "risk_rating": "A", "payment_terms_days": 28},
        ],
        invoices=[
            inv("I1", "A", "2024-01-01", "2024-01-31", 1000),
            inv("I2", "A", "2024-02-01", "2024-03-02", 3000),
            inv("I3", "A", "2024-03-01", "2024-03-31", 500),
            inv("I4", "B", "2024-01-15", "2024-02-14", 2000),
            inv("C1", "B", "2024-02-01", "2024-02-01", -500, applies_to="I4"),
            inv("I5", "B", "2023-10-01", "2023-10-31", 400),
            inv("I6", "C", "2024-02-01", "2024-02-29", 1000, currency="EUR"),
        ],
        payments=[
            pay("P1", "A", "2024-02-10", 1000, "I1"),
            pay("P2", "A", "2024-02-20", 1000, "I2"),
            pay("P3", "A", "2024-03-01", 2000, "I2"),
            pay("P4", "B", "2024-03-20", 1500, "I4"),
            pay("P5", "B", "2023-11-30", 400, "I5"),
            pay("P6", "C", "2024-03-10", 1000, "I6", currency="EUR"),
        ],
        fx_rates=[{"currency": "EUR", "rate_date": "2023-01-01", "rate": 1.1}],
    )


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 3, 31), 3, date(2023, 12, 31)),
        (date(2024, 10, 31), 3, date(2024, 7, 31)),
        (date(2024, 9, 30), 3, date(2024, 6, 30)),  # month-end to month-end
        (date(2024, 5, 31), 3, date(2024, 2, 29)),  # leap February's end
        (date(2024, 2, 29), 3, date(2023, 11, 30)),
        (date(2024, 6, 15), 12, date(2023, 6, 15)),
        (date(2024, 5, 30), 3, date(2024, 2, 29)),  # 30 Feb does not exist -> clamped
    ],
)
def test_months_before(day, months, expected):
    assert months_before(day, months) == expected


def test_weighted_days_per_customer_by_hand(con):
    out = payment_behaviour(settled_by_customer(con, D, 3))  # settled in (31 Dec, 31 Mar]
    assert list(out.columns) == BEHAVIOUR_COLUMNS
    assert out["customer_id"].tolist() == ["B", "C", "A"]  # most days late first
    rows = out.set_index("customer_id")
    # A: (1,000 × 40 + 3,000 × 29) / 4,000 = 127,000 / 4,000 = 31.75 days to pay
    #    (1,000 × 10 + 3,000 × −1) / 4,000 = 7,000 / 4,000 = 1.75 days late
    #    late: I1 only -> 1 of 2, 1,000 / 4,000 = 25 % of the amount
    a = rows.loc["A"]
    assert (a["n_settled"], a["settled_amount"], a["days_to_pay"], a["days_late"]) == (
        2, 4_000, 31.75, 1.75,
    )  # fmt: skip
    assert (a["n_late"], a["late_share"], a["payment_terms_days"]) == (1, 0.25, 30)
    # B: I4 only (I5 settled before the period); weight = the invoice's 2,000, not the 1,500 paid
    b = rows.loc["B"]
    assert (b["n_settled"], b["settled_amount"], b["days_to_pay"], b["days_late"]) == (
        1, 2_000, 65, 35,
    )  # fmt: skip
    # C: EUR 1,000 weighs USD 1,100 (rate at the invoice date); 38 to pay, 10 late
    c = rows.loc["C"]
    assert c["settled_amount"] == pytest.approx(1_100)
    assert (c["days_to_pay"], c["days_late"], c["late_share"]) == (38, 10, 1)
    assert (c["name"], c["risk_rating"]) == ("Gamma", "A")


def test_portfolio_figure_weights_every_invoice_by_its_amount(con):
    p = portfolio_behaviour(settled_by_customer(con, D, 3))
    # weights 1,000 + 3,000 + 2,000 + 1,100 = 7,100
    # to pay: (40,000 + 87,000 + 130,000 + 41,800) / 7,100 = 298,800 / 7,100 = 42.08
    # late:   (10,000 − 3,000 + 70,000 + 11,000) / 7,100 = 88,000 / 7,100 = 12.39
    # paid late: I1, I4, I6 -> 3 of 4; (1,000 + 2,000 + 1,100) / 7,100 of the amount
    assert (p.n_settled, p.n_late) == (4, 3)
    assert p.settled_amount == pytest.approx(7_100)
    assert p.days_to_pay == pytest.approx(298_800 / 7_100)
    assert p.days_late == pytest.approx(88_000 / 7_100)
    assert p.late_share == pytest.approx(4_100 / 7_100)


def test_a_longer_period_takes_in_earlier_settlements(con):
    rows = payment_behaviour(settled_by_customer(con, D, 6)).set_index("customer_id")
    # B now also has I5 (settled 30 Nov): (2,000 × 65 + 400 × 60) / 2,400 = 154,000 / 2,400
    #                                      (2,000 × 35 + 400 × 30) / 2,400 =  82,000 / 2,400
    assert rows.loc["B", "n_settled"] == 2
    assert rows.loc["B", "days_to_pay"] == pytest.approx(154_000 / 2_400)
    assert rows.loc["B", "days_late"] == pytest.approx(82_000 / 2_400)


def test_an_invoice_settled_after_the_as_of_date_does_not_count_yet(con):
    # as of 25 Feb, 2 months (25 Dec, 25 Feb]: I2 is only part-paid (settles 1 Mar), I4 and
    # I6 are still open, I5 settled on 30 Nov, before the period
    out = payment_behaviour(settled_by_customer(con, date(2024, 2, 25), 2))
    assert out["customer_id"].tolist() == ["A"]
    assert (out["n_settled"].iloc[0], out["days_late"].iloc[0]) == (1, 10)  # I1 only


def test_the_customer_filter_keeps_only_the_given_keys(con):
    # keys follow customer_id order: A = 0, B = 1, C = 2
    out = payment_behaviour(settled_by_customer(con, D, 3, customer_keys=[1]))
    assert out["customer_id"].tolist() == ["B"]
    assert payment_behaviour(settled_by_customer(con, D, 3, customer_keys=[])).empty


def test_before_the_first_document_nothing_is_settled(con):
    settled = settled_by_customer(con, date(2023, 6, 30), 12)
    assert payment_behaviour(settled).empty
    p = portfolio_behaviour(settled)
    assert (p.n_settled, p.n_late, p.settled_amount) == (0, 0, 0)
    assert np.isnan(p.days_to_pay) and np.isnan(p.days_late) and np.isnan(p.late_share)


def test_payment_behaviour_does_not_change_its_input(con):
    settled = settled_by_customer(con, D, 3)
    before = settled.copy()
    payment_behaviour(settled)
    portfolio_behaviour(settled)
    assert settled.equals(before)
