"""The audit page's "Changed" column: each top-level field whose value differs, old → new."""

import json

import pytest

from ui.audit_data import changes_text


@pytest.mark.parametrize(
    ("before", "after", "text"),
    [
        # a limit change: only the fields that moved, in the record's order
        ({"id": 7, "limit": 100, "who": "ana"}, {"id": 7, "limit": 250, "who": "ana"},
         "limit: 100 → 250"),
        # a create lists what was written (nothing before)
        (None, {"name": "Tight", "days": 30}, "name: — → Tight; days: — → 30"),
        # a delete lists what was removed
        ({"name": "Tight"}, None, "name: Tight → —"),
        # a field that appears or goes
        ({"a": 1}, {"a": 1, "b": [1, 2]}, "b: — → [1, 2]"),
        # nothing moved
        ({"a": 1}, {"a": 1}, ""),
    ],
)  # fmt: skip
def test_changed_fields(before, after, text):
    as_json = lambda v: None if v is None else json.dumps(v)  # noqa: E731
    assert changes_text(as_json(before), as_json(after)) == text


def test_a_long_value_is_cut_to_forty_characters():
    # 50 x's → 39 kept plus "…"
    assert changes_text(None, json.dumps({"note": "x" * 50})) == "note: — → " + "x" * 39 + "…"


def test_a_json_value_that_is_not_an_object_counts_as_one_field():
    assert changes_text(json.dumps(1), json.dumps(2)) == "value: 1 → 2"
