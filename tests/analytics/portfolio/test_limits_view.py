"""Credit-limit views (spec §6) over a snapshot of a tiny ledger, worked by hand.

As of 2024-03-31, USD, coverage 90 %:
  A  rating A, limit 1,000, insured 600:   invoice 1,200 open      -> exposure 1,200, util 1.20,
                                                                      headroom −200 (over limit)
  B  rating B, limit   800, insured 1,000: invoice 300 + order 100 -> exposure 400, util 0.50
  C  rating B, no limit:                   invoice 500 open        -> exposure 500 (no-limit class)
  D  rating A, limit 2,000:                invoice 500, 700 unapplied cash -> balance −200,
                                                                      exposure 0, util 0
  E  rating C, no limit:                   invoice 100, paid       -> exposure 0
Insured part = min(exposure, insured limit) × 0.9: A 540, B 360, others 0.
"""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.portfolio.limits_view import (
    NO_LIMIT_COLUMNS,
    OVER_LIMIT_COLUMNS,
    RATING_COLUMNS,
    by_rating,
    limit_summary,
    limited_utilisation,
    no_limit_exposure,
    over_limit,
)
from analytics.portfolio.snapshot import Options, snapshot
from tests.ledger_factory import inv, load, pay

D = date(2024, 3, 31)


def customer(cid, rating, limit=None, insured=None):
    return {"customer_id": cid, "name": f"Customer {cid}", "risk_rating": rating,
            "credit_limit": limit, "insured_limit": insured}  # fmt: skip


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    return load(
        tmp_path_factory.mktemp("limits"),
        customers=[
            customer("A", "A", 1_000, 600),
            customer("B", "B", 800, 1_000),
            customer("C", "B"),
            customer("D", "A", 2_000),
            customer("E", "C"),
        ],
        invoices=[
            inv("I1", "A", "2024-03-01", "2024-03-31", 1_200),
            inv("I2", "B", "2024-03-01", "2024-03-31", 300),
            inv("I3", "C", "2024-03-01", "2024-03-31", 500),
            inv("I4", "D", "2024-03-01", "2024-03-31", 500),
            inv("I5", "E", "2024-03-01", "2024-03-31", 100),
        ],
        payments=[pay("P1", "D", "2024-03-10", 700), pay("P2", "E", "2024-03-10", 100, "I5")],
        orders=[
            {
                "order_id": "O1",
                "customer_id": "B",
                "order_date": "2024-03-20",
                "amount": 100,
                "status": "open",
            }
        ],  # fmt: skip
    )


def customers_at(con, coverage=0.9):
    return snapshot(con, Options(as_of=D, coverage=coverage)).customers


def test_summary_by_hand(con):
    s = limit_summary(customers_at(con))
    # utilisation = (1,200 + 400 + 0) / (1,000 + 800 + 2,000) = 1,600 / 3,800; C's 500 is left out
    assert s.utilisation == pytest.approx(1_600 / 3_800)
    assert (s.n_limited, s.n_over_limit, s.n_no_limit_with_exposure) == (3, 1, 1)
    # exposure 1,200 + 400 + 500 = 2,100; insured 540 + 360 = 900; uninsured 2,100 − 900
    assert s.exposure_amount == pytest.approx(2_100)
    assert s.insured_amount == pytest.approx(900)
    assert s.uninsured_amount == pytest.approx(1_200)


def test_full_coverage_insures_up_to_the_insured_limit(con):
    s = limit_summary(customers_at(con, coverage=1.0))
    # min(1,200, 600) + min(400, 1,000) = 1,000 insured; 1,100 uninsured
    assert (s.insured_amount, s.uninsured_amount) == pytest.approx((1_000, 1_100))


def test_utilisation_of_limited_customers_only(con):
    values = limited_utilisation(customers_at(con))
    assert sorted(values) == pytest.approx([0.0, 0.5, 1.2])  # D, B, A; C and E have no limit


def test_over_limit_list_has_negative_headroom(con):
    out = over_limit(customers_at(con))
    assert list(out.columns) == OVER_LIMIT_COLUMNS
    assert out.to_dict("records") == [
        {"customer_id": "A", "name": "Customer A", "risk_rating": "A", "credit_limit": 1_000,
         "exposure_amount": 1_200, "utilisation": pytest.approx(1.2), "headroom_amount": -200},
    ]  # fmt: skip


def test_over_limit_list_is_most_over_first():
    frame = pd.DataFrame(
        {
            "customer_id": ["X", "Y", "Z"],
            "name": ["X", "Y", "Z"],
            "risk_rating": ["A", "B", "C"],
            "credit_limit": [100.0, 100.0, 100.0],
            "exposure_amount": [150.0, 300.0, 90.0],
            "utilisation": [1.5, 3.0, 0.9],
            "headroom_amount": [-50.0, -200.0, 10.0],
            "is_over_limit": [True, True, False],
        }
    )
    assert over_limit(frame)["customer_id"].tolist() == ["Y", "X"]


def test_no_limit_customers_with_exposure(con):
    out = no_limit_exposure(customers_at(con))
    assert list(out.columns) == NO_LIMIT_COLUMNS
    # C: 500 open, no orders; E has no limit but nothing open, so it is not listed
    assert out[["customer_id", "balance_amount", "open_orders_amount", "exposure_amount"]].to_dict(
        "records"
    ) == [
        {"customer_id": "C", "balance_amount": 500, "open_orders_amount": 0, "exposure_amount": 500}
    ]


def test_by_rating_by_hand(con):
    out = by_rating(customers_at(con)).set_index("risk_rating")
    assert list(out.reset_index().columns) == RATING_COLUMNS
    assert out.index.tolist() == ["A", "B", "C"]
    # A: A and D, both limited, A over; (1,200 + 0) / (1,000 + 2,000) = 0.4
    a = out.loc["A"]
    assert (a["n_customers"], a["n_limited"], a["n_over_limit"]) == (2, 2, 1)
    assert (a["limited_exposure_amount"], a["credit_limit"]) == (1_200, 3_000)
    assert a["utilisation"] == pytest.approx(0.4)
    assert (a["insured_amount"], a["uninsured_amount"]) == pytest.approx((540, 660))
    # B: B limited (400 / 800 = 0.5), C not: its 500 counts in exposure, not in utilisation
    b = out.loc["B"]
    assert (b["n_customers"], b["n_limited"], b["n_over_limit"]) == (2, 1, 0)
    assert (b["utilisation"], b["exposure_amount"]) == pytest.approx((0.5, 900))
    assert (b["insured_amount"], b["uninsured_amount"]) == pytest.approx((360, 540))
    # C: no limited customer -> utilisation undefined
    assert out.loc["C", "n_limited"] == 0 and np.isnan(out.loc["C", "utilisation"])
    # the ratings add up to the portfolio
    assert out["exposure_amount"].sum() == pytest.approx(
        limit_summary(customers_at(con)).exposure_amount
    )


def test_an_empty_selection_gives_empty_views_and_no_utilisation(con):
    empty = customers_at(con).iloc[:0]
    s = limit_summary(empty)
    assert s.utilisation is None and (s.n_limited, s.n_over_limit, s.exposure_amount) == (0, 0, 0)
    assert over_limit(empty).empty and no_limit_exposure(empty).empty and by_rating(empty).empty
    assert limited_utilisation(empty).empty


def test_views_do_not_change_the_customer_frame(con):
    customers = customers_at(con)
    before = customers.copy()
    for view in (limit_summary, limited_utilisation, over_limit, no_limit_exposure, by_rating):
        view(customers)
    pd.testing.assert_frame_equal(customers, before)
