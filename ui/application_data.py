"""New customer application page: the scorecard in force, the application read from the
form's widgets, saving a decision through the workspace, and the tables' column specs.

The card is read on every run (a small file, so an edit to the data folder's copy shows at
once); a bad card is a LedgerError the page shows instead of scoring. Applications are saved
in the workspace (stores/applications.py) in the name of the local user until login exists.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from analytics.risk.scorecard import (
    FACTOR_FIELDS,
    LIMIT_FIELD,
    TERMS_FIELD,
    Application,
    Scoring,
    application_record,
    decide,
    grade_band_text,
)
from analytics.risk.scorecard_card import (
    BUREAU,
    CARD_FILE,
    DEFAULT_CARD,
    NO_FILE,
    Scorecard,
    scorecard_in_force,
    scorecard_path,
)
from analytics.risk.scorecard_view import saved_frame
from config import ROOT
from reports.columns import Column, Table, money
from stores.applications import ApplicationStore
from stores.workspace import Workspace

from . import auth
from .settings import data_dir

SCORE, GRADE, NO_BUREAU = "Score", "Grade", "No bureau file"
HOW_COMPUTED = """
Each factor gives the points of the **band** its value falls in (a band runs from its lower edge,
included, to the next band's, excluded) or of the **choice** made; the bureau is scored by its
score or by its own grade. The **total** decides the **grade**: the best grade whose least points
the total reaches. The grade gives the **terms** (what was asked, up to the grade's terms), the
**limit** (the smaller of the grade's share of the requested limit and its maximum, rounded down)
and the **policy**: on credit, credit only against a guarantee, or prepayment only. A **new
customer starts** with part of that limit (50 % on the default card) for its first months and
gets the full limit once it has paid on time. **Exceptions**: a guarantee or prepayment the
grade's policy asks for, an override when more limit or longer terms are requested than the
grade gives, and a manual review where the card marks a band or choice (no bureau file, no
payment references). An override needs a reason; conditions need to be written down.
Definitions: docs/metrics.md#new-customer-application-page.
"""
FACTOR_KEYS = {  # widget key -> the card factor it scores (the bureau has three widgets)
    "app_years": "years_trading", "app_equity": "equity_ratio", "app_current": "current_ratio",
    "app_margin": "net_margin", "app_references": "payment_references",
    "app_industry": "industry_risk",
}  # fmt: skip


def card_source_text(data_folder: Path | None = None) -> str:
    """Which file is in force, in words, for the line under the title."""
    folder = data_folder or data_dir()
    path = scorecard_path(folder)
    if path == DEFAULT_CARD:
        return (f"Scorecard in force: the default card ({_shown(DEFAULT_CARD)}); a "
                f"{CARD_FILE} in the data folder ({folder}) would replace it.")  # fmt: skip
    return f"Scorecard in force: the data folder's own card, {path}."


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def card() -> Scorecard:
    """The card in force (a bad one raises LedgerError naming the file and the key)."""
    return scorecard_in_force(data_dir())


def store() -> ApplicationStore:
    return ApplicationStore(Workspace.in_folder(data_dir()), who=auth.who())


def saved_applications() -> pd.DataFrame:
    return saved_frame(store().table())


def missing_fields(card: Scorecard, limit: float) -> list[str]:
    """The form's fields still empty (the requested limit counts as empty at 0)."""
    labels = {key: card.factor(name).label for key, name in FACTOR_KEYS.items()}
    labels["app_terms"] = TERMS_FIELD
    empty = [label for key, label in labels.items() if st.session_state.get(key) is None]
    if _bureau_value() == (None, None):
        empty.insert(1, card.factor(BUREAU).label)
    return empty + ([LIMIT_FIELD] if limit == 0 else [])


def _bureau_value() -> tuple[float | None, str | None]:
    source = st.session_state.get("app_bureau_source")
    if source == SCORE:
        return st.session_state.get("app_bureau_score"), None
    if source == GRADE:
        return None, st.session_state.get("app_bureau_grade")
    return (None, NO_FILE) if source == NO_BUREAU else (None, None)


def application_from_form(limit: float) -> Application:
    """The Application the form's widgets describe (``limit``: the money field's amount)."""
    state = st.session_state
    values = {FACTOR_FIELDS.get(name, name): state.get(key) for key, name in FACTOR_KEYS.items()}
    score, grade = _bureau_value()
    return Application(**values, requested_terms_days=state.get("app_terms"), bureau_score=score, bureau_grade=grade, requested_limit=limit,
                       is_new_customer=state.get("app_new", True),
                       applicant=state.get("app_name") or "",
                       customer_id=state.get("app_customer") or None)  # fmt: skip


def save(scoring: Scoring, decision: str, reason: str) -> int:
    """Decide and save (LedgerError, and nothing saved, when either is refused); the id."""
    return store().save(application_record(scoring, decide(scoring, decision, reason)))


# --- column specs (kept here while reports/columns.py is being changed by the limits work) --


def points_columns() -> Table:
    return {
        "factor": Column("Factor", "text"),
        "value": Column("Application", "text"),
        "band": Column("Band", "text", "The card's band (or choice) the value falls in."),
        "points": Column("Points", "number", format="%g"),
        "max_points": Column(
            "Of at most", "number", "The most points this factor gives.", format="%g"
        ),  # fmt: skip
        "note": Column("Note", "text"),
    }


def card_factor_columns() -> Table:
    return {
        "factor": Column("Factor", "text"),
        "band": Column(
            "Band or choice",
            "text",
            "A band runs from its lower edge (included) to the next band's (excluded).",
        ),  # fmt: skip
        "points": Column("Points", "number", format="%g"),
        "note": Column("Note", "text", "Manual review: an application here needs one."),
    }


def weight_columns() -> Table:
    return {
        "factor": Column("Factor", "text"),
        "max_points": Column("Most points", "number", format="%g"),
        "weight": Column("Weight", "percent", "Most points ÷ the card's total."),
    }


def grade_columns(currency: str) -> Table:
    return {
        "grade": Column("Grade", "text"),
        "points": Column("Total points", "text"),
        "terms_days": Column("Terms at most (days)", "count"),
        "max_limit": money("Maximum limit", currency),
        "limit_share": Column("Limit share of the request", "percent"),
        "policy": Column("Policy", "text"),
    }


def saved_columns() -> Table:
    return {
        "application_id": Column("No.", "count"),
        "decided_at_utc": Column("Decided (UTC)", "auto"),
        "applicant": Column("Company", "text"),
        "customer_id": Column("Customer", "text"),
        "grade": Column("Grade", "text"),
        "total_points": Column("Points", "number", format="%g"),
        "decision": Column("Decision", "text"),
        "granted_limit_amount": Column("Limit granted", "money"),
        "granted_terms_days": Column("Terms granted (days)", "count"),
        "starting_limit_amount": Column("Recommended start", "money"),
        "recommended_terms_days": Column("Recommended terms (days)", "count"),
        "currency": Column("Currency", "text"),
        "needs": Column("Exceptions", "text", "What the application needed beyond the card."),
        "reason": Column("Reason or conditions", "text"),
        "decided_by": Column("By", "text"),
        "is_new_customer": Column("New customer", "flag"),
        "scorecard_file": Column("Scorecard", "text"),
    }


def grade_band(scoring: Scoring) -> str:
    """The scored grade's band of total points, e.g. '65 to under 80'."""
    return grade_band_text(scoring.card, scoring.rule)


def full_height(frame: pd.DataFrame) -> int:
    """A table's height in pixels with every row showing (35 px a row and the header)."""
    return 35 * (len(frame) + 1) + 3
