"""Observation points of the behavioural score (spec §10): target, population, features."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.risk.observations import (
    observation_dates,
    observations,
)
from tests.ledger_factory import inv, load, pay

D = date(2024, 12, 31)


@pytest.fixture(scope="module")
def edges(tmp_path_factory):
    """One customer per rule, each at its threshold (the ledger's first document is
    2023-01-15, so the month-ends run 2023-01-31 .. 2024-12-31)."""
    return observations(
        load(
            tmp_path_factory.mktemp("edges"),
            customers=[{"customer_id": c} for c in ("C90", "C91", "CD", "CP", "CW")],
            invoices=[
                # C90: due 31 Jan; 30 Apr − 31 Jan = 90 days (2024 is a leap year): not default
                inv("A1", "C90", "2024-01-01", "2024-01-31", 100),
                # C91: due 30 Jan; 30 Apr − 30 Jan = 91 days: in default at 30 Apr
                inv("B0", "C91", "2023-09-01", "2023-10-01", 50),
                inv("B1", "C91", "2024-01-01", "2024-01-30", 100),
                # CD: disputed and never paid: never in default, always in the population
                inv("D1", "CD", "2024-01-01", "2024-01-31", 100, disputed="true"),
                # CP: one invoice, paid; it leaves the 12-month window after 31 Jan 2024
                inv("X1", "CP", "2023-01-15", "2023-02-14", 80),
                # CW: written off on a month-end, 31 Mar 2024
                inv("W0", "CW", "2023-09-01", "2023-10-01", 50),
                inv("W1", "CW", "2024-01-10", "2024-02-09", 100),
                inv(
                    "W2", "CW", "2024-03-31", "2024-03-31", -100, applies_to="W1", write_off="true"
                ),
            ],
            payments=[
                pay("P1", "C90", "2024-05-15", 100, "A1"),
                pay("P2", "C91", "2023-10-01", 50, "B0"),
                pay("P3", "C91", "2024-05-15", 100, "B1"),
                pay("P4", "CW", "2023-10-01", 50, "W0"),
                pay("P5", "CP", "2023-02-14", 80, "X1"),
            ],
        ),
        as_of=D,
    )


def point(obs, customer_id, day):
    keys = {"C90": 0, "C91": 1, "CD": 2, "CP": 3, "CW": 4}  # dense keys by customer_id
    p = obs.points
    rows = p[(p["customer_key"] == keys[customer_id]) & (p["as_of"] == pd.Timestamp(day))]
    return rows.iloc[0] if len(rows) else None


def target(obs, customer_id, day):
    return point(obs, customer_id, day)["is_defaulted"]


def test_observation_dates_are_the_month_ends_then_the_as_of_date():
    assert observation_dates(date(2024, 1, 15), date(2024, 3, 31)) == [
        date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]  # fmt: skip
    assert observation_dates(date(2024, 1, 31), date(2024, 3, 10)) == [
        date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 10)]  # fmt: skip
    assert observation_dates(date(2024, 3, 11), date(2024, 3, 10)) == []


def test_90_days_past_due_is_not_default_and_91_is(edges):
    c90, c91 = point(edges, "C90", "2024-04-30"), point(edges, "C91", "2024-04-30")
    assert (c90["max_dpd"], c91["max_dpd"]) == (90, 91)
    assert not c90["is_in_default"] and c90["is_in_population"]
    assert c91["is_in_default"] and not c91["is_in_population"]
    # C90 is never in default, so none of its known month-ends has a default ahead
    known = edges.known()
    assert known.loc[known["customer_key"] == 0, "is_defaulted"].eq(0).all()


def test_a_default_counts_up_to_six_month_ends_ahead_and_no_further(edges):
    # C91's default month-end is 30 Apr 2024: 31 Oct 2023 + 6 months = 30 Apr → 1;
    # 30 Sep 2023 + 6 months = 31 Mar 2024 → 0; 31 Mar 2024 (one ahead) → 1
    assert target(edges, "C91", "2023-10-31") == 1
    assert target(edges, "C91", "2023-09-30") == 0
    assert target(edges, "C91", "2024-03-31") == 1
    # paid on 15 May: back in the population at 31 May (an invoice in the last 12 months)
    after = point(edges, "C91", "2024-05-31")
    assert after["is_in_population"] and after["is_defaulted"] == 0


def test_a_write_off_counts_after_the_month_end_through_the_sixth_one(edges):
    # W2 is dated 31 Mar 2024: in (30 Sep 2023, 31 Mar 2024] (the 6th month-end itself) → 1;
    # in (29 Feb, 31 Aug 2024] → 1; not in (31 Mar, 30 Sep 2024] (dated on m itself) → 0
    assert target(edges, "CW", "2023-09-30") == 1
    assert target(edges, "CW", "2024-02-29") == 1
    assert target(edges, "CW", "2024-03-31") == 0
    # it was never 91 days past due: 31 Mar − 9 Feb = 51 days at most
    assert not edges.points.loc[edges.points["customer_key"] == 4, "is_in_default"].any()


def test_outcomes_are_known_only_six_month_ends_before_the_as_of_date(edges):
    # as of 31 Dec 2024: 30 Jun 2024 + 6 months = 31 Dec 2024 is known, 31 Jul 2024 is not
    assert target(edges, "C90", "2024-06-30") == 0
    assert np.isnan(target(edges, "C90", "2024-07-31"))
    assert edges.known()["as_of"].max() == pd.Timestamp("2024-06-30")


def test_the_population_is_a_positive_balance_or_credit_sales_in_the_last_12_months(edges):
    # CP's only invoice (15 Jan 2023, paid) is in (31 Dec 2022, 31 Dec 2023] but not in
    # (31 Jan 2023, 31 Jan 2024]: in the population at 31 Dec 2023, gone at 31 Jan 2024
    assert point(edges, "CP", "2023-12-31")["is_in_population"]
    assert point(edges, "CP", "2024-01-31") is None
    # a disputed invoice is never a default but keeps a positive balance
    cd = point(edges, "CD", "2024-12-31")
    assert cd["is_in_population"] and not cd["is_in_default"]
    assert (cd["max_dpd"], cd["disputed_share"]) == (0, 1.0)


@pytest.fixture(scope="module")
def one_customer(tmp_path_factory):
    return observations(
        load(
            tmp_path_factory.mktemp("features"),
            customers=[{"customer_id": "C1", "risk_rating": "C", "credit_limit": 1_000}],
            invoices=[
                inv("I1", "C1", "2024-01-01", "2024-01-31", 100),
                inv("I2", "C1", "2024-02-01", "2024-03-02", 300),
                inv("I5", "C1", "2024-02-15", "2024-03-16", 50, disputed="true"),
                inv("I3", "C1", "2024-03-01", "2024-03-31", 200),
                inv("I4", "C1", "2024-04-15", "2024-05-15", 100),
            ],
            payments=[
                pay("P1", "C1", "2024-02-10", 100, "I1"),  # 10 days late
                pay("P2", "C1", "2024-03-22", 300, "I2"),  # 20 days late
            ],
        ),
        as_of=date(2024, 4, 30),
    )


def test_features_worked_by_hand(one_customer):
    f = point_of(one_customer, date(2024, 4, 30))
    # open: I3 200 (30 days past due), I4 100 (not due); I5 50 disputed (left out of dpd)
    assert f["max_dpd"] == 30
    assert f["overdue_share"] == pytest.approx(200 / 300)
    assert f["disputed_share"] == pytest.approx(50 / 350)
    # settled in (31 Jan, 30 Apr]: I1 10 days late on 100, I2 20 days late on 300:
    # (100 × 10 + 300 × 20) / 400 = 17.5, the same over 365 days; nothing before: no trend
    assert f["days_late_3m"] == pytest.approx(17.5)
    assert f["days_late_trend"] == 0
    assert f["excess_dpd"] == pytest.approx(30 - 17.5)
    # balance 350 of a 1,000 limit; 3 months before (31 Jan) only I1's 100 was open
    assert f["utilisation"] == pytest.approx(0.35)
    assert f["balance_growth"] == pytest.approx(np.log(351 / 101))
    # credit sales in (31 Jan, 30 Apr]: 300 + 50 + 200 + 100 = 650; in 12 months: 750
    assert f["sales_growth"] == pytest.approx(np.log(2_601 / 751))
    assert f["open_to_sales"] == pytest.approx(300 / 650)
    # 120 days since 1 Jan, 5 documents, rated C
    assert f["log_months"] == pytest.approx(np.log1p(120 / 30.44))
    assert f["log_documents"] == pytest.approx(np.log(6))
    assert (f["rating_score"], f["is_unrated"]) == (2.0, 0.0)


def point_of(obs, day):
    p = obs.points
    return p[p["as_of"] == pd.Timestamp(day)].iloc[0]


def test_a_date_before_the_first_document_has_no_points(tmp_path):
    obs = observations(
        load(tmp_path, invoices=[inv("I1", "C1", "2024-01-01", "2024-01-31", 100)]),
        as_of=date(2023, 12, 31),
    )
    assert obs.points.empty and obs.known().empty
