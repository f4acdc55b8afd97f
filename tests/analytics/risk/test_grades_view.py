"""The Grades & PD page's frames of a behavioural model, on a hand-made model result."""

from datetime import date

import numpy as np
import pandas as pd

from analytics.risk.grades_view import grade_distribution, graded_customers, validation_figures
from analytics.risk.model import BehaviouralModel


def _model(validation=None):
    scores = pd.DataFrame(
        {
            "customer_key": [0, 1, 2],
            "pd": [0.01, 0.30, np.nan],
            "grade": ["B", "E", None],
            "is_in_default": [False, False, False],
            "risk_rating": ["A", "C", "B"],
            "max_dpd": [0, 40, 0],
        }
    )
    return BehaviouralModel(date(2026, 10, 31), None, validation, scores, None)


def test_customers_keep_the_assigned_rating_beside_the_grade_highest_pd_first():
    dims = pd.DataFrame({"customer_key": [0, 1, 2], "customer_id": ["C0", "C1", "C2"],
                         "name": ["a", "b", "c"], "risk_rating": ["A", "C", "B"]})  # fmt: skip
    frame = graded_customers(_model(), dims)
    assert frame["customer_id"].tolist() == ["C1", "C0", "C2"]  # 0.30, 0.01, no PD last
    assert frame[["risk_rating", "grade"]].values.tolist()[:2] == [["C", "E"], ["A", "B"]]


def test_distribution_counts_every_grade_and_the_ungraded():
    dist = grade_distribution(_model().scores)
    assert dict(zip(dist["grade"], dist["customers"], strict=True)) == {
        "A": 0, "B": 1, "C": 0, "D": 0, "E": 1, "not graded": 1
    }  # fmt: skip


def test_no_validation_gives_undefined_figures_not_zero():
    assert validation_figures(_model()) == dict.fromkeys(
        ["auc", "gini", "brier", "auc_benchmark", "mean_pd", "default_rate"]
    )
