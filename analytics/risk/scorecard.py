"""Application scorecard (spec §11, application scoring; seeds' credit investigation): a new
or reviewed customer's application → points per factor → total → grade A–E → recommended
terms and starting limit, and the policy exceptions it raises.

    points  = Σ over factors of the points of the band (or choice) the value falls in
    grade   = the best grade whose min_points ≤ points
    terms   = min(requested terms, the grade's terms_days)
    limit   = min(requested × the grade's limit share, the grade's max_limit), rounded down
              to the card's round_to (0 under a prepayment-only grade)
    start   = a new customer: staging share (50 %) × limit for its first 6 months (spec §11
              staged granting), rounded down; a reviewed customer: the limit

Exceptions: manual review (a band or choice the card marks ``review``, e.g. no bureau file),
a guarantee (the grade's policy), prepayment only (the grade's policy: credit at all needs an
override), an override (requested limit above the grade's limit, or terms above its terms).
The card is ``analytics.risk.scorecard_card``; a bad application raises one LedgerError
naming the field (``validate_application``), a bad decision likewise (``decide``).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from analytics.risk.scorecard_card import (
    BUREAU,
    CHOICE_FACTORS,
    NO_FILE,
    POLICIES,
    Band,
    Factor,
    GradeRule,
    Scorecard,
)
from core.constants import MAX_AMOUNT
from core.errors import LedgerError

DECISIONS = ("approved", "approved with conditions", "declined", "override")
LIMIT_FIELD, TERMS_FIELD, NAME_FIELD = "Requested limit", "Requested terms (days)", "Company name"
UNITS = {"years_trading": " years", "equity_ratio": " %", "net_margin": " %"}
FACTOR_FIELDS = {"equity_ratio": "equity_ratio_pct", "net_margin": "net_margin_pct"}  # else same
NOT_ABOVE_100 = ("equity_ratio", "net_margin")  # shares of assets and of sales
NEVER_NEGATIVE = {"years_trading": "years trading", "current_ratio": "a current ratio"}


@dataclass(frozen=True)
class Application:
    """What the applicant's file says. Ratios in percent where the name says so; the bureau
    by ``bureau_score`` or ``bureau_grade`` (A–E, or NO_FILE when the bureau has none)."""

    years_trading: float | None = None
    bureau_score: float | None = None
    bureau_grade: str | None = None
    equity_ratio_pct: float | None = None
    current_ratio: float | None = None
    net_margin_pct: float | None = None
    payment_references: str | None = None
    industry_risk: str | None = None
    requested_limit: float | None = None
    requested_terms_days: int | None = None
    is_new_customer: bool = True
    applicant: str = ""
    customer_id: str | None = None

    def value(self, factor: str) -> float | str | None:
        """The application's value for a card factor (the bureau: score, else grade)."""
        if factor == BUREAU:
            return self.bureau_score if self.bureau_score is not None else self.bureau_grade
        return getattr(self, FACTOR_FIELDS.get(factor, factor))


@dataclass(frozen=True)
class FactorScore:
    factor: str
    label: str
    value: str  # as the page shows it
    band: str
    points: float
    max_points: float
    review: bool


@dataclass(frozen=True)
class PolicyException:
    kind: str  # review | guarantee | prepayment | override
    needs: str  # what it takes, in words
    reason: str


@dataclass(frozen=True)
class Recommendation:
    grade: str
    policy: str  # POLICIES key
    terms_days: int
    full_limit: float  # the grade's limit for this request
    starting_limit: float  # what the customer starts with
    arithmetic: tuple[str, ...]  # terms, limit, start, in words with the numbers


@dataclass(frozen=True)
class Scoring:
    application: Application
    card: Scorecard
    factors: tuple[FactorScore, ...]
    total: float
    rule: GradeRule
    recommendation: Recommendation
    exceptions: tuple[PolicyException, ...]


@dataclass(frozen=True)
class Decision:
    decision: str
    reason: str | None
    granted_limit: float
    granted_terms_days: int


# --- validation ------------------------------------------------------------------------------


def validate_application(card: Scorecard, app: Application) -> None:
    """Raise one LedgerError naming the first field that cannot be scored on ``card``."""
    for factor in card.factors:
        if factor.name == BUREAU:
            _check_bureau(factor, app)
        elif factor.name in CHOICE_FACTORS:
            _check_choice(factor, app.value(factor.name))
        else:
            _check_number(factor, app.value(factor.name))
    _check_request(app)


def _check_number(factor: Factor, value) -> None:
    label, name = factor.label, factor.name
    if value is None:
        raise LedgerError(f"{label}: missing")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LedgerError(f"{label}: not a number ({value!r})")
    if name in NEVER_NEGATIVE and value < 0:
        raise LedgerError(f"{label}: {value:g} is negative; {NEVER_NEGATIVE[name]} cannot be")
    if name in NOT_ABOVE_100 and value > 100:
        raise LedgerError(f"{label}: {value:g} is above 100 %")
    lowest = factor.bands[0].lower
    if value < lowest:
        raise LedgerError(f"{label}: {value:g} is below the scorecard's lowest band "
                          f"({lowest:g}{UNITS.get(name, '')}), so this card cannot score it")  # fmt: skip


def _check_bureau(factor: Factor, app: Application) -> None:
    score, grade = app.bureau_score, app.bureau_grade
    if score is None and grade is None:
        also = " or choose no bureau file" if factor.choice(NO_FILE) else ""
        raise LedgerError(f"{factor.label}: missing; enter the bureau's score or grade{also}")
    if score is not None and grade is not None:
        raise LedgerError(f"{factor.label}: give the score or the grade, not both")
    if grade is not None:
        _check_choice(factor, grade)
        return
    _check_number(factor, score)
    if score > factor.upper:
        raise LedgerError(f"{factor.label}: score {score:g} is above the bureau's scale "
                          f"({factor.bands[0].lower:g} to {factor.upper:g})")  # fmt: skip


def _check_choice(factor: Factor, value) -> None:
    if value is None or value == "":
        raise LedgerError(f"{factor.label}: missing")
    if factor.choice(value) is None:
        known = ", ".join(c.label for c in factor.choices)
        raise LedgerError(f"{factor.label}: {value!r} is not one of the card's choices ({known})")


def _check_request(app: Application) -> None:
    limit, terms = app.requested_limit, app.requested_terms_days
    if limit is None:
        raise LedgerError(f"{LIMIT_FIELD}: missing")
    if not (isinstance(limit, int | float) and math.isfinite(limit)) or limit <= 0:
        raise LedgerError(f"{LIMIT_FIELD}: must be above 0, got {limit!r}")
    if limit >= MAX_AMOUNT:
        raise LedgerError(f"{LIMIT_FIELD}: {limit:,.0f} is too large")
    if terms is None:
        raise LedgerError(f"{TERMS_FIELD}: missing")
    if isinstance(terms, bool) or not isinstance(terms, int | float) or terms != int(terms):
        raise LedgerError(f"{TERMS_FIELD}: a whole number of days, got {terms!r}")
    if terms <= 0:
        raise LedgerError(f"{TERMS_FIELD}: must be at least 1 day, got {terms:g}")


# --- points and grade -----------------------------------------------------------------------


def band_index(value: float, bands: tuple[Band, ...]) -> int:
    """The band a value falls in: the last whose lower edge is ≤ value (value ≥ the first)."""
    return max(i for i, band in enumerate(bands) if band.lower <= value)


def band_text(bands: tuple[Band, ...], i: int, unit: str = "") -> str:
    """'1 to under 3 years', 'under 0 %' (a first band from -inf), '10 years or more'."""
    lower = bands[i].lower
    if i == len(bands) - 1:
        return f"{lower:g}{unit} or more"
    upper = bands[i + 1].lower
    return f"under {upper:g}{unit}" if lower == -math.inf else f"{lower:g} to under {upper:g}{unit}"


def factor_score(factor: Factor, value: float | str) -> FactorScore:
    """The points one (validated) value gets on one factor, with its band in words."""
    if isinstance(value, str):
        choice = factor.choice(value)
        return FactorScore(factor.name, factor.label, choice.label, choice.label, choice.points,
                           factor.max_points, choice.review)  # fmt: skip
    i = band_index(value, factor.bands)
    unit = UNITS.get(factor.name, "")
    prefix = "score " if factor.name == BUREAU else ""
    band = factor.bands[i]
    return FactorScore(factor.name, factor.label, f"{prefix}{value:g}{unit}",
                       prefix + band_text(factor.bands, i, unit), band.points, factor.max_points,
                       band.review)  # fmt: skip


def factor_points(card: Scorecard, app: Application) -> tuple[FactorScore, ...]:
    """Points per factor of a validated application, in the card's factor order."""
    return tuple(factor_score(f, app.value(f.name)) for f in card.factors)


def total_points(scores: tuple[FactorScore, ...]) -> float:
    return sum(s.points for s in scores)


def grade_of(card: Scorecard, total: float) -> GradeRule:
    """The best grade whose min_points the total reaches (E starts at 0)."""
    return next(rule for rule in card.grades if total >= rule.min_points)


def grade_band_text(card: Scorecard, rule: GradeRule) -> str:
    """A grade's band of total points: '80 or more' (A), '65 to under 80'."""
    i = card.grades.index(rule)
    if i == 0:
        return f"{rule.min_points:g} or more"
    return f"{rule.min_points:g} to under {card.grades[i - 1].min_points:g}"


def points_arithmetic(scoring: Scoring) -> str:
    """'12 + 18 + … = 69 of at most 100: grade B (65 to under 80)'."""
    card, rule = scoring.card, scoring.rule
    parts = " + ".join(f"{s.points:g}" for s in scoring.factors)
    return (f"{parts} = {scoring.total:g} of at most {card.max_points:g}: grade {rule.grade} "
            f"({grade_band_text(card, rule)})")  # fmt: skip


# --- recommendation ---------------------------------------------------------------------------


def round_down(amount: float, step: float) -> float:
    """``amount`` down to a multiple of ``step`` (a hair of float error forgiven)."""
    return math.floor(amount / step + 1e-9) * step


def recommended_terms_days(rule: GradeRule, requested_days: int) -> int:
    """What was asked, up to the grade's terms (0 under prepayment)."""
    return min(int(requested_days), rule.terms_days)


def grade_limit(rule: GradeRule, requested: float, round_to: float) -> float:
    """min(requested × limit share, max limit), each bound only when the card sets it,
    rounded down to ``round_to``; 0 when the grade buys on prepayment."""
    if rule.policy == "prepayment":
        return 0.0
    limit = requested * (1.0 if rule.limit_share is None else rule.limit_share)
    if rule.max_limit is not None:
        limit = min(limit, rule.max_limit)
    return round_down(limit, round_to)


def starting_limit(full_limit: float, is_new_customer: bool, card: Scorecard) -> float:
    """A new customer starts staged: the staging share of the limit (spec §11), rounded down;
    a reviewed customer gets the limit."""
    if not is_new_customer:
        return full_limit
    return round_down(full_limit * card.staging.share, card.round_to)


def limit_arithmetic(card: Scorecard, rule: GradeRule, app: Application) -> tuple[str, ...]:
    """The terms, limit and starting limit as the page writes them out, with the numbers."""
    g, asked = rule.grade, app.requested_limit
    terms = recommended_terms_days(rule, app.requested_terms_days)
    if rule.policy == "prepayment":
        return (f"Grade {g} buys on prepayment only: no terms and no credit limit.",)
    lines = [f"Terms: the smaller of {app.requested_terms_days} days requested and grade {g}'s "
             f"{rule.terms_days} days = {terms} days."]  # fmt: skip
    share = rule.limit_share
    asked_part = (f"the {asked:,.0f} requested" if share is None
                  else f"{share * 100:g} % of the {asked:,.0f} requested = {asked * share:,.0f}")  # fmt: skip
    if rule.max_limit is not None:
        asked_part = f"the smaller of {asked_part} and grade {g}'s maximum {rule.max_limit:,.0f}"
    full = grade_limit(rule, asked, card.round_to)
    lines.append(f"Limit: {asked_part}, rounded down to a multiple of {card.round_to:,.0f} "
                 f"= {full:,.0f}.")  # fmt: skip
    start, s = starting_limit(full, app.is_new_customer, card), card.staging
    if app.is_new_customer:
        lines.append(f"Starting limit: a new customer gets {s.share * 100:g} % of {full:,.0f} for its "
                     f"first {s.months} months = {start:,.0f}; then {full:,.0f} after "
                     f"{s.months} months in which nothing was paid more than {s.late_days} days "
                     "late.")  # fmt: skip
    else:
        lines.append(f"Starting limit: a reviewed customer gets the limit, {start:,.0f}.")
    return tuple(lines)


def recommendation(card: Scorecard, rule: GradeRule, app: Application) -> Recommendation:
    full = grade_limit(rule, app.requested_limit, card.round_to)
    return Recommendation(
        grade=rule.grade,
        policy=rule.policy,
        terms_days=recommended_terms_days(rule, app.requested_terms_days),
        full_limit=full,
        starting_limit=starting_limit(full, app.is_new_customer, card),
        arithmetic=limit_arithmetic(card, rule, app),
    )


def policy_exceptions(
    scores: tuple[FactorScore, ...], rule: GradeRule, app: Application, full_limit: float
) -> tuple[PolicyException, ...]:
    """What the application needs beyond the card's recommendation, each with its reason."""
    g = rule.grade
    found = [PolicyException("review", "Manual review", f"{s.label}: {s.value}.")
             for s in scores if s.review]  # fmt: skip
    if rule.policy == "prepayment":
        return (*found, PolicyException("prepayment", "Prepayment only",
                f"Grade {g} is given no credit; credit on this application needs an override "
                "with a reason."))  # fmt: skip
    if rule.policy == "guarantee":
        found.append(PolicyException("guarantee", "A guarantee", f"Grade {g} is given credit "
                     "only against a guarantee (e.g. a bank or parent company guarantee)."))  # fmt: skip
    if app.requested_limit > full_limit:
        found.append(PolicyException("override", "An override", f"The requested limit "
                     f"{app.requested_limit:,.0f} is above grade {g}'s limit for it, "
                     f"{full_limit:,.0f}."))  # fmt: skip
    if app.requested_terms_days > rule.terms_days:
        found.append(PolicyException("override", "An override", f"{app.requested_terms_days} "
                     f"days requested; grade {g}'s terms are at most {rule.terms_days} days."))  # fmt: skip
    return tuple(found)


def score_application(card: Scorecard, app: Application) -> Scoring:
    """Validate ``app`` against ``card`` (one LedgerError naming the field) and score it."""
    validate_application(card, app)
    scores = factor_points(card, app)
    total = total_points(scores)
    rule = grade_of(card, total)
    rec = recommendation(card, rule, app)
    return Scoring(app, card, scores, total, rule, rec,
                   policy_exceptions(scores, rule, app, rec.full_limit))  # fmt: skip


# --- the decision and the saved record --------------------------------------------------------


def decide(scoring: Scoring, decision: str | None, reason: str | None = None) -> Decision:
    """The decision on a scored application and what it grants; one LedgerError when it
    cannot stand (an override or conditions without words, approval where a guarantee is
    needed, an override with nothing to override)."""
    reason = (reason or "").strip() or None
    kinds = {e.kind for e in scoring.exceptions}
    rec, app, g = scoring.recommendation, scoring.application, scoring.rule.grade
    if decision is None:
        raise LedgerError(f"Decision: choose one ({', '.join(DECISIONS)})")
    if decision not in DECISIONS:
        raise LedgerError(f"Decision: one of {', '.join(DECISIONS)}, got {decision!r}")
    if decision == "declined":
        return Decision(decision, reason, 0.0, 0)
    if decision == "override":
        if reason is None:
            raise LedgerError("Reason: an override needs a reason")
        if not kinds & {"override", "prepayment", "guarantee"}:
            raise LedgerError("Decision: nothing to override, the request is within grade "
                              f"{g}'s policy; approve it instead")  # fmt: skip
        return Decision(decision, reason, app.requested_limit, int(app.requested_terms_days))
    if decision == "approved with conditions" and reason is None:
        raise LedgerError("Reason: write the conditions (e.g. the guarantee asked for)")
    if decision == "approved" and "guarantee" in kinds:
        raise LedgerError(f"Decision: grade {g} is given credit only against a guarantee; "
                          "approve with conditions naming it, or override with a reason")  # fmt: skip
    return Decision(decision, reason, rec.starting_limit, rec.terms_days)


def application_record(scoring: Scoring, decision: Decision) -> dict:
    """The row stores.applications keeps (its who and when are the store's)."""
    app, rec = scoring.application, scoring.recommendation
    if not app.applicant.strip():
        raise LedgerError(f"{NAME_FIELD}: missing; a saved application needs the company's name")
    inputs = {k: v for k, v in asdict(app).items()
              if k not in ("applicant", "customer_id", "is_new_customer")}  # fmt: skip
    return {
        "applicant": app.applicant.strip(),
        "customer_id": (app.customer_id or "").strip() or None,
        "is_new_customer": app.is_new_customer,
        "inputs": inputs,
        "points": {s.factor: s.points for s in scoring.factors},
        "total_points": scoring.total,
        "grade": rec.grade,
        "policy": POLICIES[rec.policy],
        "recommended_terms_days": rec.terms_days,
        "full_limit_amount": rec.full_limit,
        "starting_limit_amount": rec.starting_limit,
        "currency": scoring.card.currency,
        "exceptions": [asdict(e) for e in scoring.exceptions],
        "decision": decision.decision,
        "reason": decision.reason,
        "granted_terms_days": decision.granted_terms_days,
        "granted_limit_amount": decision.granted_limit,
        "scorecard_file": str(scoring.card.source),
    }
