"""The behavioural score as spec §15's machine-readable ``score`` object."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from analytics.risk.grades import grade_counts
from analytics.risk.model import BehaviouralModel, behavioural_model, scores_at
from analytics.risk.warning_inputs import OtherInputs
from core.calendar import previous_month_end
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


def grades_on(engine: Engine, model: BehaviouralModel, day: date) -> dict[int, str]:
    """customer_key → behavioural grade on ``day`` by ``model`` (graded customers only): the
    grades the limits, the expected loss by grade and the downgrade warning read."""
    scores = scores_at(engine, model, as_of=day).dropna(subset=["grade"])
    return dict(zip(scores["customer_key"].astype(int), scores["grade"], strict=True))


def downgrade_inputs(engine: Engine, model: BehaviouralModel, day: date) -> OtherInputs:
    """The grades on ``day`` and at the month-end before it, both by ``model`` (so a downgrade
    is a change in the customer's behaviour, not a refit of the model)."""
    return OtherInputs(
        grades=grades_on(engine, model, day),
        previous_grades=grades_on(engine, model, previous_month_end(day)),
    )
