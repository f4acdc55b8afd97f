"""reports/figures/aging.py: aging by group and over time."""

from __future__ import annotations

import pandas as pd

from reports.figures.aging import (
    DISPUTED,
    DISPUTED_LINE,
    UNAPPLIED,
    aging_history_area,
    group_aging_bar,
    group_labels,
)

LABELS = ["Current", "1-30"]


def groups(n: int, with_names: bool = True) -> pd.DataFrame:
    frame = pd.DataFrame({
        "group": [f"C{i}" for i in range(n)],
        "Current": [100.0 * (i + 1) for i in range(n)],
        "1-30": [10.0] * n,
        "disputed_amount": [5.0] * n,  # all of it in 1-30
        "unapplied_amount": [2.0] * n,
        "disputed Current": [0.0] * n,
        "disputed 1-30": [5.0] * n,
    })  # fmt: skip
    if with_names:
        frame.insert(1, "name", [f"Name {i}" for i in range(n)])
    return frame


def test_group_labels_show_name_and_id_for_customers_and_the_value_otherwise():
    assert group_labels(groups(2)) == ["Name 0 (C0)", "Name 1 (C1)"]
    assert group_labels(groups(2, with_names=False)) == ["C0", "C1"]


def test_each_bucket_is_drawn_with_its_disputed_part_hatched_and_unapplied_below_zero():
    fig = group_aging_bar(groups(3), LABELS, "EUR", "customer")
    assert [t.name for t in fig.data] == [
        "Current", "Current, disputed", "1-30", "1-30, disputed", DISPUTED, UNAPPLIED]  # fmt: skip
    assert list(fig.data[0].x) == [100.0, 200.0, 300.0]
    # 1-30 holds 10 of which 5 disputed: 5 solid + 5 hatched, so the bar still adds to 10
    assert list(fig.data[2].x) == [5.0] * 3 and list(fig.data[3].x) == [5.0] * 3
    assert fig.data[3].marker.pattern.shape == "/" and not fig.data[3].showlegend
    assert list(fig.data[-1].x) == [-2.0, -2.0, -2.0]  # subtracted, never aged
    assert list(fig.data[-1].customdata) == [2.0, 2.0, 2.0]  # the hover shows it positive
    assert fig.layout.barmode == "relative"
    assert fig.layout.title.text == "Open items by customer and age"


def test_only_the_largest_groups_are_drawn_and_the_title_says_so():
    fig = group_aging_bar(groups(30), LABELS, "EUR", "segment", max_groups=25)
    assert len(fig.data[0].y) == 25
    assert fig.layout.title.text == "Open items by segment and age (largest 25 of 30)"
    assert fig.layout.height == 180 + 26 * 25


def test_history_stacks_the_buckets_and_draws_disputed_and_unapplied_apart():
    history = pd.DataFrame({"month_end": pd.to_datetime(["2025-01-31", "2025-02-28"]),
                            "Current": [1.0, 2.0], "1-30": [3.0, 4.0],
                            "disputed_amount": [0.5, 0.0], "unapplied_amount": [1.0, 1.5]})  # fmt: skip
    fig = aging_history_area(history, LABELS, "USD")
    stacked = [t.name for t in fig.data if t.stackgroup == "aging"]
    assert stacked == ["Current", "1-30"]  # disputed items are inside the buckets
    assert fig.data[2].name == DISPUTED_LINE and list(fig.data[2].y) == [0.5, 0.0]
    assert fig.data[-1].name == UNAPPLIED and fig.data[-1].stackgroup is None
    assert list(fig.data[-1].y) == [1.0, 1.5]
