"""The New customer application page's frames: points per factor of a scoring, the card in
force (factors with their bands or choices, grades with their offer) and the saved
applications, one row each. Arithmetic lives in analytics.risk.scorecard; this only lays out."""

from __future__ import annotations

import json

import pandas as pd

from analytics.risk.scorecard import UNITS, Scoring, band_text, grade_band_text
from analytics.risk.scorecard_card import BUREAU, POLICIES, Scorecard

REVIEW = "manual review"
SAVED_COLUMNS = ["application_id", "decided_at_utc", "applicant", "customer_id", "grade",
                 "total_points", "decision", "granted_limit_amount", "granted_terms_days",
                 "starting_limit_amount", "recommended_terms_days", "currency", "needs",
                 "reason", "decided_by", "is_new_customer", "scorecard_file"]  # fmt: skip


def points_frame(scoring: Scoring) -> pd.DataFrame:
    """One row per factor: the value, the band it fell in, its points and the most it gives."""
    rows = [{"factor": s.label, "value": s.value, "band": s.band, "points": s.points,
             "max_points": s.max_points, "note": REVIEW if s.review else ""}
            for s in scoring.factors]  # fmt: skip
    return pd.DataFrame(rows)


def card_factors_frame(card: Scorecard) -> pd.DataFrame:
    """Every band and choice of the card, factor by factor, with its points."""
    rows = []
    for factor in card.factors:
        unit = UNITS.get(factor.name, "")
        prefix = "score " if factor.name == BUREAU else ""
        for i, band in enumerate(factor.bands):
            rows.append((factor.label, prefix + band_text(factor.bands, i, unit), band.points,
                         band.review))  # fmt: skip
        rows += [(factor.label, c.label, c.points, c.review) for c in factor.choices]
    frame = pd.DataFrame(rows, columns=["factor", "band", "points", "note"])
    frame["note"] = frame["note"].map({True: REVIEW, False: ""})
    return frame


def card_grades_frame(card: Scorecard) -> pd.DataFrame:
    """One row per grade, A first: its band of total points and what it is offered."""
    return pd.DataFrame(
        [
            {
                "grade": rule.grade,
                "points": grade_band_text(card, rule),
                "terms_days": rule.terms_days,
                "max_limit": rule.max_limit,
                "limit_share": rule.limit_share,
                "policy": POLICIES[rule.policy],
            }
            for rule in card.grades
        ]  # fmt: skip
    )


def weights_frame(card: Scorecard) -> pd.DataFrame:
    """Each factor's weight: the most points it gives and its share of the card's total."""
    total = card.max_points
    return pd.DataFrame(
        [
            {"factor": f.label, "max_points": f.max_points, "weight": f.max_points / total}
            for f in card.factors
        ]  # fmt: skip
    )


def saved_frame(saved: pd.DataFrame) -> pd.DataFrame:
    """The store's applications, newest first, with what each needed in words."""
    if saved.empty:
        return pd.DataFrame(columns=SAVED_COLUMNS)
    out = saved.sort_values("application_id", ascending=False).copy()
    out["needs"] = out["exceptions_json"].map(
        lambda text: "; ".join(dict.fromkeys(e["needs"] for e in json.loads(text)))
    )
    return out[SAVED_COLUMNS].reset_index(drop=True)
