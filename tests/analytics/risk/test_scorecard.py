"""Application scorecard (spec §11) on the default card, values worked by hand.

The worked application (a new customer asking 100,000 on 60 days):
  years trading 7          band 5 to under 10 years   12
  bureau grade B                                      18
  equity ratio 25 %        band 20 to under 35 %      10
  current ratio 1.3        band 1.2 to under 1.5       7
  net margin 4 %           band 3 to under 8 %         6
  references mostly on time                           10
  industry risk medium                                 6
  total 12 + 18 + 10 + 7 + 6 + 10 + 6 = 69 → grade B (65 to under 80): on credit
  terms  min(60 requested, 45) = 45 days → an override for the 60 asked
  limit  min(100 % × 100,000, 150,000) = 100,000, rounded down to 500 = 100,000
  start  new customer: 50 % × 100,000 = 50,000 for the first 6 months
"""

import dataclasses
import math
import tomllib

import pytest

from analytics.risk.scorecard import (
    Application,
    application_record,
    band_index,
    decide,
    grade_limit,
    grade_of,
    points_arithmetic,
    round_down,
    score_application,
    starting_limit,
    validate_application,
)
from analytics.risk.scorecard_card import DEFAULT_CARD, load_scorecard, scorecard_from
from analytics.risk.scorecard_view import card_grades_frame, points_frame, weights_frame
from core.errors import LedgerError

CARD = load_scorecard(DEFAULT_CARD)
WORKED = Application(
    years_trading=7, bureau_grade="B", equity_ratio_pct=25, current_ratio=1.3, net_margin_pct=4,
    payment_references="mostly_on_time", industry_risk="medium", requested_limit=100_000,
    requested_terms_days=60, applicant="Acme Ltd",
)  # fmt: skip


def with_(**changes) -> Application:
    return dataclasses.replace(WORKED, **changes)


def test_the_worked_application():
    s = score_application(CARD, WORKED)
    assert [f.points for f in s.factors] == [12, 18, 10, 7, 6, 10, 6]
    assert [f.band for f in s.factors][:5] == [
        "5 to under 10 years", "Grade B", "20 to under 35 %", "1.2 to under 1.5", "3 to under 8 %"
    ]  # fmt: skip
    assert s.total == 69 and s.rule.grade == "B"
    assert points_arithmetic(s) == (
        "12 + 18 + 10 + 7 + 6 + 10 + 6 = 69 of at most 100: grade B (65 to under 80)"
    )
    rec = s.recommendation
    assert (rec.terms_days, rec.full_limit, rec.starting_limit) == (45, 100_000, 50_000)
    assert rec.arithmetic[1] == (
        "Limit: the smaller of 100 % of the 100,000 requested = 100,000 and grade B's maximum "
        "150,000, rounded down to a multiple of 500 = 100,000."
    )
    assert "50 % of 100,000 for its first 6 months = 50,000" in rec.arithmetic[2]
    assert [(e.kind, e.reason) for e in s.exceptions] == [
        ("override", "60 days requested; grade B's terms are at most 45 days.")
    ]
    assert points_frame(s)["points"].sum() == 69


def test_a_reviewed_customer_starts_with_the_whole_limit():
    s = score_application(CARD, with_(is_new_customer=False, requested_terms_days=45))
    assert s.recommendation.starting_limit == 100_000 and s.exceptions == ()


# --- every band edge at its threshold and one step below it --------------------------------

EDGES = [  # factor field, threshold, points at it, points one step below (0.01 / 0.001 less)
    ("years_trading", 1, 4, 0), ("years_trading", 3, 8, 4), ("years_trading", 5, 12, 8),
    ("years_trading", 10, 15, 12),
    ("bureau_score", 20, 5, 0), ("bureau_score", 40, 12, 5), ("bureau_score", 60, 18, 12),
    ("bureau_score", 80, 25, 18),
    ("equity_ratio_pct", 10, 5, 0), ("equity_ratio_pct", 20, 10, 5),
    ("equity_ratio_pct", 35, 15, 10),
    ("current_ratio", 1.0, 4, 0), ("current_ratio", 1.2, 7, 4), ("current_ratio", 1.5, 10, 7),
    ("net_margin_pct", 0, 3, 0), ("net_margin_pct", 3, 6, 3), ("net_margin_pct", 8, 10, 6),
]  # fmt: skip
FACTOR_OF = {"years_trading": 0, "bureau_score": 1, "equity_ratio_pct": 2, "current_ratio": 3,
             "net_margin_pct": 4}  # fmt: skip


@pytest.mark.parametrize("field, threshold, at, below", EDGES)
def test_a_band_starts_at_its_threshold(field, threshold, at, below):
    step = 0.001 if field == "current_ratio" else 0.01
    extra = {"bureau_grade": None} if field == "bureau_score" else {}
    i = FACTOR_OF[field]
    at_edge = score_application(CARD, with_(**{field: threshold}, **extra)).factors[i]
    under = score_application(CARD, with_(**{field: threshold - step}, **extra)).factors[i]
    assert (at_edge.points, under.points) == (at, below)


def test_the_lowest_and_open_ended_bands():
    assert score_application(CARD, with_(years_trading=0)).factors[0].points == 0
    assert score_application(CARD, with_(years_trading=60)).factors[0].points == 15
    assert score_application(CARD, with_(net_margin_pct=-40)).factors[4].band == "under 0 %"
    score = with_(bureau_grade=None, bureau_score=100)  # the top of the bureau's scale
    assert score_application(CARD, score).factors[1].points == 25
    assert band_index(5.0, CARD.factor("years_trading").bands) == 3


@pytest.mark.parametrize(
    "total, grade",
    [(100, "A"), (80, "A"), (79.9, "B"), (65, "B"), (64.9, "C"), (50, "C"), (49.9, "D"),
     (35, "D"), (34.9, "E"), (0, "E")],
)  # fmt: skip
def test_grade_bands_start_at_their_least_points(total, grade):
    assert grade_of(CARD, total).grade == grade


# --- limits and staging ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "grade, requested, full, start",
    [
        ("A", 400_000, 250_000, 125_000),  # min(400,000, 250,000)
        ("B", 150_000, 150_000, 75_000),  # at the maximum
        ("C", 80_000, 60_000, 30_000),  # 75 % × 80,000 = 60,000 < 75,000
        ("C", 120_000, 75_000, 37_500),  # 75 % × 120,000 = 90,000 > 75,000
        ("C", 33_333, 24_500, 12_000),  # 24,999.75 → 24,500; 50 % = 12,250 → 12,000
        ("D", 60_000, 25_000, 12_500),  # 50 % × 60,000 = 30,000 > 25,000
        ("E", 60_000, 0, 0),  # prepayment only
    ],
)
def test_the_grade_limit_and_the_staged_start(grade, requested, full, start):
    rule = CARD.rule(grade)
    assert grade_limit(rule, requested, CARD.round_to) == full
    assert starting_limit(full, True, CARD) == start
    assert starting_limit(full, False, CARD) == full


def test_rounding_down_forgives_float_error():
    assert round_down(0.75 * 200_000, 500) == 150_000
    assert round_down(499.99, 500) == 0


# --- exceptions --------------------------------------------------------------------------------


def kinds(app: Application) -> list[str]:
    return [e.kind for e in score_application(CARD, app).exceptions]


def test_a_request_at_the_grades_limit_and_terms_is_within_policy_one_step_past_is_not():
    at = with_(requested_limit=150_000, requested_terms_days=45)  # grade B's maximum and terms
    assert kinds(at) == []
    assert kinds(with_(requested_limit=150_001, requested_terms_days=45)) == ["override"]
    assert kinds(with_(requested_limit=150_000, requested_terms_days=46)) == ["override"]


def test_grade_e_on_credit_is_prepayment_only_and_nothing_else():
    # 0 + 0 (grade E) + 0 + 0 + 0 (loss) + 0 + 0 = 0 → E
    worst = Application(years_trading=0.5, bureau_grade="E", equity_ratio_pct=5, current_ratio=0.6,
                        net_margin_pct=-2, payment_references="poor", industry_risk="very_high",
                        requested_limit=50_000, requested_terms_days=90)  # fmt: skip
    s = score_application(CARD, worst)
    assert s.total == 0 and s.rule.grade == "E"
    assert [e.kind for e in s.exceptions] == ["prepayment"]
    assert "needs an override with a reason" in s.exceptions[0].reason
    assert (s.recommendation.terms_days, s.recommendation.starting_limit) == (0, 0)
    assert s.recommendation.arithmetic == (
        "Grade E buys on prepayment only: no terms and no credit limit.",
    )


def test_grade_d_needs_a_guarantee():
    # 12 (5 years) + 5 (grade D) + 5 (12 %) + 4 (1.1) + 3 (1 %) + 3 (often late) + 6 = 38 → D
    app = with_(years_trading=5, bureau_grade="D", equity_ratio_pct=12, current_ratio=1.1,
                net_margin_pct=1, payment_references="often_late", requested_limit=20_000,
                requested_terms_days=30)  # fmt: skip
    s = score_application(CARD, app)
    assert (s.total, s.rule.grade) == (38, "D")
    # limit: min(50 % × 20,000, 25,000) = 10,000 < 20,000 requested → also an override
    assert [e.kind for e in s.exceptions] == ["guarantee", "override"]
    assert s.recommendation.starting_limit == 5_000


def test_no_bureau_file_and_no_references_ask_for_a_manual_review():
    app = with_(bureau_grade="none", payment_references="none", requested_terms_days=30,
                requested_limit=10_000)  # fmt: skip
    s = score_application(CARD, app)
    # 12 + 0 + 10 + 7 + 6 + 0 + 6 = 41 → D (guarantee); the two reviews first
    assert s.total == 41
    assert [(e.kind, e.reason) for e in s.exceptions] == [
        ("review", "Bureau score or grade: No bureau file."),
        ("review", "Payment references: None obtained."),
        ("guarantee", s.exceptions[2].reason),
        ("override", s.exceptions[3].reason),
    ]


# --- a bad application: one message naming the field ----------------------------------------


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"equity_ratio_pct": -5}, "Equity ratio (%): -5 is below the scorecard's lowest band "
                                   "(0 %), so this card cannot score it"),
        ({"bureau_grade": None}, "Bureau score or grade: missing; enter the bureau's score or "
                                 "grade or choose no bureau file"),
        ({"bureau_score": 70}, "Bureau score or grade: give the score or the grade, not both"),
        ({"bureau_grade": None, "bureau_score": 101},
         "Bureau score or grade: score 101 is above the bureau's scale (0 to 100)"),
        ({"bureau_grade": "F"}, "Bureau score or grade: 'F' is not one of the card's choices"),
        ({"years_trading": -1}, "Years trading: -1 is negative; years trading cannot be"),
        ({"years_trading": None}, "Years trading: missing"),
        ({"current_ratio": -0.1}, "Current ratio: -0.1 is negative; a current ratio cannot be"),
        ({"current_ratio": math.nan}, "Current ratio: not a number"),
        ({"equity_ratio_pct": 120}, "Equity ratio (%): 120 is above 100 %"),
        ({"industry_risk": "extreme"}, "Industry risk: 'extreme' is not one of the card's choices"),
        ({"payment_references": None}, "Payment references: missing"),
        ({"requested_limit": 0}, "Requested limit: must be above 0, got 0"),
        ({"requested_limit": -10}, "Requested limit: must be above 0, got -10"),
        ({"requested_terms_days": 0}, "Requested terms (days): must be at least 1 day, got 0"),
        ({"requested_terms_days": 30.5}, "Requested terms (days): a whole number of days"),
    ],
)  # fmt: skip
def test_a_bad_application_is_one_message_naming_the_field(changes, message):
    with pytest.raises(LedgerError) as caught:
        validate_application(CARD, with_(**changes))
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_negative_equity_is_scored_when_the_card_has_a_band_for_it():
    text = DEFAULT_CARD.read_text().replace(
        "  { from = 0, points = 0 },\n  { from = 10, points = 5 },",
        "  { from = -inf, points = 0 },\n  { from = 10, points = 5 },",
    )
    card = scorecard_from(tomllib.loads(text), DEFAULT_CARD)
    s = score_application(card, with_(equity_ratio_pct=-5))
    assert (s.factors[2].band, s.factors[2].points) == ("under 10 %", 0)


# --- the decision ------------------------------------------------------------------------------


SCORED = score_application(CARD, WORKED)  # B, 60 days asked above 45: an override exception


@pytest.mark.parametrize(
    "decision, reason, granted",
    [
        ("approved", "", (50_000, 45)),  # the recommendation
        ("approved with conditions", "quarterly accounts", (50_000, 45)),
        ("declined", "", (0, 0)),
        ("override", "parent guarantees", (100_000, 60)),  # what was asked
    ],
)
def test_what_a_decision_grants(decision, reason, granted):
    d = decide(SCORED, decision, reason)
    assert (d.granted_limit, d.granted_terms_days) == granted


@pytest.mark.parametrize(
    "app, decision, reason, message",
    [
        (WORKED, "override", " ", "Reason: an override needs a reason"),
        (WORKED, "approved with conditions", "", "Reason: write the conditions"),
        (WORKED, "maybe", "", "Decision: one of approved, approved with conditions, declined"),
        (with_(requested_terms_days=45), "override", "why not",
         "Decision: nothing to override, the request is within grade B's policy"),
        (with_(years_trading=5, bureau_grade="D", equity_ratio_pct=12, current_ratio=1.1,
               net_margin_pct=1, payment_references="often_late"), "approved", "",
         "Decision: grade D is given credit only against a guarantee"),
    ],
)  # fmt: skip
def test_a_decision_that_cannot_stand_is_one_message(app, decision, reason, message):
    with pytest.raises(LedgerError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        decide(score_application(CARD, app), decision, reason)


def test_the_record_carries_inputs_points_and_decision_and_needs_a_name():
    record = application_record(SCORED, decide(SCORED, "approved"))
    assert record["points"] == {"years_trading": 12, "bureau": 18, "equity_ratio": 10,
                                "current_ratio": 7, "net_margin": 6, "payment_references": 10,
                                "industry_risk": 6}  # fmt: skip
    assert record["inputs"]["bureau_grade"] == "B" and record["grade"] == "B"
    assert record["granted_limit_amount"] == 50_000 and record["policy"] == "On credit"
    assert record["exceptions"][0]["kind"] == "override"
    nameless = score_application(CARD, with_(applicant="  "))
    with pytest.raises(LedgerError, match="^Company name: missing"):
        application_record(nameless, decide(nameless, "approved"))


def test_the_cards_tables():
    weights = weights_frame(CARD)
    assert weights["max_points"].tolist() == [15, 25, 15, 10, 10, 15, 10]
    assert weights["weight"].sum() == pytest.approx(1.0)
    grades = card_grades_frame(CARD)
    assert grades["points"].tolist() == ["80 or more", "65 to under 80", "50 to under 65",
                                         "35 to under 50", "0 to under 35"]  # fmt: skip


def test_scoring_does_not_change_the_application():
    before = dataclasses.asdict(WORKED)
    score_application(CARD, WORKED)
    assert dataclasses.asdict(WORKED) == before
