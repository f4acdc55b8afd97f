"""Limit backtest: the year's invoices replayed against proposed caps, worked by hand, and
the day-by-day replay checked against a plain loop over every invoice."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.policy.limit_backtest import backtest_base, decisions, replay
from data.loader import load_ledger
from data.sample import generate_sample
from tests.ledger_factory import inv, load, pay

D = date(2024, 12, 31)


@pytest.fixture
def ledger(tmp_path):
    """Customer A (window: invoices dated in 2024):
    I0 600 dated 15 Dec 2023 (before the window) paid 1 Feb; U1 50 unapplied cash on 20 Jan;
    I1 300 10 Jan due 9 Feb paid 9 Feb; I2 200 20 Jan due 19 Feb paid 1 Mar;
    I3 400 5 Feb due 6 Mar paid 10 Mar; I4 500 5 Mar due 4 Apr never paid (90+ on 4 Jul).
    Balance just before each (applications on the invoice's own date count):
    I1: 600; I2: 600 + 300 − 50 = 850; I3: 850 + 200 − 600 (I0 paid 1 Feb) = 450;
    I4: 450 + 400 − 300 (I1) − 200 (I2) = 350.
    Customer C: three invoices on 1 Jun, 60, 60 and 30, nothing paid (each 90+).
    Customer B: one invoice of 1,000 and no cap."""
    return load(
        tmp_path,
        invoices=[
            inv("I0", "A", "2023-12-15", "2024-01-14", 600),
            inv("I1", "A", "2024-01-10", "2024-02-09", 300),
            inv("I2", "A", "2024-01-20", "2024-02-19", 200),
            inv("I3", "A", "2024-02-05", "2024-03-06", 400),
            inv("I4", "A", "2024-03-05", "2024-04-04", 500),
            inv("J1", "B", "2024-04-01", "2024-05-01", 1000),
            inv("K1", "C", "2024-06-01", "2024-07-01", 60),
            inv("K2", "C", "2024-06-01", "2024-07-01", 60),
            inv("K3", "C", "2024-06-01", "2024-07-01", 30),
        ],
        payments=[
            pay("P0", "A", "2024-02-01", 600, "I0"),
            pay("U1", "A", "2024-01-20", 50),
            pay("P1", "A", "2024-02-09", 300, "I1"),
            pay("P2", "A", "2024-03-01", 200, "I2"),
            pay("P3", "A", "2024-03-10", 400, "I3"),
            pay("P4", "B", "2024-05-01", 1000, "J1"),
        ],
    )  # fmt: skip


def caps(**by_customer) -> pd.Series:
    keys = {"A": 0, "B": 1, "C": 2}
    return pd.Series({keys[c]: v for c, v in by_customer.items()}, dtype=float)


def test_the_balance_before_each_invoice_and_its_90_plus_outcome(ledger):
    inv_ = backtest_base(ledger, D).invoices.set_index("invoice_id")
    a = inv_.loc[["I1", "I2", "I3", "I4"]]
    assert a["balance_before_amount"].tolist() == [600, 850, 450, 350]
    assert a["defaulted_amount"].tolist() == [0, 0, 0, 500]  # I4 open 91 days after due
    assert inv_.loc[["K1", "K2", "K3"], "balance_before_amount"].tolist() == [0, 60, 120]
    assert "I0" not in inv_.index  # before the year: in balances, not replayed


def test_flagging_tests_each_invoice_against_the_balance_it_actually_met(ledger):
    base = backtest_base(ledger, D)
    # cap 1,000: exposures 900, 1,050, 850, 850 → only I2
    r = replay(base, caps(A=1000), "flag")
    assert r.invoices["invoice_id"].tolist() == ["I2"]
    assert (r.n_tested, r.n_over, r.over_amount, r.n_customers) == (4, 1, 200, 1)
    assert r.invoices["exposure_amount"].tolist() == [1050]
    # every matured invoice that went 90+: I4 500 + K1..K3 150 (B and C are uncapped here)
    assert r.defaulted_amount == 650 and r.avoided_amount == 0
    assert r.good_amount_over == 200  # I2 was paid


def test_blocking_an_order_frees_headroom_for_the_next_ones(ledger):
    """Cap 800. I1: 600 + 300 = 900 → blocked (300 open of it from now). I2: 850 − 300 + 200
    = 750 → passes (flagging alone would stop it: 1,050). I3: 450 − 300 + 400 = 550 → passes.
    I4: I1's payment of 9 Feb never happened, so nothing of I1 is open any more: 350 + 500 =
    850 → blocked, and it is the invoice that went 90+: 500 of 650 avoided."""
    base = backtest_base(ledger, D)
    flagged = replay(base, caps(A=800), "flag")
    assert flagged.invoices["invoice_id"].tolist() == ["I1", "I2", "I3", "I4"]
    r = replay(base, caps(A=800), "block")
    assert r.invoices["invoice_id"].tolist() == ["I1", "I4"]
    assert r.invoices["exposure_amount"].tolist() == [900, 850]
    assert (r.n_over, r.over_amount, r.avoided_amount, r.good_amount_over) == (2, 800, 500, 300)
    assert r.avoided_share == pytest.approx(500 / 650)


def test_orders_on_the_same_day_are_decided_in_order(ledger):
    """C, cap 100, on 1 Jun: K1 60 → 60; K2: 60 + 60 = 120 → over; K3: flagging sees 150,
    blocking 120 − 60 (K2 never happened) + 30 = 90 → passes."""
    base = backtest_base(ledger, D)
    assert replay(base, caps(C=100), "flag").invoices["invoice_id"].tolist() == ["K2", "K3"]
    blocked = replay(base, caps(C=100), "block")
    assert blocked.invoices["invoice_id"].tolist() == ["K2"]
    assert blocked.avoided_amount == 60


def test_no_cap_means_nothing_is_tested(ledger):
    r = replay(backtest_base(ledger, D), pd.Series(dtype=float), "block")
    assert (r.n_tested, r.n_over, r.over_amount, r.avoided_amount) == (0, 0, 0, 0)
    assert r.invoices.empty and r.avoided_share == 0


# --- against a plain loop over every invoice ----------------------------------------------------


@pytest.fixture(scope="module")
def sample_con(tmp_path_factory):
    from engines.duckdb.engine import connect

    folder = tmp_path_factory.mktemp("backtest-sample")
    generate_sample(folder / "sample", invoices=6_000, seed=11)
    load_ledger(folder / "sample", folder / "ledger.duckdb")
    con = connect(folder / "ledger.duckdb")
    yield con
    con.close()


def reference_blocks(invoices: pd.DataFrame, applied: pd.DataFrame, cap: np.ndarray) -> set:
    """Invoice by invoice: blocked when max(balance − Σ over earlier blocked invoices of the
    same customer of (amount − applied by this invoice's date), 0) + amount > cap."""
    applied = applied.sort_values("apply_date")
    paid = {k: (g["apply_date"].to_numpy(), np.cumsum(g["applied_amount"].to_numpy()))
            for k, g in applied.groupby("invoice_key")}  # fmt: skip
    amount = dict(zip(invoices["invoice_key"], invoices["amount"], strict=True))
    blocked: dict[int, list[int]] = {}
    for i, row in enumerate(invoices.itertuples()):
        if np.isnan(cap[i]):
            continue
        still_open = 0.0
        for j in blocked.get(row.customer_key, []):
            dates, cum = paid.get(j, (np.array([], "datetime64[ns]"), np.array([])))
            n = np.searchsorted(dates, np.datetime64(row.invoice_date), side="right")
            still_open += amount[j] - (cum[n - 1] if n else 0.0)
        if max(row.balance_before_amount - still_open, 0.0) + row.amount > cap[i] + 0.005:
            blocked.setdefault(row.customer_key, []).append(row.invoice_key)
    return {k for keys in blocked.values() for k in keys}


def test_the_replay_equals_a_loop_over_every_invoice_on_a_sample(sample_con):
    as_of = date(2026, 10, 31)
    base = backtest_base(sample_con, as_of)
    limits = sample_con.con.sql("select customer_key, credit_limit from customers").df()
    cap = limits.set_index("customer_key")["credit_limit"].where(lambda s: s > 0) * 0.6
    invoices = base.invoices
    applied = sample_con.con.execute(
        "select document_key as invoice_key, apply_date, applied_amount * sales_amount / amount"
        " as applied_amount from applications join documents on invoice_key = document_key"
        " where apply_date <= $d",
        {"d": as_of},
    ).df()
    per_invoice = cap.reindex(invoices["customer_key"]).to_numpy()
    expected = reference_blocks(invoices, applied, per_invoice)
    over, _ = decisions(base, per_invoice, block=True)
    assert 50 < len(expected) < len(invoices) / 2  # a real test: many blocks, many passes
    assert set(invoices.loc[over, "invoice_key"]) == expected
    flagged, _ = decisions(base, per_invoice, block=False)
    assert flagged.sum() > over.sum()  # blocking frees headroom
