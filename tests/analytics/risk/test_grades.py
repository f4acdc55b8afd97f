"""Behavioural grades from PD and their migration (spec §10)."""

import numpy as np
import pandas as pd
import pytest

from analytics.risk.grades import GRADES, grade_counts, grade_migration, grade_of, scores_of
from analytics.risk.observations import FEATURES


@pytest.mark.parametrize(
    ("pd_value", "grade"),
    [
        (0.0, "A"),
        (0.004999, "A"),
        (0.005, "B"),  # 0.5 % exactly is B: each band includes its lower edge
        (0.019999, "B"),
        (0.02, "C"),
        (0.05, "D"),
        (0.149999, "D"),
        (0.15, "E"),
        (1.0, "E"),
    ],
)
def test_band_edges(pd_value, grade):
    assert grade_of(np.array([pd_value])).tolist() == [grade]


def test_an_undefined_pd_has_no_grade():
    assert grade_of(np.array([np.nan, 0.01])).tolist() == [None, "B"]


def grades(mapping):
    return pd.DataFrame({"customer_key": list(mapping), "grade": list(mapping.values())})


def test_migration_counts_moves_new_and_gone_customers():
    before = grades({1: "A", 2: "A", 3: "B", 4: "C", 5: "E", 6: None})
    after = grades({1: "A", 2: "B", 3: "B", 4: "E", 7: "C", 8: "A", 6: "D"})
    m = grade_migration(before, after)
    assert list(m.index) == [*GRADES, "new"] and list(m.columns) == [*GRADES, "gone"]
    # 1 A→A, 2 A→B, 3 B→B, 4 C→E; 5 (E) is gone; 6 had no grade before, so it is new (D)
    # like 7 (C) and 8 (A)
    expected = {("A", "A"): 1, ("A", "B"): 1, ("B", "B"): 1, ("C", "E"): 1, ("E", "gone"): 1,
                ("new", "C"): 1, ("new", "A"): 1, ("new", "D"): 1}  # fmt: skip
    for (row, column), count in expected.items():
        assert m.loc[row, column] == count
    assert m.to_numpy().sum() == len(expected)  # every other cell is 0
    # rows add up to the customers graded before, columns to those graded after
    assert m.loc[list(GRADES)].to_numpy().sum() == 5
    assert m[list(GRADES)].to_numpy().sum() == 7


def test_grade_counts_name_every_grade():
    assert grade_counts(grades({1: "B", 2: "B", 3: "E", 4: None})) == {
        "A": 0, "B": 2, "C": 0, "D": 0, "E": 1}  # fmt: skip


def rows(**columns):
    base = {"customer_key": [1, 2, 3, 4], "risk_rating": ["A", "B", "C", "D"]}
    base |= {name: [0.0] * 4 for name in FEATURES}
    return pd.DataFrame(base | columns)


def test_customers_in_default_are_e_and_the_rest_of_the_population_is_scored():
    r = rows(
        is_in_population=[True, True, False, False],
        is_in_default=[False, False, True, False],
    )
    s = scores_of(r, lambda points: np.array([0.001, 0.3])[: len(points)])
    # 1 and 2 scored by the model; 3 in default → PD 1, E; 4 is neither: not graded
    assert s["customer_key"].tolist() == [1, 2, 3]
    assert s["pd"].tolist() == [0.001, 0.3, 1.0]
    assert s["grade"].tolist() == ["A", "E", "E"]
    assert s["risk_rating"].tolist() == ["A", "B", "C"]  # the assigned rating stays beside it


def test_without_a_model_nobody_in_the_population_has_a_grade():
    r = rows(is_in_population=[True, True, False, False], is_in_default=[False] * 4)
    s = scores_of(r, None)
    assert s["grade"].tolist() == [None, None] and s["pd"].isna().all()
