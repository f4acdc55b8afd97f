"""Aging bucket labels and edge validation (spec §3); bucketing itself is in test_engine."""

import pytest

from analytics.metrics.aging import aging_buckets, bucket_labels
from core.errors import LedgerError
from core.validation import parse_edges


def test_default_labels_follow_the_spec():
    assert bucket_labels((30, 60, 90, 120)) == [
        "current",
        "1-30",
        "31-60",
        "61-90",
        "91-120",
        "120+",
    ]


def test_custom_edges_give_their_own_labels():
    assert bucket_labels((15, 45)) == ["current", "1-15", "16-45", "45+"]


def test_every_bucket_is_present_in_order():
    assert aging_buckets({0: 5.0, 2: 7.0}, (30, 60)) == {
        "current": 5.0,
        "1-30": 0.0,
        "31-60": 7.0,
        "60+": 0.0,
    }


@pytest.mark.parametrize("text", ["30,20", "0,30", "a,b", "", "30,30"])
def test_bad_edges_are_rejected_with_a_clear_message(text):
    with pytest.raises(LedgerError, match="--buckets"):
        parse_edges(text)
