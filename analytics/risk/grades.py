"""Behavioural grades A–E from PD, and their migration between two dates (spec §10).

A < 0.5 %, B < 2 %, C < 5 %, D < 15 %, E ≥ 15 %: each band includes its lower edge (a PD of
exactly 0.5 % is B). A customer already in default at the date (an undisputed invoice 91
or more days past due) is not scored: its PD is 1 and its grade E. The ledger's own
``risk_rating`` is the assigned rating and stays beside the grade, never replaced.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
import pandas as pd

from analytics.risk.observations import FEATURES, Observations

GRADES = ("A", "B", "C", "D", "E")
GRADE_PD_EDGES = (0.005, 0.02, 0.05, 0.15)  # upper edges (exclusive) of A, B, C, D
MIGRATION_NEW, MIGRATION_GONE = "new", "gone"

PdFunction = Callable[[pd.DataFrame], np.ndarray]


def grade_of(pd_values: np.ndarray) -> np.ndarray:
    """The grade letter of each PD (NaN PD: None).

    >>> grade_of(np.array([0.0049, 0.005, 0.0199, 0.05, 0.15, 1.0])).tolist()
    ['A', 'B', 'B', 'D', 'E', 'E']
    """
    p = np.asarray(pd_values, float)
    letters = np.array(GRADES, dtype=object)[np.searchsorted(GRADE_PD_EDGES, p, side="right")]
    letters[np.isnan(p)] = None
    return letters


def scores_of(rows: pd.DataFrame, pd_function: PdFunction | None) -> pd.DataFrame:
    """PD and grade per customer row at one date (rows of ``Observations.at``): the model's
    PD for the population, 1.0 (grade E) for customers in default, NaN (no grade) for all
    when there is no model. Columns: customer_key, pd, grade, is_in_default, risk_rating."""
    scored = rows[rows["is_in_population"] | rows["is_in_default"]]
    pd_values = np.full(len(scored), np.nan)
    population = scored["is_in_population"].to_numpy(bool)
    if pd_function is not None and population.any():
        pd_values[population] = pd_function(scored[population])
    pd_values[scored["is_in_default"].to_numpy(bool)] = 1.0
    return pd.DataFrame(
        {
            "customer_key": scored["customer_key"].to_numpy(),
            "pd": pd_values,
            "grade": grade_of(pd_values),
            "is_in_default": scored["is_in_default"].to_numpy(bool),
            "risk_rating": scored["risk_rating"].to_numpy(),
            **{name: scored[name].to_numpy() for name in FEATURES},
        }
    )


def grades_at(obs: Observations, day: date, pd_function: PdFunction | None) -> pd.DataFrame:
    """``scores_of`` the customers at one observation date of ``obs``."""
    return scores_of(obs.at(day), pd_function)


def grade_counts(scores: pd.DataFrame) -> dict[str, int]:
    """Customers per grade, every grade present (0 when none)."""
    counts = scores["grade"].value_counts()
    return {g: int(counts.get(g, 0)) for g in GRADES}


def grade_migration(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Customer counts from the grade in ``before`` (rows A–E, then ``new`` for customers
    graded only after) to the grade in ``after`` (columns A–E, then ``gone`` for customers
    graded only before). Each frame has customer_key and grade; customers without a grade
    count as not graded."""
    b = before.dropna(subset=["grade"]).set_index("customer_key")["grade"]
    a = after.dropna(subset=["grade"]).set_index("customer_key")["grade"]
    pairs = pd.concat([b.rename("from"), a.rename("to")], axis=1)
    pairs["from"] = pairs["from"].fillna(MIGRATION_NEW)
    pairs["to"] = pairs["to"].fillna(MIGRATION_GONE)
    table = pd.crosstab(pairs["from"], pairs["to"])
    rows, columns = [*GRADES, MIGRATION_NEW], [*GRADES, MIGRATION_GONE]
    return table.reindex(index=rows, columns=columns, fill_value=0).astype(int)
