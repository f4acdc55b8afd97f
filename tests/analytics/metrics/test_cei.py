"""Collection Effectiveness Index (spec §4)."""

import pytest

from analytics.metrics.cei import collection_effectiveness_index


def test_cei_hand_worked():
    # AR(a) 1,000; sales 500; AR(b) 900 of which 400 current
    # collected = 1,000 + 500 - 900 = 600; collectable = 1,000 + 500 - 400 = 1,100 -> 54.545 %
    assert collection_effectiveness_index(1_000, 500, 900, 400) == pytest.approx(600 / 1_100 * 100)


def test_cei_is_100_when_everything_collectable_was_collected():
    # AR(a) 800, sales 200, AR(b) = current AR(b) = 300 -> (1000-300)/(1000-300) = 100
    assert collection_effectiveness_index(800, 200, 300, 300) == pytest.approx(100)


def test_cei_undefined_when_nothing_was_collectable():
    # empty ledger, and a period where everything is still current
    assert collection_effectiveness_index(0, 0, 0, 0) is None
    assert collection_effectiveness_index(0, 500, 500, 500) is None
