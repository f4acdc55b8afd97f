"""The committee's decisions as timeline rows: one per decision up to the date, newest first,
old → new for a limit or terms change, signed by the author."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.history.decisions import KIND, decision_events
from analytics.risk.collections import TIMELINE_COLUMNS
from stores.decisions import COLUMNS

NAN = float("nan")
DECISIONS = pd.DataFrame(
    [  # as DecisionStore.table returns them: latest first
        (4, date(2026, 11, 2), "C1", "release", NAN, NAN, NAN, NAN, "paid up", "Ana", None),
        (3, date(2026, 10, 20), "C1", "terms change", NAN, NAN, 30, 45, "seasonal", "Bo", None),
        (2, date(2026, 10, 20), "C1", "limit change", 40_000.0, 50_000.0, NAN, NAN, "grew",
         "Ana", None),
        (1, date(2026, 10, 1), "C1", "limit change", NAN, 20_000.0, NAN, NAN, "first", "Cy", None),
    ],
    columns=COLUMNS,
)  # fmt: skip


def test_each_decision_up_to_the_date_is_a_row_newest_first():
    rows = decision_events(DECISIONS, date(2026, 10, 31))
    assert list(rows.columns) == TIMELINE_COLUMNS
    # the release of 2 Nov is after 31 Oct: left out; 20 Oct keeps the store's order (3, 2)
    assert rows["date"].tolist() == [date(2026, 10, 20), date(2026, 10, 20), date(2026, 10, 1)]
    assert rows["kind"].tolist() == [KIND] * 3
    assert rows["what"].tolist() == [
        "Terms change 30 → 45 days: seasonal",
        "Limit change 40,000.00 → 50,000.00: grew",
        "Limit change no limit → 20,000.00: first",
    ]
    assert rows["state"].tolist() == ["terms change", "limit change", "limit change"]
    assert rows["who"].tolist() == ["Bo", "Ana", "Cy"]
    assert rows["amount"].isna().all()


def test_limits_are_shown_in_the_display_currency():
    rows = decision_events(DECISIONS, date(2026, 10, 20), rate=0.5)
    # 40,000 × 0.5 = 20,000; 50,000 × 0.5 = 25,000
    assert rows.loc[1, "what"] == "Limit change 20,000.00 → 25,000.00: grew"


def test_a_hold_reads_as_its_kind_and_reason_and_none_is_an_empty_frame():
    rows = decision_events(DECISIONS, date(2026, 11, 30))
    assert rows.loc[0, "what"] == "Release: paid up"
    none = decision_events(DECISIONS.iloc[0:0], date(2026, 11, 30))
    assert none.empty and list(none.columns) == TIMELINE_COLUMNS
