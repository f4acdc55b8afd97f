"""reports/figures/concentration.py: Pareto curve, HHI bars, treemap."""

from __future__ import annotations

import pandas as pd

from core.constants import HHI_HIGH
from reports.figures.concentration import (
    NODE_GREY,
    RATING_COLOURS,
    hhi_chart,
    pareto_chart,
    rating_colours,
    treemap_chart,
)

# Three customers holding 60, 30, 10: the curve starts at (0, 0), then 1/3 → 0.6, 2/3 → 0.9, 1 → 1
CURVE = pd.DataFrame({"unit_share": [0.0, 1 / 3, 2 / 3, 1.0], "amount_share": [0.0, 0.6, 0.9, 1.0]})


def test_pareto_marks_the_top_n_point_on_the_curve():
    fig = pareto_chart(CURVE, "customer", "balance", top_n=2)
    diagonal, portfolio, top = fig.data
    assert (diagonal.name, portfolio.name, top.name) == ("Equal shares", "Portfolio", "Top 2")
    assert list(top.y) == [0.9] and list(top.text) == ["top 2: 90%"]  # the 2 largest: 60 + 30
    assert fig.layout.title.text == "Pareto curve of balance"
    assert fig.layout.xaxis.title.text == "Share of customers, largest first (%)"


def test_pareto_caps_n_at_the_number_of_units():
    fig = pareto_chart(CURVE, "group", "uninsured", top_n=10)
    assert fig.data[-1].name == "Top 3"  # only 3 units
    assert fig.layout.title.text == "Pareto curve of uninsured exposure"


def test_hhi_chart_has_one_bar_group_per_measure_over_the_reading_bands():
    summary = pd.DataFrame({
        "level": ["Customers", "Regions", "Customers", "Regions"],
        "measure": ["Balance", "Balance", "Uninsured exposure", "Uninsured exposure"],
        "hhi": [1200.0, 4000.0, 900.0, None],
        "reading": ["unconcentrated", "highly concentrated", "unconcentrated", "n/a"],
    })  # fmt: skip
    fig = hhi_chart(summary)
    assert [t.name for t in fig.data] == ["Balance", "Uninsured exposure"]
    assert list(fig.data[0].text) == ["1,200", "4,000"] and list(fig.data[1].text) == ["900", ""]
    assert len(fig.layout.shapes) == 3  # unconcentrated, moderate, high
    assert fig.layout.yaxis.range == (0, max(4000 * 1.15, HHI_HIGH * 1.3))  # 4,600 vs 3,250


def test_ratings_run_green_to_red_and_none_is_grey():
    colours = rating_colours(pd.Series(["B", "A", "(none)", "C"]))
    assert colours == {"A": RATING_COLOURS[0], "B": RATING_COLOURS[1], "C": RATING_COLOURS[2],
                       "(none)": NODE_GREY}  # fmt: skip


def test_treemap_tiles_are_sized_by_balance_and_coloured_by_overdue_share():
    nodes = pd.DataFrame({"id": ["SMB", "SMB/C1", "SMB/C2"], "parent": ["", "SMB", "SMB"],
                          "label": ["SMB", "C1", "C2"], "balance_amount": [30.0, 20.0, 10.0],
                          "overdue_share": [0.5, 0.25, 1.5], "risk_rating": ["", "A", "B"]})  # fmt: skip
    fig = treemap_chart(nodes, "overdue", "EUR")
    tiles = fig.data[0]
    assert list(tiles.values) == [30.0, 20.0, 10.0]
    assert list(tiles.marker.colors) == [0.5, 0.25, 1.0]  # clipped to 100 %
    by_rating = treemap_chart(nodes, "rating", "EUR")
    assert [t.name for t in by_rating.data[1:]] == ["Rating A", "Rating B"]  # a legend entry each
