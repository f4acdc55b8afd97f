"""Concentration: how much of the book sits with the largest customers, groups, industries and
regions, of balances or of uninsured exposure; top-N table, Pareto curve, HHI and a treemap."""

import streamlit as st

from reports.columns import (
    LEVEL_TITLES,
    MEASURE_TITLES,
    concentration_summary,
    concentration_top,
)
from reports.figures.concentration import hhi_chart, pareto_chart, treemap_chart
from ui.components import as_of_caption, page_header
from ui.concentration_data import concentration_view
from ui.concentration_parts import concentration_cards
from ui.context import require_context
from ui.tables import table

ctx = require_context()
s = ctx.settings
page_header("Concentration")
c1, c2, c3, c4 = st.columns([2, 3, 3, 2])
level = c1.selectbox("Concentration of", list(LEVEL_TITLES), format_func=LEVEL_TITLES.get,
                     key="conc_level")  # fmt: skip
measure = c2.radio("Measure", list(MEASURE_TITLES), format_func=MEASURE_TITLES.get,
                   horizontal=True, key="conc_measure")  # fmt: skip
top_n = c3.slider("Top N", 5, 50, 10, key="conc_top_n")
coverage = c4.number_input("Insurance coverage (%)", 0, 100, 90, step=5, key="conc_coverage",
                           help="Insured part = min(exposure, insured limit) × coverage (definitions: docs/metrics.md).")  # fmt: skip
cover = f" at {coverage:.0f} % cover" if measure == "uninsured" else ""
as_of_caption(ctx, MEASURE_TITLES[measure].lower() + cover)

view = concentration_view(ctx, coverage, level, measure, top_n)
units = LEVEL_TITLES[level].split(" (")[0].lower()
f = view.figures  # the chosen level and measure
concentration_cards(f, units, top_n, ctx.currency)

if view.curve.empty:
    st.info(f"No {units} with a positive {MEASURE_TITLES[measure].lower()} for this selection.")
else:
    left, right = st.columns(2)
    left.plotly_chart(pareto_chart(view.curve, level, measure, top_n), key="conc_pareto")
    right.plotly_chart(hhi_chart(view.summary), key="conc_hhi")
    st.subheader(f"Top {top_n} {units} by {MEASURE_TITLES[measure].lower()}")
    table(view.top, f"top-{top_n}-{level}-{measure}", key="conc_top",
          columns=concentration_top(level, measure, ctx.currency))  # fmt: skip

st.subheader("Every level at a glance")
table(view.summary, "concentration-summary", columns=concentration_summary(top_n, ctx.currency),
      key="conc_summary")  # fmt: skip

st.subheader("Where the balance sits")
colour_by = st.radio("Colour by", ["overdue", "rating"], horizontal=True, key="conc_colour",
                     format_func={"overdue": "Overdue share", "rating": "Risk rating"}.get)  # fmt: skip
if view.treemap.empty:
    st.info("No customer has a positive balance for this selection.")
else:
    st.plotly_chart(treemap_chart(view.treemap, colour_by, ctx.currency), key="conc_treemap")

with st.expander("How this is computed"):
    st.markdown(
        """
- **Shares**: over the units with a positive amount, share = amount ÷ Σ positive
  amounts; top-N share = the N largest shares summed; HHI = Σ (100 · share)², from 0 (spread
  thin) to 10,000 (one unit holds everything). Readings: unconcentrated below 1,500,
  moderately concentrated from 1,500 to 2,500, highly concentrated above.
- **Units**: a customer holds its balance (open items − unapplied cash). A group (group_id)
  holds its members' balances netted, as in the Overview. An industry or a region holds the
  sum of its customers' *positive* balances: a credit at one customer does not offset
  exposure to another, and the shares split the same total as at customer level.
- **Uninsured exposure**: exposure = max(balance, 0) + open orders; insured part =
  min(exposure, insured limit) × the coverage above; uninsured = exposure − insured part.
- **Pareto curve**: units sorted largest first; x = share of the units, y = cumulative share of
  the amount. The dashed diagonal is a book where every unit holds the same.
- **Treemap**: customers with a positive balance inside their segment, tile area = balance;
  overdue share = overdue (open amounts past their due date) ÷ open items.

Definitions: docs/metrics.md#concentration-page.
"""
    )
