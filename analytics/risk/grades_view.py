"""What the Grades & PD page and the committee pack show of a behavioural model: customers
with their PD, behavioural grade and assigned rating, the grade distribution, and the model's
validation as one row of figures. Pure frames from a `BehaviouralModel`; no queries."""

from __future__ import annotations

import math

import pandas as pd

from analytics.risk.grades import GRADES
from analytics.risk.model import BehaviouralModel

CUSTOMER_FEATURES = ["max_dpd", "days_late_3m", "days_late_trend", "overdue_share", "utilisation"]


def graded_customers(model: BehaviouralModel, dims: pd.DataFrame) -> pd.DataFrame:
    """One row per scored customer: id, name, assigned rating, behavioural grade, PD, in
    default, and the features that move a PD most; highest PD first. ``dims`` is the
    customer dimension (facts.customers), already filtered to the customers to show."""
    scores = model.scores.drop(columns=["risk_rating"])
    keep = ["customer_key", "pd", "grade", "is_in_default", *CUSTOMER_FEATURES]
    frame = dims[["customer_key", "customer_id", "name", "risk_rating"]].merge(
        scores[[c for c in keep if c in scores.columns]], on="customer_key"
    )
    return frame.sort_values(["pd", "customer_id"], ascending=[False, True], ignore_index=True)


def grade_distribution(customers: pd.DataFrame) -> pd.DataFrame:
    """Customers per behavioural grade A–E (every grade, 0 when none), and not graded.

    >>> grade_distribution(pd.DataFrame({"grade": ["A", "A", "E", None]}))["customers"].tolist()
    [2, 0, 0, 0, 1, 1]
    """
    counts = customers["grade"].value_counts()
    rows = [(g, int(counts.get(g, 0))) for g in GRADES]
    rows.append(("not graded", int(customers["grade"].isna().sum())))
    return pd.DataFrame(rows, columns=["grade", "customers"])


def validation_figures(model: BehaviouralModel) -> dict[str, float | None]:
    """AUC, Gini, Brier, the max-dpd benchmark's AUC, mean PD and the observed default rate
    of the out-of-time validation (None each when there is none)."""
    v = model.validation
    names = ["auc", "gini", "brier", "auc_benchmark", "mean_pd", "default_rate"]
    if v is None:
        return dict.fromkeys(names)
    return {n: _number(getattr(v, n)) for n in names}


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)
