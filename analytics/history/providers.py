"""What other models say about each customer at D, for a committee snapshot (spec §14): the
behavioural PD and grade (spec §10, analytics.risk.model), the collections stage (spec §13,
analytics.risk.collections) and the early warnings fired (spec §12, analytics.risk.warning_*).

Each provider calls its model when this build has it and returns None, with a note saying
what is missing, when it does not: the snapshot then stores NULL, never a made-up value. Only
an ImportError (the module or the name not there) counts as "not built"; any other error is
a bug and is raised.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd

from engines.base import Engine

Progress = Callable[[float, str], None]
SCORE_COLUMNS = ["customer_key", "pd", "grade"]
STAGE_COLUMNS = ["customer_key", "stage"]
WARNING_COLUMNS = ["customer_key", "warnings"]


@dataclass(frozen=True)
class ModelColumns:
    """The other models' per-customer columns at D (each None when not available) and notes
    saying what is missing and why (kept with the snapshot)."""

    scores: pd.DataFrame | None = None  # SCORE_COLUMNS
    stages: pd.DataFrame | None = None  # STAGE_COLUMNS
    warnings: pd.DataFrame | None = None  # WARNING_COLUMNS, a list of rule names each
    notes: tuple[str, ...] = ()

    @property
    def grades(self) -> dict[int, str] | None:
        """customer_key → behavioural grade, for the customers that have one."""
        if self.scores is None:
            return None
        graded = self.scores.dropna(subset=["grade"])
        return dict(zip(graded["customer_key"].astype(int), graded["grade"], strict=True))


def model_columns(
    engine: Engine,
    as_of: date,
    customers: pd.DataFrame,
    progress: Progress | None = None,
    broken_promises: pd.DataFrame | None = None,
) -> ModelColumns:
    """Grades, stages and warnings at ``as_of``; ``customers`` is the portfolio snapshot's
    customer frame at the same date (the stages and warnings read it); ``broken_promises``
    the promises and plan instalments passed unmet at D (analytics.risk.promises
    .broken_promises of what collectors recorded; None: that warning is not evaluated)."""
    step = progress or (lambda fraction, message: None)
    step(0.0, "behavioural PD and grades")
    scores, grades, previous, score_note = behavioural_scores(engine, as_of)
    step(0.5, "collections stages")
    pds = None if scores is None else scores.dropna(subset=["pd"]).set_index("customer_key")["pd"]
    stages, stage_note = collection_stages(engine, as_of, customers, pds)
    step(0.7, "early warnings")
    warnings, warning_notes = warnings_fired(
        engine, as_of, customers, grades, previous, broken_promises
    )
    notes = tuple(n for n in (score_note, stage_note, *warning_notes) if n)
    return ModelColumns(scores, stages, warnings, notes)


def behavioural_scores(engine: Engine, as_of: date) -> tuple[
    pd.DataFrame | None, Mapping[int, str] | None, Mapping[int, str] | None, str | None
]:  # fmt: skip
    """PD and grade per customer at D (``BehaviouralModel.scores``), the grades at D and at
    the month-end before D both by the model as of D (``analytics.risk.score
    .downgrade_inputs``: what the downgrade warning compares), and a note."""
    try:
        from analytics.risk.model import behavioural_model
        from analytics.risk.score import downgrade_inputs
    except ImportError:  # TODO(issue 10): analytics.risk.model.behavioural_model(engine, as_of=D)
        return None, None, None, "behavioural PD and grade: the model is not in this build"
    model = behavioural_model(engine, as_of=as_of, validated=False)  # scores only
    other = downgrade_inputs(engine, model, as_of)
    note = None
    if model.fitted is None:
        note = ("behavioural PD and grade: too few known defaults to fit the model, so only "
                "customers already in default have one")  # fmt: skip
    scores = model.scores[SCORE_COLUMNS].reset_index(drop=True)
    return scores, other.grades, other.previous_grades, note


def collection_stages(
    engine: Engine,
    as_of: date,
    customers: pd.DataFrame | None = None,
    pds: pd.Series | None = None,
) -> tuple[pd.DataFrame | None, str | None]:
    """The collections stage of every customer on the worklist at D (a positive open
    document); a customer with nothing open has none. ``customers`` (the portfolio snapshot's
    customer frame at D) and ``pds`` (customer_key → behavioural PD) spare the worklist
    building them again; the stage depends on neither."""
    try:
        from analytics.risk.collections import WorklistOptions, worklist
    except ImportError:  # TODO(issue 11): analytics.risk.collections.worklist(engine, options)
        return None, "collections stage: the worklist is not in this build"
    pd_by_customer = None if pds is None else pds.to_dict()
    found = worklist(engine, WorklistOptions(as_of=as_of), pd_by_customer=pd_by_customer,
                     portfolio=customers).customers  # fmt: skip
    return found[STAGE_COLUMNS].reset_index(drop=True), None


def warnings_fired(
    engine: Engine,
    as_of: date,
    customers: pd.DataFrame,
    grades: Mapping[int, str] | None,
    previous_grades: Mapping[int, str] | None,
    broken_promises: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame | None, tuple[str, ...]]:
    """The names of the early-warning rules that fire for each customer at D
    (``analytics.risk.warnings.evaluate``, default thresholds), in the rules' order. A rule
    whose input another model must supply (grades at D and the month-end before for the
    downgrade; the broken promises) is left out when that input is not given, and the note
    says so."""
    try:
        from analytics.risk.warning_inputs import OtherInputs
        from analytics.risk.warnings import evaluate
    except ImportError:  # TODO(issue 11): analytics.risk.warnings.evaluate(engine, D, ...)
        return None, ("early warnings: the rules are not in this build",)
    other = OtherInputs(grades, previous_grades, broken_promises)
    fired = evaluate(engine, as_of, other=other, customers=customers)
    by_customer = fired.fired.groupby("customer_key", sort=False)["rule"].agg(list)
    keys = fired.inputs.index.astype(int)
    lists = [by_customer.get(k, []) for k in keys]
    out = pd.DataFrame({"customer_key": keys, "warnings": lists})
    if not fired.not_available:
        return out, ()
    left_out = ", ".join(fired.not_available)
    return out, (f"early warnings not evaluated (their input is not given): {left_out}",)
