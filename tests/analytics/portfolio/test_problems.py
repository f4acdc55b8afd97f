"""Overview's largest problems: one row per customer, one ranking (issue 9)."""

from __future__ import annotations

import math

import pandas as pd

from analytics.portfolio.problems import PROBLEM_COLUMNS, largest_problems


def customers() -> pd.DataFrame:
    nan = float("nan")
    return pd.DataFrame({
        "customer_id": ["A", "B", "C", "D", "E"],
        "name": ["Alpha", "Beta", "Gamma", "Delta", "Epsilon"],
        "risk_rating": ["A", "D", "B", "A", "C"],
        "overdue_amount": [500.0, 100.0, 0.0, 0.0, 300.0],
        "overdue_share": [0.5, 0.1, 0.0, 0.0, 1.0],
        # B: exposure 1,700 on a limit of 1,000 -> 700 over; C: 1,050 on 1,000 -> 50 over;
        # E has no limit (utilisation and headroom undefined)
        "headroom_amount": [200.0, -700.0, -50.0, 400.0, nan],
        "utilisation": [0.8, 1.7, 1.05, 0.6, nan],
        "is_over_limit": [False, True, True, False, False],
    })  # fmt: skip


def test_one_row_per_customer_ranked_by_the_larger_amount_at_issue():
    top = largest_problems(customers())
    assert list(top.columns) == PROBLEM_COLUMNS
    # B: max(overdue 100, over limit 700) = 700 (once, not once per list); A 500; E 300; C 50;
    # D is neither overdue nor over its limit
    assert top["customer_id"].tolist() == ["B", "A", "E", "C"]
    assert top["at_issue_amount"].tolist() == [700.0, 500.0, 300.0, 50.0]
    b = top.iloc[0]
    assert (b["overdue_amount"], b["over_limit_amount"], b["utilisation"]) == (100.0, 700.0, 1.7)
    e = top.set_index("customer_id").loc["E"]
    assert e["over_limit_amount"] == 0 and math.isnan(e["utilisation"])


def test_the_list_is_cut_to_n_and_empty_when_nothing_is_wrong():
    assert largest_problems(customers(), n=2)["customer_id"].tolist() == ["B", "A"]
    fine = customers().iloc[[3]]
    assert largest_problems(fine).empty and list(largest_problems(fine).columns) == PROBLEM_COLUMNS
