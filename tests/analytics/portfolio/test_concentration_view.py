"""Concentration views (spec §5-§6) on a four-customer ledger, as of D = 2024-03-31 (USD):

  customer  segment region industry group  insured limit  balance
  A         S1      R1     X        G1     300            600 (I1, due 03-01: overdue)
  B         S1      R2     X        G1     -              300 (I2, due 04-30: current)
  C         S2      R1     Y        C      -              100 (I3, current)
  D         S2      R2     Y        D      -              -50 (stand-alone credit note)

Customer shares .6 .3 .1 (D's credit is left out) -> HHI 3,600 + 900 + 100 = 4,600.
"""

from datetime import date

import pandas as pd
import pytest

from analytics.portfolio.concentration_view import (
    concentration_summary,
    pareto_curve,
    ranked_shares,
    top_units,
    treemap_nodes,
    unit_amounts,
)
from analytics.portfolio.snapshot import Options, snapshot
from tests.ledger_factory import inv, load

D = date(2024, 3, 31)


def customer(cid, segment, region, industry, group=None, insured=None):
    return {"customer_id": cid, "name": f"Name {cid}", "segment": segment, "region": region,
            "industry": industry, "group_id": group, "risk_rating": "B", "insured_limit": insured}  # fmt: skip


@pytest.fixture
def con(tmp_path):
    return load(
        tmp_path,
        customers=[
            customer("A", "S1", "R1", "X", "G1", 300),
            customer("B", "S1", "R2", "X", "G1"),
            customer("C", "S2", "R1", "Y"),
            customer("D", "S2", "R2", "Y"),
        ],
        invoices=[
            inv("I1", "A", "2024-01-31", "2024-03-01", 600),
            inv("I2", "B", "2024-03-31", "2024-04-30", 300),
            inv("I3", "C", "2024-03-31", "2024-04-30", 100),
            inv("C1", "D", "2024-03-31", "2024-04-30", -50),
        ],
    )


def customers_at(con, coverage=0.9):
    return snapshot(con, Options(as_of=D, coverage=coverage)).customers


def amounts(con, level, measure="balance", coverage=0.9):
    return unit_amounts(customers_at(con, coverage), level, measure).to_dict()


def test_units_hold_balances_groups_net_and_dimensions_sum_positive_balances(con):
    assert amounts(con, "customer") == {"A": 600, "B": 300, "C": 100, "D": -50}
    # groups net their members: G1 = 600 + 300; C and D are their own groups
    assert amounts(con, "group") == {"G1": 900, "C": 100, "D": -50}
    # industry Y = max(100, 0) + max(-50, 0) = 100 (not 50: D's credit does not offset C)
    assert amounts(con, "industry") == {"X": 900, "Y": 100}
    assert amounts(con, "region") == {"R1": 700, "R2": 300}  # R1 = A + C; R2 = B + 0


def test_uninsured_exposure_follows_the_coverage(con):
    # A: exposure 600, insured min(600, 300) × .9 = 270 -> 330; B 300; C 100; D exposure 0
    assert amounts(con, "customer", "uninsured") == pytest.approx(
        {"A": 330, "B": 300, "C": 100, "D": 0}
    )
    # coverage 50 %: A insured 150 -> 450
    assert amounts(con, "customer", "uninsured", coverage=0.5)["A"] == pytest.approx(450)
    assert amounts(con, "group", "uninsured") == pytest.approx({"G1": 630, "C": 100, "D": 0})


def test_ranked_shares_and_top_units(con):
    ranked = ranked_shares(unit_amounts(customers_at(con), "customer", "balance"))
    assert list(ranked["unit"]) == ["A", "B", "C"]  # D (credit) has no share
    assert ranked["share"].tolist() == pytest.approx([0.6, 0.3, 0.1])
    assert ranked["cumulative_share"].tolist() == pytest.approx([0.6, 0.9, 1.0])
    top = top_units(customers_at(con), "customer", "balance", 2)
    assert list(top.columns) == [
        "rank", "unit", "name", "segment", "risk_rating", "amount", "share", "cumulative_share"
    ]  # fmt: skip
    assert top[["rank", "unit", "name", "segment"]].values.tolist() == [
        [1, "A", "Name A", "S1"],
        [2, "B", "Name B", "S1"],
    ]
    groups = top_units(customers_at(con), "group", "balance", 5)
    # G1 900 / 1,000 = .9 with its two members; C .1; D's -50 has no share
    assert groups[["unit", "n_customers"]].values.tolist() == [["G1", 2], ["C", 1]]
    assert groups["share"].tolist() == pytest.approx([0.9, 0.1])


def test_pareto_curve_runs_from_zero_to_one(con):
    curve = pareto_curve(unit_amounts(customers_at(con), "customer", "balance"))
    # three units: (0, 0), (1/3, .6), (2/3, .9), (1, 1)
    assert curve["unit_share"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert curve["amount_share"].tolist() == pytest.approx([0, 0.6, 0.9, 1])
    assert pareto_curve(pd.Series([-5.0, 0.0])).empty


def test_summary_gives_hhi_and_reading_per_level_and_measure(con):
    summary = concentration_summary(customers_at(con), 2).set_index(["level", "measure"])
    customer = summary.loc[("customer", "balance")]
    assert customer["n_units"] == 3 and customer["top_n_share"] == pytest.approx(0.9)
    assert customer["total_amount"] == 1000  # 600 + 300 + 100; D's -50 is not held
    assert customer["hhi"] == pytest.approx(4_600) and customer["reading"] == "highly concentrated"
    # groups .9 .1 -> 8,100 + 100; industries the same; regions .7 .3 -> 4,900 + 900
    assert summary.loc[("group", "balance"), "hhi"] == pytest.approx(8_200)
    assert summary.loc[("industry", "balance"), "hhi"] == pytest.approx(8_200)
    assert summary.loc[("region", "balance"), "hhi"] == pytest.approx(5_800)
    # uninsured 330, 300, 100 of 730
    assert summary.loc[("region", "uninsured"), "total_amount"] == pytest.approx(730)
    expected = sum((100 * v / 730) ** 2 for v in (330, 300, 100))
    assert summary.loc[("customer", "uninsured"), "hhi"] == pytest.approx(expected)


def test_treemap_nests_customers_with_a_positive_balance_in_their_segment(con):
    nodes = treemap_nodes(customers_at(con)).set_index("id")
    assert list(nodes.index) == ["All customers", "S1", "S2", "S1/A", "S1/B", "S2/C"]
    assert nodes["parent"].tolist() == ["", "All customers", "All customers", "S1", "S1", "S2"]
    assert nodes["balance_amount"].tolist() == [1000, 900, 100, 600, 300, 100]
    # overdue: A's 600 only -> A 1.0, S1 600 / 900, all 600 / 1,000
    assert nodes["overdue_share"].tolist() == pytest.approx([0.6, 600 / 900, 0, 1, 0, 0])
    assert nodes.loc["S1/A", "label"] == "Name A" and nodes.loc["S1", "risk_rating"] == ""


def test_nobody_with_a_balance_gives_empty_views(con):
    nobody = customers_at(con).iloc[0:0]
    assert top_units(nobody, "customer", "balance", 10).empty
    assert treemap_nodes(nobody).empty
    summary = concentration_summary(nobody, 10)
    assert summary["hhi"].isna().all() and set(summary["reading"]) == {"no balances"}


def test_views_do_not_mutate_the_customer_frame(con):
    customers = customers_at(con)
    before = customers.copy()
    for level in ("customer", "group", "industry", "region"):
        top_units(customers, level, "uninsured", 3)
    concentration_summary(customers, 3)
    treemap_nodes(customers)
    pd.testing.assert_frame_equal(customers, before)
