"""The faster paths of issue 15 give the figures the code gave before them: the projection
(expected columns and the draws' P10/P50/P90), the scenario simulator and the Aging history on
a generated ledger, against tests/fixtures/same_figures.json, written by bench/same_figures.py
with the code as it was before the speed work (commit 93c9b3e)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from bench.same_figures import differences, figures
from tests.ledger_factory import generated

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "same_figures.json"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    con = generated(tmp_path_factory.mktemp("same-figures"), invoices=6_000, seed=11)
    yield con
    con.close()


def test_projection_scenarios_and_aging_history_are_the_figures_before_the_speed_work(engine):
    expected = json.loads(FIXTURE.read_text())
    assert differences(expected, figures(engine, date(2026, 10, 31))) == []


def test_a_moved_figure_is_reported_with_its_path():
    # 100.0 → 100.0000001 is 1e-9 relative: equal; 100 → 101 is not
    assert differences({"a": [100.0]}, {"a": [100.0000001]}) == []
    assert differences({"a": [100.0]}, {"a": [101.0]}) == ["/a[0]: 100.0 -> 101.0"]
