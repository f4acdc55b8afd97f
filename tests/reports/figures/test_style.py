"""reports/figures/style.py: one look for every chart."""

from __future__ import annotations

import plotly.graph_objects as go

from reports.figures.style import AGING_COLOURS, aging_colours, legend_under_title, style


def test_aging_colours_keep_blue_for_current_and_the_darkest_red_for_the_oldest():
    assert aging_colours(1) == ["#2e86c1"]
    assert aging_colours(3) == ["#2e86c1", "#f7dc6f", "#641e16"]  # two first, then the last
    assert aging_colours(10) == AGING_COLOURS + ["#641e16", "#641e16"]  # 8 + 2 repeats


def test_style_sets_title_axis_titles_and_height():
    fig = style(go.Figure(), "DSO at month-end", "Month-end", "Days", height=300)
    layout = fig.layout
    assert layout.title.text == "DSO at month-end" and layout.height == 300
    assert (layout.xaxis.title.text, layout.yaxis.title.text) == ("Month-end", "Days")
    assert layout.template.layout.paper_bgcolor == "white"  # plotly_white


def test_a_wide_legend_moves_under_the_title():
    fig = legend_under_title(style(go.Figure(), "T"), rows=2)
    assert fig.layout.margin.t == 94  # 50 + 22 × 2
    assert (fig.layout.legend.x, fig.layout.legend.xanchor) == (0, "left")
