"""Headline cards: no change reads as no change (issue 9: "+0" had a red up arrow)."""

from __future__ import annotations

from ui.cards import HEADLINE, _delta_text, _shows_zero

BY_LABEL = {card.label: card for card in HEADLINE}


def test_an_unchanged_count_says_no_change_and_a_change_keeps_its_sign():
    over_limit = BY_LABEL["Over limit"]
    assert _delta_text(None, over_limit, 3, 3) == "no change"
    assert _delta_text(None, over_limit, 4, 3) == "+1"
    assert _delta_text(None, over_limit, 2, 3) == "-1"
    assert _delta_text(None, over_limit, 2, None) is None  # nothing to compare with


def test_changes_below_the_shown_precision_are_no_change():
    share = BY_LABEL["Overdue share"]  # shown to 0.1 percentage points
    assert _shows_zero(share, 0.0004) and not _shows_zero(share, 0.0006)
    assert _delta_text(None, share, 0.2504, 0.25) == "no change"
    assert _delta_text(None, share, 0.26, 0.25) == "+1.0 pp"
    days = BY_LABEL["DSO (countback)"]
    assert _delta_text(None, days, 45.04, 45.0) == "no change"
    assert _delta_text(None, days, 45.5, 45.0) == "+0.5 days"


def test_every_headline_explains_itself_in_words_not_spec_sections():
    assert [c.label for c in HEADLINE][:3] == ["Total AR", "Overdue", "Overdue share"]
    for card in HEADLINE:
        assert "spec §" not in card.help and "docs/metrics.md" in card.help, card.label
