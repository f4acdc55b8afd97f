"""The behavioural score as spec §15's machine-readable ``score`` object."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from analytics.risk.grades import grade_counts
from analytics.risk.model import BehaviouralModel, behavioural_model
from engines.base import Engine


def score_json(
    engine: Engine, *, as_of: date, model: BehaviouralModel | None = None
) -> dict[str, Any]:
    """``{"auc_out_of_time", "auc_benchmark_max_dpd", "brier", "grades": {"A": n, …}}`` at
    ``as_of`` (spec §15): the out-of-time validation's figures (null when there were too few
    defaults to validate) and the customers per behavioural grade at as_of (customers in
    default count as E). Pass ``model`` when it is already built for as_of."""
    model = model if model is not None else behavioural_model(engine, as_of=as_of)
    v = model.validation
    return {
        "auc_out_of_time": _number(v.auc if v else None),
        "auc_benchmark_max_dpd": _number(v.auc_benchmark if v else None),
        "brier": _number(v.brier if v else None),
        "grades": grade_counts(model.scores),
    }


def _number(value: float | None) -> float | None:
    """A JSON number, or None for an undefined figure (never NaN)."""
    return None if value is None or math.isnan(value) else float(value)
