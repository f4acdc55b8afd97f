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


def test_money_axes_never_show_milli_units():
    """An empty or small chart's axis read '500m' (issue 9: on a ledger with nothing open)."""
    import plotly.graph_objects as go

    from reports.figures.style import money_axis

    zeros = money_axis(go.Figure(go.Bar(x=["current", "1-30"], y=[0.0, 0.0])), "USD")
    assert zeros.layout.yaxis.tickformat == ",.2~f"
    small = money_axis(go.Figure(go.Bar(x=["a"], y=[750.5])), "USD")
    assert small.layout.yaxis.tickformat == ",.2~f"
    large = money_axis(go.Figure(go.Bar(y=["a", "b"], x=[-2_500.0, 12.0], orientation="h")),
                       "USD", axis="x")  # fmt: skip
    assert large.layout.xaxis.tickformat == "~s"  # 2.5k: SI is right here
