"""One customer's detail (analytics/customer.py), worked by hand on a tiny ledger.

Reporting currency USD; EUR is 1.10 from 2024-01-01, 1.20 from 2024-03-01, 1.25 from
2024-03-15. As of D = 2024-03-20. Customer A (terms 30):
  I1 1,000 USD  2024-01-10 due 02-09, P1 pays 1,000 on 02-19     -> settled: 40 to pay, 10 late
  I2   500 EUR  2024-01-20 due 02-19, P2 pays 500 EUR on 02-24   -> settled: 35 to pay,  5 late
  I3 2,000 USD  2024-02-01 due 03-02, P3 1,200 on 03-05, P4 800 on 03-25 (after D)
                -> open 800 at D, dpd 18; settled 03-25: 53 to pay (29 + 24), 23 late
  I4   300 EUR  2024-03-01 due 03-31, disputed, P5 pays it on 04-10 (after D)
                -> open 300 EUR = 375 USD at D's closing rate 1.25, dpd -11
  C1  -100 USD  2024-03-10 due 03-10, applies to I5 (dated 03-25, after D)
                -> open -100 at D (dpd 10), consumed on 03-25
  C2   -50 USD  2024-02-05 due 02-05, stand-alone -> open -50, dpd 44
  I5   400 USD  2024-03-25 due 04-24 (after D)
  U1   200 EUR  unapplied cash on 03-12 -> 240 USD at that day's rate 1.20, 250 at closing 1.25
Customer B: I6 700 USD 2024-03-01 (never shows on A's page).
"""

from datetime import date

import pandas as pd
import pytest

from analytics.portfolio import customer
from analytics.portfolio.snapshot import Options, snapshot
from tests.ledger_factory import inv, load, pay

D = date(2024, 3, 20)


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("customer")
    connection = load(
        tmp,
        customers=[
            {"customer_id": "A", "name": "Alpha", "payment_terms_days": 30, "credit_limit": 2000},
            {"customer_id": "B", "name": "Beta", "payment_terms_days": 30},
        ],
        invoices=[
            inv("I1", "A", "2024-01-10", "2024-02-09", 1000, currency="USD"),
            inv("I2", "A", "2024-01-20", "2024-02-19", 500, currency="EUR"),
            inv("I3", "A", "2024-02-01", "2024-03-02", 2000, currency="USD"),
            inv("I4", "A", "2024-03-01", "2024-03-31", 300, currency="EUR", disputed="true"),
            inv("C1", "A", "2024-03-10", "2024-03-10", -100, currency="USD", applies_to="I5"),
            inv("C2", "A", "2024-02-05", "2024-02-05", -50, currency="USD"),
            inv("I5", "A", "2024-03-25", "2024-04-24", 400, currency="USD"),
            inv("I6", "B", "2024-03-01", "2024-03-31", 700, currency="USD"),
        ],
        payments=[
            pay("P1", "A", "2024-02-19", 1000, "I1", currency="USD"),
            pay("P2", "A", "2024-02-24", 500, "I2", currency="EUR"),
            pay("P3", "A", "2024-03-05", 1200, "I3", currency="USD"),
            pay("P4", "A", "2024-03-25", 800, "I3", currency="USD"),
            pay("P5", "A", "2024-04-10", 300, "I4", currency="EUR"),
            pay("U1", "A", "2024-03-12", 200, currency="EUR"),
        ],
        fx_rates=[
            {"currency": "EUR", "rate_date": "2024-01-01", "rate": 1.10},
            {"currency": "EUR", "rate_date": "2024-03-01", "rate": 1.20},
            {"currency": "EUR", "rate_date": "2024-03-15", "rate": 1.25},
        ],
    )
    yield connection
    connection.close()


def key_of(con, customer_id):
    return con.con.execute(
        "select customer_key from customers where customer_id = $id", {"id": customer_id}
    ).fetchone()[0]


@pytest.fixture(scope="module")
def a(con):
    return key_of(con, "A")


def test_open_items_in_document_and_reporting_currency_most_overdue_first(con, a):
    items = customer.open_items(con, D, a)
    assert items["invoice_id"].tolist() == ["C2", "I3", "C1", "I4"]  # dpd 44, 18, 10, -11
    assert items["days_past_due"].tolist() == [44, 18, 10, -11]
    assert items["open_amount"].tolist() == pytest.approx([-50, 800, -100, 300])
    # I4: 300 EUR × 1.25 (closing rate at D, not 1.20 of its invoice date) = 375 USD
    assert items["open_amount_rc"].tolist() == pytest.approx([-50, 800, -100, 375])
    assert items["currency"].tolist() == ["USD", "USD", "USD", "EUR"]
    assert items["amount"].tolist() == pytest.approx([-50, 2000, -100, 300])
    assert items["is_credit_note"].tolist() == [True, False, True, False]
    assert items["applies_to"].fillna("-").tolist() == ["-", "-", "I5", "-"]


def test_open_items_add_up_to_the_snapshot_balance_and_disputes(con, a):
    items = customer.open_items(con, D, a)
    row = snapshot(con, Options(as_of=D)).customers.set_index("customer_key").loc[a]
    # open -50 + 800 - 100 + 375 = 1,025; unapplied 200 EUR × 1.25 = 250; balance 775
    assert items["open_amount_rc"].sum() == pytest.approx(row["open_amount"]) == 1025
    assert row["balance_amount"] == pytest.approx(775)
    assert customer.disputes(items) == customer.Disputes(n_items=1, open_amount=375.0)
    assert customer.disputes(items).open_amount == pytest.approx(row["disputed_amount"])
    aging = customer.customer_aging(row, (30, 60, 90, 120))
    # current: I4 375; 1-30: I3 800 + C1 -100 = 700; 31-60: C2 -50
    assert aging == {"current": 375, "1-30": 700, "31-60": -50, "61-90": 0, "91-120": 0, "120+": 0}
    assert sum(aging.values()) == pytest.approx(row["open_amount"])


def test_payment_history_is_newest_first_up_to_the_date_with_the_day_rate(con, a):
    history = customer.payment_history(con, D, a)
    # P4 (03-25) and P5 (04-10) are after D
    assert history["payment_id"].tolist() == ["U1", "P3", "P2", "P1"]
    assert history["applied_to"].tolist() == ["unapplied", "I3", "I2", "I1"]
    # U1 200 EUR × 1.20 (rate on 03-12); P2 500 EUR × 1.10 (rate on 02-24)
    assert history["amount_rc"].tolist() == pytest.approx([240, 1200, 550, 1000])
    assert history["amount"].tolist() == pytest.approx([200, 1200, 500, 1000])
    assert history["currency"].tolist() == ["EUR", "USD", "EUR", "USD"]


def test_unapplied_cash_uses_the_closing_rate_like_the_balance(con, a):
    cash = customer.unapplied_cash(con, D, a)
    assert cash["payment_id"].tolist() == ["U1"]
    assert cash["amount_rc"].tolist() == pytest.approx([250])  # 200 × 1.25
    row = snapshot(con, Options(as_of=D)).customers.set_index("customer_key").loc[a]
    assert cash["amount_rc"].sum() == pytest.approx(row["unapplied_amount"])
    assert customer.unapplied_cash(con, date(2024, 3, 11), a).empty


def test_credit_notes_show_what_they_did_by_the_date(con, a):
    notes = customer.credit_notes(con, D, a)
    assert notes["invoice_id"].tolist() == ["C1", "C2"]  # newest first
    assert notes["applies_to"].fillna("stand-alone").tolist() == ["I5", "stand-alone"]
    assert notes["applied_date"].isna().all()  # C1 waits for I5 (03-25)
    assert notes["open_amount"].tolist() == pytest.approx([-100, -50])
    later = customer.credit_notes(con, date(2024, 3, 31), a).set_index("invoice_id")
    assert later.loc["C1", "applied_date"] == pd.Timestamp("2024-03-25")
    assert later.loc["C1", "open_amount"] == 0 and later.loc["C1", "open_amount_rc"] == 0


def test_days_late_trend_weights_by_invoice_amount_in_reporting_currency(con, a):
    trend = customer.days_late_trend(con, D, a, months=3)
    assert trend["month_start"].dt.date.tolist() == [
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
    ]
    assert trend["n_settled"].tolist() == [0, 2, 0]  # I3 settles on 03-25, after D
    feb = trend.iloc[1]
    # weights: I1 1,000; I2 500 EUR × 1.10 (invoice-date rate) = 550; total 1,550
    # days late (1,000 × 10 + 550 × 5) / 1,550 = 12,750 / 1,550 = 8.2258
    assert feb["days_late"] == pytest.approx(12_750 / 1_550)
    # days to pay (1,000 × 40 + 550 × 35) / 1,550 = 59,250 / 1,550 = 38.2258
    assert feb["days_to_pay"] == pytest.approx(59_250 / 1_550)
    assert feb["settled_amount"] == pytest.approx(1_550)
    assert trend.loc[[0, 2], ["days_late", "days_to_pay"]].isna().all().all()


def test_a_settlement_counts_in_its_month_once_the_date_reaches_it(con, a):
    trend = customer.days_late_trend(con, date(2024, 3, 31), a, months=3).set_index("month_start")
    march = trend.loc[pd.Timestamp("2024-03-01")]
    # I3: 2,000, settled 03-25: 53 days to pay (Feb 1 -> Mar 25), 23 late (Mar 2 -> Mar 25)
    assert (march["n_settled"], march["days_late"], march["days_to_pay"]) == (1, 23, 53)


def test_the_other_customer_and_an_early_date_show_nothing_of_a(con, a):
    b = key_of(con, "B")
    assert customer.open_items(con, D, b)["invoice_id"].tolist() == ["I6"]
    assert customer.payment_history(con, D, b).empty
    early = date(2024, 1, 5)  # before A's first document
    assert customer.open_items(con, early, a).empty
    assert customer.payment_history(con, early, a).empty
    assert customer.credit_notes(con, early, a).empty
    trend = customer.days_late_trend(con, early, a)
    assert len(trend) == 24 and trend["n_settled"].sum() == 0
    assert customer.disputes(customer.open_items(con, early, a)) == customer.Disputes(0, 0.0)


def test_customers_by_balance_is_largest_first_ties_by_id_without_mutating():
    frame = pd.DataFrame(
        {"customer_id": ["C3", "C1", "C2", "C4"], "balance_amount": [10.0, 50.0, 10.0, -5.0]}
    )
    before = frame.copy()
    ordered = customer.customers_by_balance(frame)
    assert ordered["customer_id"].tolist() == ["C1", "C2", "C3", "C4"]
    assert ordered.index.tolist() == [0, 1, 2, 3]
    pd.testing.assert_frame_equal(frame, before)


def test_weighted_days_fills_missing_months_and_leaves_its_input_alone():
    monthly = pd.DataFrame(
        {
            "month_start": [pd.Timestamp("2024-02-01")],
            "n_settled": [2],
            "settled_amount": [400.0],
            # 100 × 10 + 300 × 2 = 1,600 -> 4 days late; 100 × 40 + 300 × 30 = 13,000 -> 32.5
            "weighted_days_late": [1_600.0],
            "weighted_days_to_pay": [13_000.0],
        }
    )
    before = monthly.copy()
    months = customer.trend_months(date(2024, 3, 9), 3)
    assert months == [date(2024, 1, 1), date(2024, 2, 1), date(2024, 3, 1)]
    out = customer.weighted_days(monthly, months)
    assert out.columns.tolist() == customer.TREND_COLUMNS
    assert out["n_settled"].tolist() == [0, 2, 0]
    assert out["days_late"].iloc[1] == 4 and out["days_to_pay"].iloc[1] == 32.5
    assert out["days_late"].isna().tolist() == [True, False, True]
    pd.testing.assert_frame_equal(monthly, before)


def test_trend_months_crosses_a_year_boundary():
    months = customer.trend_months(date(2024, 2, 29), 4)
    assert months == [date(2023, 11, 1), date(2023, 12, 1), date(2024, 1, 1), date(2024, 2, 1)]
