"""The scorecard settings file: the default card as shipped, the data folder's copy in force
when there is one, and each way a credit manager's edit can go wrong refused with one message
naming the file and the key (never a silent fallback to the default card)."""

import math
import re

import pytest

from analytics.risk.scorecard_card import (
    DEFAULT_CARD,
    FACTORS,
    GRADES,
    load_scorecard,
    scorecard_in_force,
    scorecard_path,
)
from core.errors import LedgerError

DEFAULT_TEXT = DEFAULT_CARD.read_text()


def copy_with(tmp_path, old: str, new: str):
    """The data folder's copy of the default card with one edit (``old`` must be there once)."""
    assert DEFAULT_TEXT.count(old) == 1, old
    path = tmp_path / "scorecard.toml"
    path.write_text(DEFAULT_TEXT.replace(old, new))
    return path


def refused(tmp_path, old: str, new: str) -> str:
    path = copy_with(tmp_path, old, new)
    with pytest.raises(LedgerError) as caught:
        scorecard_in_force(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message  # the file, one message
    return message[len(f"{path}: ") :]


def test_the_default_card_as_shipped():
    card = load_scorecard(DEFAULT_CARD)
    assert card.is_default and card.currency == "USD"
    assert [f.name for f in card.factors] == list(FACTORS)
    assert [g.grade for g in card.grades] == list(GRADES)
    # most points: 15 + 25 + 15 + 10 + 10 + 15 + 10 = 100
    assert card.max_points == 100
    assert [g.min_points for g in card.grades] == [80, 65, 50, 35, 0]
    assert card.rule("C").limit_share == 0.75 and card.rule("C").max_limit == 75_000
    assert card.rule("E").policy == "prepayment" and card.rule("E").terms_days == 0
    assert (card.staging.share, card.staging.months, card.staging.late_days) == (0.5, 6, 15)
    assert card.round_to == 500
    assert card.factor("net_margin").bands[0].lower == -math.inf
    assert card.factor("bureau").choice("none").review


def test_without_a_copy_the_default_is_in_force_and_with_one_the_copy(tmp_path):
    assert scorecard_path(tmp_path) == DEFAULT_CARD
    copy = copy_with(tmp_path, "max_limit = 250_000", "max_limit = 300_000")
    assert scorecard_path(tmp_path) == copy
    card = scorecard_in_force(tmp_path)
    assert not card.is_default and card.source == copy and card.rule("A").max_limit == 300_000


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # bad TOML: tomllib's own words with the line
        ("[grades.A]", "[grades.A", r"not valid TOML \(.*line \d+"),
        # a factor misspelt, or one the card does not know
        ("[factors.years_trading]", "[factors.years_in_business]",
         r"factors\.years_in_business: unknown factor \(known: bureau, current_ratio, "
         r"equity_ratio, industry_risk, net_margin, payment_references, years_trading\)"),
        ("[factors.industry_risk]", '[factors.size]\nlabel = "Size"\n\n[factors.industry_risk]',
         r"factors\.size: unknown factor"),
        # bands whose lower edges do not increase
        ("{ from = 5, points = 12 }", "{ from = 2, points = 12 }",
         r"factors\.years_trading\.bands\[4\]\.from: bands must increase: 2 comes after 3"),
        ("{ from = 1.2, points = 7 }", "{ from = 1.0, points = 7 }",
         r"factors\.current_ratio\.bands\[3\]\.from: bands must increase: 1 comes after 1"),
        # negative points
        ("{ from = 10, points = 5 }", "{ from = 10, points = -5 }",
         r"factors\.equity_ratio\.bands\[2\]\.points: negative points \(-5\)"),
        ("{ value = \"high\", label = \"High\", points = 3 }",
         "{ value = \"high\", label = \"High\", points = -3 }",
         r"factors\.industry_risk\.choices\[3\]\.points: negative points \(-3\)"),
        ("grades = { A = 25, B = 18", "grades = { A = 25, B = -18",
         r"factors\.bureau\.grades\.B: negative points"),
        # unknown grades, in the grade table and in the bureau's grades
        ("[grades.E]", "[grades.F]", r"grades\.F: unknown grade \(known: A, B, C, D, E\)$"),
        ("C = 12, D = 5, E = 0 }", "C = 12, D = 5, E = 0, F = 0 }",
         r"factors\.bureau\.grades\.F: unknown grade \(known: A, B, C, D, E\)"),
        # grade bands that do not rise from E to A, E above 0, A out of reach
        ("min_points = 65", "min_points = 85",
         r"grades\.A\.min_points: grade bands must increase from E to A: 80 is not above "
         r"grade B's 85"),
        ("min_points = 0", "min_points = 5", r"grades\.E\.min_points: must be 0"),
        ("min_points = 80", "min_points = 120",
         r"grades\.A\.min_points: 120 is more than the factors can give together \(100\)"),
        # policy, terms, limits, typos
        ('policy = "guarantee"', 'policy = "guaranty"',
         r"grades\.D\.policy: one of credit, guarantee, prepayment, got 'guaranty'"),
        ("terms_days = 0", "terms_days = 14",
         r"grades\.E\.terms_days: 0 days goes with the prepayment policy and only with it"),
        ("limit_share_pct = 75", "limit_share_pct = 175",
         r"grades\.C\.limit_share_pct: must be at most 100, got 175"),
        ("max_limit = 25_000", "max_limt = 25_000",
         r"grades\.D\.max_limt: unknown key \(known: limit_share_pct, max_limit, min_points, "
         r"policy, terms_days\)"),
        ("terms_days = 45", 'terms_days = "45"', r"grades\.B\.terms_days: a number, got '45'"),
        ('currency = "USD"', 'currency = "dollars"', r"currency: a three-letter currency code"),
        ("\nshare_pct = 50", "\nshare_pct = 150", r"staging\.share_pct: must be at most 100"),
        ("months = 6", "months = 0", r"staging\.months: must be at least 1, got 0"),
        ("round_to = 500", "round_to = 0", r"limits\.round_to: must be above 0, got 0"),
        ("score_max = 100", "score_max = 50",
         r"factors\.bureau\.score_max: must be above 80, got 50"),
        ("{ from = 0, points = 3 }", "{ from = -inf, points = 3 }",
         r"factors\.net_margin\.bands\[2\]\.from: a number, got -inf"),
    ],
)  # fmt: skip
def test_a_bad_edit_is_one_message_naming_the_file_and_the_key(tmp_path, old, new, expected):
    assert re.match(expected, refused(tmp_path, old, new))


@pytest.mark.parametrize(
    "start, end, expected",
    [
        ("[factors.industry_risk]", "# Grades by total points",
         "factors.industry_risk: missing (the card must have this factor)"),
        ("[grades.B]", "[grades.C]", "grades.B: missing (the card must have this grade)"),
    ],
)  # fmt: skip
def test_a_factor_or_grade_left_out_is_named(tmp_path, start, end, expected):
    section = DEFAULT_TEXT[DEFAULT_TEXT.index(start) : DEFAULT_TEXT.index(end)]
    assert refused(tmp_path, section, "") == expected


def test_a_bad_copy_is_never_replaced_by_the_default_silently(tmp_path):
    copy_with(tmp_path, "[grades.A]", "[grades.A")
    assert scorecard_path(tmp_path) == tmp_path / "scorecard.toml"  # still the one in force
    with pytest.raises(LedgerError, match=re.escape(str(tmp_path / "scorecard.toml"))):
        scorecard_in_force(tmp_path)


def test_a_band_for_negative_equity_is_allowed_when_the_card_has_it(tmp_path):
    copy_with(tmp_path, "  { from = 0, points = 0 },\n  { from = 10, points = 5 },",
              "  { from = -inf, points = 0 },\n  { from = 10, points = 5 },")  # fmt: skip
    assert scorecard_in_force(tmp_path).factor("equity_ratio").bands[0].lower == -math.inf


def test_an_unreadable_file_is_said(tmp_path):
    path = tmp_path / "scorecard.toml"
    path.write_bytes(b"\xff\xfe not text")
    with pytest.raises(LedgerError, match="cannot read the scorecard"):
        load_scorecard(path)
