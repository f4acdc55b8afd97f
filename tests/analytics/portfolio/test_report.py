"""The metrics engine end to end (load → facts → as-of SQL → metrics), worked by hand.

Base ledger (USD), as of 2024-02-20:
  A: I1 1,000 (2024-01-05, due 02-04), paid 400 on 02-10 and 600 on 03-01 (future at D)
     I2   500 (2024-01-20, due 02-19), credit note C1 -100 dated 02-01 applies to it
  B: I3   300 (2024-02-10, due 03-11), disputed; 50 unapplied cash on 02-15
Open at D: I1 600 (dpd 16 -> 1-30), I2 400 (dpd 1 -> 1-30), I3 300 (current); C1 consumed.
AR = 600 + 400 + 300 - 50 = 1,250; current 300; overdue 1,000; unapplied 50.
Sales (D-90, D] = 1,000 + 500 - 100 + 300 = 1,700.
"""

from datetime import date

import pytest

from analytics.portfolio.report import metrics_json, portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from tests.ledger_factory import inv, load, pay

D = date(2024, 2, 20)


def base_tables(scale: float = 1.0) -> dict:
    return {
        "invoices": [
            inv("I1", "A", "2024-01-05", "2024-02-04", 1000 * scale),
            inv("I2", "A", "2024-01-20", "2024-02-19", 500 * scale),
            inv("C1", "A", "2024-02-01", "2024-02-01", -100 * scale, applies_to="I2"),
            inv("I3", "B", "2024-02-10", "2024-03-11", 300 * scale, disputed="true"),
        ],
        "payments": [
            pay("P1", "A", "2024-02-10", 400 * scale, "I1"),
            pay("P2", "A", "2024-03-01", 600 * scale, "I1"),
            pay("P3", "B", "2024-02-15", 50 * scale),
        ],
    }


def metrics_at(con, as_of=D, **options):
    snap = snapshot(con, Options(as_of=as_of, **options))
    return metrics_json(portfolio_metrics(snap), snap, "USD"), snap


@pytest.fixture
def base(tmp_path):
    return load(tmp_path, **base_tables())


def test_balances_and_aging_as_of_d(base):
    m, snap = metrics_at(base)
    assert m["ar"] == {"total": 1250, "current": 300, "overdue": 1000, "unapplied": 50}
    assert m["aging"] == {
        "current": 300,
        "1-30": 1000,
        "31-60": 0,
        "61-90": 0,
        "91-120": 0,
        "120+": 0,
    }
    disputed = snap.customers.set_index("customer_id")["disputed_amount"]
    assert disputed["B"] == 300 and disputed["A"] == 0


def test_dso_and_cei_as_of_d(base):
    m, _ = metrics_at(base)
    # standard = 1,250 / 1,700 × 90 = 66.176; best possible = 300 / 1,700 × 90 = 15.882
    assert m["dso"]["standard"] == pytest.approx(1250 / 1700 * 90)
    assert m["dso"]["best_possible"] == pytest.approx(300 / 1700 * 90)
    assert m["dso"]["average_days_delinquent"] == pytest.approx(950 / 1700 * 90)
    # countback: Feb 1-20 (20 d) sales -100+300 = 200 -> r 1,050; Jan sales 1,500 -> 1,050/1,500 × 31
    assert m["dso"]["countback"] == pytest.approx(20 + 1050 / 1500 * 31)
    # CEI for (Jan 31, Feb 20]: AR(a) = 1,500 (I1 + I2), S = 200, AR(b) 1,250, current 300
    # (1,500 + 200 - 1,250) / (1,500 + 200 - 300) = 450 / 1,400
    assert m["cei"] == pytest.approx(450 / 1400 * 100)


def test_concentration_and_limits_without_limits(base):
    m, _ = metrics_at(base)
    # balances A 1,000, B 250 -> shares .8, .2 -> HHI 6,400 + 400
    assert m["concentration"] == {
        "top_n": 10,
        "top_n_share": 1.0,
        "hhi": 6800.0,
        "customers_with_balance": 2,
    }
    assert m["limits"] == {
        "customers_over_limit": 0,
        "utilisation": None,
        "exposure": 0.0,
        "limit": 0.0,
    }


def test_future_dated_payment_counts_only_from_its_date(base):
    # P2 (600 on 03-01) settles I1: on 03-01 A owes only I2's 400
    before, _ = metrics_at(base, as_of=date(2024, 2, 29))
    after, _ = metrics_at(base, as_of=date(2024, 3, 1))
    assert before["ar"]["total"] == 1250
    assert after["ar"]["total"] == 1250 - 600


def test_credit_note_dated_before_its_invoice_is_its_own_open_item_until_the_invoice(tmp_path):
    # C9 -80 dated 01-10 (due 01-10) applies to I9 dated 01-20. On 01-15 C9 is an open credit
    # of -80 aged by its own due date (dpd 5 -> 1-30); from 01-20 it reduces I9 (200 -> 120).
    con = load(
        tmp_path,
        invoices=[
            inv("I9", "A", "2024-01-20", "2024-02-19", 200),
            inv("C9", "A", "2024-01-10", "2024-01-10", -80, applies_to="I9"),
        ],
    )
    early, _ = metrics_at(con, as_of=date(2024, 1, 15))
    assert early["ar"]["total"] == -80 and early["aging"]["1-30"] == -80
    assert early["concentration"]["customers_with_balance"] == 0
    later, _ = metrics_at(con, as_of=date(2024, 1, 25))
    assert later["ar"]["total"] == 120 and later["aging"]["current"] == 120


def test_overpayment_leaves_a_negative_open_item(tmp_path):
    # 100 invoice paid 120 -> open -20, aged (current: due 02-01 >= D 01-25), a credit balance
    con = load(
        tmp_path,
        invoices=[inv("I1", "A", "2024-01-02", "2024-02-01", 100)],
        payments=[pay("P1", "A", "2024-01-20", 120, "I1")],
    )
    m, _ = metrics_at(con, as_of=date(2024, 1, 25))
    assert m["ar"]["total"] == pytest.approx(-20)
    assert m["aging"]["current"] == pytest.approx(-20)
    assert m["concentration"]["top_n_share"] is None
    assert m["dso"]["standard"] == pytest.approx(-20 / 100 * 90)


def test_a_balance_of_one_cent_is_open_and_half_a_cent_is_not(tmp_path):
    # I1 100.00 paid 99.99 -> 0.01 open; I2 100.000 paid 99.996 -> 0.004 closed
    con = load(
        tmp_path,
        invoices=[
            inv("I1", "A", "2024-01-02", "2024-02-01", 100.00),
            inv("I2", "B", "2024-01-02", "2024-02-01", 100.000),
        ],
        payments=[
            pay("P1", "A", "2024-01-10", 99.99, "I1"),
            pay("P2", "B", "2024-01-10", 99.996, "I2"),
        ],
    )
    m, snap = metrics_at(con, as_of=date(2024, 1, 20))
    assert m["ar"]["total"] == pytest.approx(0.01)
    assert snap.customers.set_index("customer_id")["n_open_items"].to_dict() == {"A": 1, "B": 0}


def test_nothing_invoiced_yet_gives_zeros_and_undefined_ratios(tmp_path):
    # a ledger without invoices is refused at load (issue 9), so: one invoice after D
    con = load(tmp_path, invoices=[inv("I1", "A", "2024-03-01", "2024-03-31", 500)])
    m, _ = metrics_at(con, as_of=date(2024, 1, 31))
    assert m["ar"] == {"total": 0, "current": 0, "overdue": 0, "unapplied": 0}
    assert set(m["aging"].values()) == {0}
    assert m["dso"]["standard"] is None and m["dso"]["countback"] is None
    assert m["cei"] is None
    assert m["concentration"]["hhi"] is None and m["concentration"]["customers_with_balance"] == 0


def test_one_invoice(tmp_path):
    # 900 invoiced 01-11, due 02-10; as of 01-31: current 900, sales 900 -> 90-day DSO 90,
    # countback: Jan (31 d) sales 900 = AR -> 31 days
    con = load(tmp_path, invoices=[inv("I1", "A", "2024-01-11", "2024-02-10", 900)])
    m, _ = metrics_at(con, as_of=date(2024, 1, 31))
    assert m["dso"]["standard"] == pytest.approx(90)
    assert m["dso"]["best_possible"] == pytest.approx(90)
    assert m["dso"]["countback"] == pytest.approx(31)
    assert m["concentration"]["hhi"] == pytest.approx(10_000)


def test_no_sales_in_the_window_is_undefined_not_an_error(tmp_path):
    # a 500 invoice from 2023-01-05 still open on 2024-01-31: nothing invoiced in 90 days
    con = load(tmp_path, invoices=[inv("I1", "A", "2023-01-05", "2023-02-04", 500)])
    m, _ = metrics_at(con, as_of=date(2024, 1, 31))
    assert m["dso"]["standard"] is None and m["dso"]["best_possible"] is None
    assert m["dso"]["average_days_delinquent"] is None
    # countback: Feb 2023 .. Jan 2024 have no sales (365 days counted whole), then January 2023
    # (31 d) sales 500 = AR -> 365 + 31 = 396 days
    assert m["dso"]["countback"] == pytest.approx(396)
    assert m["aging"]["120+"] == 500


def test_all_paid_means_zero_receivables_and_zero_dso(tmp_path):
    con = load(
        tmp_path,
        invoices=[inv("I1", "A", "2024-01-02", "2024-02-01", 100)],
        payments=[pay("P1", "A", "2024-01-20", 100, "I1")],
    )
    m, _ = metrics_at(con, as_of=date(2024, 1, 31))
    assert m["ar"]["total"] == 0
    assert m["dso"]["standard"] == 0 and m["dso"]["countback"] == 0


def test_buckets_sum_to_the_open_total_for_any_edges(base):
    for edges in [(30, 60, 90, 120), (1,), (7, 14, 21), (10, 400)]:
        m, _ = metrics_at(base, edges=edges)
        assert sum(m["aging"].values()) == pytest.approx(m["ar"]["current"] + m["ar"]["overdue"])
        assert m["ar"]["total"] == pytest.approx(
            m["ar"]["current"] + m["ar"]["overdue"] - m["ar"]["unapplied"]
        )


def test_custom_edges_and_invoice_date_basis(base):
    # by due date with edges 15: I1 dpd 16 -> 15+, I2 dpd 1 -> 1-15, I3 current
    m, _ = metrics_at(base, edges=(15,))
    assert m["aging"] == {"current": 300, "1-15": 400, "15+": 600}
    # by invoice date: I1 age 46 -> 31-60, I2 age 31 -> 31-60, I3 age 10 -> 1-30
    m, _ = metrics_at(base, basis="invoice")
    assert m["aging"]["31-60"] == 1000 and m["aging"]["1-30"] == 300 and m["aging"]["current"] == 0


def test_scaling_all_amounts_leaves_every_ratio_unchanged(tmp_path):
    small, _ = metrics_at(load(tmp_path / "a", **base_tables()))
    large, _ = metrics_at(load(tmp_path / "b", **base_tables(scale=1000)))
    for key in ["standard", "countback", "best_possible", "average_days_delinquent"]:
        assert large["dso"][key] == pytest.approx(small["dso"][key])
    assert large["cei"] == pytest.approx(small["cei"])
    assert large["concentration"]["hhi"] == pytest.approx(small["concentration"]["hhi"])
    assert large["ar"]["total"] == pytest.approx(small["ar"]["total"] * 1000)


def test_a_fully_paid_old_invoice_changes_no_figure(tmp_path):
    # invoiced and paid more than 36 months before D: outside every window and period
    extra = base_tables()
    extra["invoices"].append(inv("OLD", "C", "2019-01-05", "2019-02-04", 7_777))
    extra["payments"].append(pay("PO", "C", "2019-02-01", 7_777, "OLD"))
    assert (
        metrics_at(load(tmp_path / "a", **extra))[0]
        == metrics_at(load(tmp_path / "b", **base_tables()))[0]
    )


def test_a_fully_paid_recent_invoice_changes_only_sales_based_figures(tmp_path):
    extra = base_tables()
    extra["invoices"].append(inv("NEW", "C", "2024-02-01", "2024-03-02", 1_000))
    extra["payments"].append(pay("PN", "C", "2024-02-05", 1_000, "NEW"))
    with_paid, _ = metrics_at(load(tmp_path / "a", **extra))
    without, _ = metrics_at(load(tmp_path / "b", **base_tables()))
    for key in ["ar", "aging", "concentration", "limits"]:
        assert with_paid[key] == without[key]
    # sales rise 1,700 -> 2,700: standard 1,250 / 2,700 × 90
    assert with_paid["dso"]["standard"] == pytest.approx(1250 / 2700 * 90)


def test_foreign_currency_open_amounts_use_the_closing_rate_and_sales_the_invoice_rate(tmp_path):
    # EUR 1,000 invoiced 01-10 at 1.10 (sales 1,100 USD); rate 1.20 from 01-20 -> AR 1,200 USD
    con = load(
        tmp_path,
        invoices=[inv("E1", "A", "2024-01-10", "2024-02-09", 1000, currency="EUR")],
        fx_rates=[
            {"currency": "EUR", "rate_date": "2024-01-01", "rate": 1.10},
            {"currency": "EUR", "rate_date": "2024-01-20", "rate": 1.20},
        ],
    )
    m, snap = metrics_at(con, as_of=date(2024, 1, 31))
    assert m["ar"]["total"] == pytest.approx(1200)
    assert snap.daily_sales.window(date(2024, 1, 31), 90) == pytest.approx(1100)
    assert m["dso"]["standard"] == pytest.approx(1200 / 1100 * 90)


def test_limits_orders_and_over_limit_customers(tmp_path):
    # A: balance 1,000 + open order 300 = 1,300 against limit 1,000 -> over (1.3)
    # B: balance 250 (300 - 50 unapplied) against limit 500 -> 0.5; C: no limit
    tables = base_tables()
    tables["customers"] = [
        {"customer_id": "A", "credit_limit": 1000, "insured_limit": 800},
        {"customer_id": "B", "credit_limit": 500},
        {"customer_id": "C"},
    ]
    tables["orders"] = [
        {
            "order_id": "O1",
            "customer_id": "A",
            "order_date": "2024-02-18",
            "amount": 300,
            "status": "open",
        },
        {
            "order_id": "O2",
            "customer_id": "B",
            "order_date": "2024-02-18",
            "amount": 999,
            "status": "shipped",
        },
        {
            "order_id": "O3",
            "customer_id": "A",
            "order_date": "2024-02-25",
            "amount": 999,
            "status": "open",
        },
    ]
    m, snap = metrics_at(load(tmp_path, **tables))
    # portfolio (1,300 + 250) / (1,000 + 500)
    assert m["limits"] == {
        "customers_over_limit": 1,
        "utilisation": pytest.approx(1550 / 1500),
        "exposure": 1550.0,
        "limit": 1500.0,
    }
    a = snap.customers.set_index("customer_id").loc["A"]
    # insured min(1,300, 800) × 90 % = 720; uninsured 580
    assert a["insured_amount"] == pytest.approx(720) and a["uninsured_amount"] == pytest.approx(580)
    assert a["headroom_amount"] == pytest.approx(-300)
