"""Economics: working capital, financing cost, expected credit loss, PD table and the profit
bridge, worked by hand."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analytics.policy import economics
from analytics.policy.economics import ProfitParts, pd_by_rating, profit_bridge
from engines import facts
from tests.ledger_factory import inv, load, pay


def test_working_capital_is_the_cost_of_the_goods_in_receivables():
    assert economics.working_capital(1_000_000, 0.25) == 750_000  # 1M × (1 − 25 %)
    assert economics.working_capital(1_000_000, 0.0) == 1_000_000
    assert economics.financing_cost(750_000, 0.08) == pytest.approx(60_000)  # 750k × 8 %


def test_expected_credit_loss_is_pd_times_uninsured_exposure_times_lgd():
    exposure = pd.Series([1000.0, 500.0, 0.0])
    pd_rate = pd.Series([0.02, 0.1, 0.5])
    insured = pd.Series([800.0, np.nan, 100.0])
    loss = economics.expected_credit_loss(exposure, pd_rate, insured, lgd=0.45, cover=0.9)
    # uninsured: 1000 − min(1000, 800) × 0.9 = 280; 500 (no insurance); 0 (no exposure)
    # loss: 0.02 × 280 × 0.45 = 2.52; 0.1 × 500 × 0.45 = 22.5; 0
    assert loss.tolist() == pytest.approx([2.52, 22.5, 0.0])
    # cover 0: the whole exposure is at risk: 0.02 × 1000 × 0.45 = 9
    assert economics.expected_credit_loss(exposure, pd_rate, insured, 0.45, 0.0)[0] == 9.0


def test_net_profit_is_margin_less_financing_less_credit_loss():
    # 4,000,000 × 25 % − 60,000 − 15,000
    assert economics.net_profit(4_000_000, 0.25, 60_000, 15_000) == 925_000
    assert ProfitParts(4_000_000, 0.25, 60_000, 15_000).profit == 925_000


def test_the_profit_bridge_walks_from_baseline_to_scenario_profit():
    base = ProfitParts(4_000_000, 0.25, 60_000, 15_000)  # profit 925,000
    # + 400,000 gained − 100,000 blocked = 4,300,000; financing 75,000; loss 18,000
    scen = ProfitParts(4_300_000, 0.25, 75_000, 18_000)  # 1,075,000 − 93,000 = 982,000
    bridge = profit_bridge(base, scen, sales_gained=400_000, sales_blocked=100_000)
    assert bridge["step"].tolist() == [
        "Baseline profit",
        "Margin on sales gained",
        "Margin lost on sales blocked",
        "Extra financing cost",
        "Change in expected credit loss",
        "Scenario profit",
    ]
    # 400k × 25 %, −100k × 25 %, −(75k − 60k), −(18k − 15k)
    assert bridge["amount"].tolist() == [925_000, 100_000, -25_000, -15_000, -3_000, 982_000]
    assert bridge["kind"].tolist() == ["absolute", *["relative"] * 4, "total"]


def test_a_bridge_that_does_not_add_up_shows_the_residue_instead_of_hiding_it():
    base = ProfitParts(1_000, 0.5, 0, 0)  # 500
    scen = ProfitParts(1_200, 0.5, 0, 0)  # 600, but only 100 of sales "gained" is declared
    bridge = profit_bridge(base, scen, sales_gained=100, sales_blocked=0)
    assert bridge.loc[bridge["step"] == "Other", "amount"].tolist() == [50.0]


def test_an_unchanged_scenario_has_a_flat_bridge_without_negative_zeros():
    parts = ProfitParts(1_000, 0.25, 10, 5)
    amounts = profit_bridge(parts, parts, 0.0, 0.0)["amount"].tolist()
    assert amounts == [235.0, 0.0, 0.0, 0.0, 0.0, 235.0]
    assert all(np.copysign(1, a) > 0 for a in amounts)


# --- PD table ----------------------------------------------------------------------------------


def test_pd_is_the_defaulted_amount_over_the_average_ar_of_the_rating():
    history = pd.DataFrame({
        "customer_key": [0, 1, 2],
        "defaulted_amount": [100.0, 30.0, 0.0],
        "month_end_ar_sum": [1600.0, 1120.0, 900.0],
        "n_month_ends": [9, 9, 9],
    })  # fmt: skip
    ratings = pd.Series(["B", "C", "A"], index=[0, 1, 2])
    table = pd_by_rating(history, ratings).set_index("rating")
    # B: 100 ÷ (1600 / 9) = 0.5625; C: 30 ÷ (1120 / 9) = 0.241071; A: 0 → the 0.03 % floor
    assert table.loc["B", "pd"] == pytest.approx(0.5625)
    assert table.loc["C", "pd"] == pytest.approx(30 * 9 / 1120)
    assert table.loc["A", "pd"] == economics.PD_FLOOR
    assert table.loc["B", "average_ar_amount"] == pytest.approx(1600 / 9)
    assert set(table["basis"]) == {"own history"}


def test_a_rating_without_history_takes_the_portfolio_rate_and_pd_is_capped_at_one():
    history = pd.DataFrame({"customer_key": [0, 1], "defaulted_amount": [500.0, 10.0],
                            "month_end_ar_sum": [1200.0, 1200.0], "n_month_ends": [12, 12]})  # fmt: skip
    ratings = pd.Series(["E", "B", "D", None], index=[0, 1, 2, 3])
    table = pd_by_rating(history, ratings).set_index("rating")
    assert table.loc["E", "pd"] == 1.0  # 500 ÷ (1200 / 12) = 5 → capped
    # D (no AR history) and the unrated: portfolio 510 ÷ (2400 / 12) = 2.55 → capped at 1
    assert table.loc["D", "basis"] == "portfolio rate" and table.loc["D", "pd"] == 1.0
    assert table.loc[economics.UNRATED, "basis"] == "portfolio rate"


def test_no_history_at_all_gives_zero_pd_and_says_so():
    history = pd.DataFrame(columns=["customer_key", "defaulted_amount", "month_end_ar_sum",
                                    "n_month_ends"])  # fmt: skip
    table = pd_by_rating(history, pd.Series(["A", "B"], index=[0, 1]))
    assert table["pd"].tolist() == [0.0, 0.0] and set(table["basis"]) == {"no history"}


def test_the_default_history_query_on_a_tiny_ledger(tmp_path):
    """D = 31 Dec 2024; window of due dates (2 Oct 2023, 1 Oct 2024] (end = D − 91 days).
    A (rating B): I1 100 due 31 Jan paid 1 Mar (30 days late: fine); I2 200 due 2 Mar, 100 paid
    1 Apr and no more → 100 still open on 1 Jun (due + 91): defaulted; I3 50 disputed, never
    paid → left out of the defaults (still in AR).
    B (rating C): J2 1000 due 31 Jan paid 15 Feb; J1 30 due 1 May paid 9 Aug (due + 100) →
    open at due + 91: defaulted 30, although paid later.
    Month-end AR over Jan-Sep 2024 (9 month-ends, the ledger starts 1 Jan):
    A: Jan 100, Feb 350, Mar 250, Apr-Sep 150 × 6 → 1,600; B: Jan 1000, Apr-Jul 30 × 4 → 1,120.
    (K1, dated D, only makes the ledger run to D.)
    """
    con = load(
        tmp_path,
        customers=[{"customer_id": "A", "risk_rating": "B"},
                   {"customer_id": "B", "risk_rating": "C"}],
        invoices=[
            inv("I1", "A", "2024-01-01", "2024-01-31", 100),
            inv("I2", "A", "2024-02-01", "2024-03-02", 200),
            inv("I3", "A", "2024-02-01", "2024-03-02", 50, disputed="true"),
            inv("J2", "B", "2024-01-01", "2024-01-31", 1000),
            inv("J1", "B", "2024-04-01", "2024-05-01", 30),
            inv("K1", "B", "2024-12-31", "2025-01-30", 10),
        ],
        payments=[
            pay("P1", "A", "2024-03-01", 100, "I1"),
            pay("P2", "A", "2024-04-01", 100, "I2"),
            pay("P3", "B", "2024-02-15", 1000, "J2"),
            pay("P4", "B", "2024-08-09", 30, "J1"),
        ],
    )  # fmt: skip
    d = date(2024, 12, 31)
    end = d - timedelta(days=91)
    rows = facts.scenario_default_history(con, start=end - timedelta(days=365), end=end)
    assert rows["defaulted_amount"].tolist() == [100.0, 30.0]
    assert rows["month_end_ar_sum"].tolist() == [1600.0, 1120.0]
    assert rows["n_month_ends"].tolist() == [9, 9]
    table = pd_by_rating(rows, pd.Series(["B", "C"], index=[0, 1])).set_index("rating")
    assert table["pd"].tolist() == pytest.approx([100 * 9 / 1600, 30 * 9 / 1120])


def test_no_function_mutates_its_input():
    history = pd.DataFrame({"customer_key": [0], "defaulted_amount": [1.0],
                            "month_end_ar_sum": [12.0], "n_month_ends": [12]})  # fmt: skip
    ratings = pd.Series(["A"], index=[0])
    before = history.copy()
    pd_by_rating(history, ratings)
    pd.testing.assert_frame_equal(history, before)


def test_the_six_month_pd_is_made_twelve_month_with_the_same_hazard_in_each_half():
    # 1 − (1 − 0.1)² = 1 − 0.81 = 0.19; 1 − 0.5² = 0.75; a defaulted customer (1) stays at 1
    twelve = economics.twelve_month_pd(pd.Series([0.0, 0.1, 0.5, 1.0]))
    assert twelve.tolist() == pytest.approx([0.0, 0.19, 0.75, 1.0])


def test_each_customer_takes_the_models_pd_and_only_unscored_ones_their_ratings():
    ratings = pd.Series({1: "A", 2: "B", 3: "B", 4: None})  # customer_key → rating
    six_month = pd.Series({1: 0.02, 2: np.nan, 4: 0.1})  # 3 is absent: not scored either
    table = pd.DataFrame({"rating": ["A", "B", economics.UNRATED], "pd": [0.001, 0.03, 0.05]})
    chosen = economics.customer_pd(ratings, six_month, table)
    # 1: 1 − 0.98² = 0.0396 (model); 2, 3: B's 3 % (rating); 4: 1 − 0.9² = 0.19 (model)
    assert chosen["pd"].tolist() == pytest.approx([0.0396, 0.03, 0.03, 0.19])
    assert chosen["pd_basis"].tolist() == [economics.PD_MODEL, economics.PD_RATING,
                                           economics.PD_RATING, economics.PD_MODEL]  # fmt: skip
    # an unrated customer the model does not score takes the "(none)" row, not 0
    unrated = economics.customer_pd(pd.Series({9: None}), pd.Series(dtype=float), table)
    assert unrated["pd"].tolist() == [0.05]
    # a model PD below the floor is lifted to it, like the table's
    tiny = economics.customer_pd(pd.Series({1: "A"}), pd.Series({1: 0.00001}), table)
    assert tiny["pd"].tolist() == [economics.PD_FLOOR]


def test_the_pd_summary_counts_who_takes_which_pd_and_weights_by_exposure():
    customers = pd.DataFrame({
        "risk_rating": ["A", "A", "B"],
        "pd": [0.02, 0.04, 0.03],
        "pd_basis": [economics.PD_MODEL, economics.PD_RATING, economics.PD_MODEL],
        "exposure_amount": [300.0, 100.0, -50.0],
    })  # fmt: skip
    table = pd.DataFrame({"rating": ["A", "B"], "defaulted_amount": [1.0, 2.0],
                          "average_ar_amount": [10.0, 20.0], "pd": [0.04, 0.1],
                          "basis": ["own history"] * 2})  # fmt: skip
    out = economics.pd_summary(customers, table).set_index("rating")
    # A: one on the model, one on the rating; (0.02 × 300 + 0.04 × 100) ÷ 400 = 0.025
    assert out.loc["A", ["model_customers", "rating_customers"]].tolist() == [1, 1]
    assert out.loc["A", "used_pd"] == pytest.approx(0.025)
    # B: exposure −50 counts as 0, so there is no weight: NaN rather than a made-up figure
    assert np.isnan(out.loc["B", "used_pd"])
