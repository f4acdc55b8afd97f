"""Aging: open items by bucket per customer, segment, region or rating; their history at
month-ends; the open documents behind any group. Disputed items in their buckets, shown as
their part of each; unapplied cash apart."""

import streamlit as st

from analytics.metrics.aging import bucket_labels
from analytics.portfolio.aging_view import aging_totals
from reports.columns import GROUP_TITLES, aging_groups, aging_open_items
from reports.figures.aging import aging_history_area, group_aging_bar, group_labels
from ui import aging_data
from ui.aging_parts import aging_cards
from ui.components import as_of_caption, in_url, page_header
from ui.context import require_context
from ui.tables import column_config, download_buttons, table

BASES = {"due": "Due date", "invoice": "Invoice date"}

ctx = require_context()
s = ctx.settings
page_header("Aging")
in_url("aging_by", "by", list(GROUP_TITLES))
in_url("aging_basis", "basis", list(BASES))
left, right = st.columns(2)
by = left.radio("Group by", list(GROUP_TITLES), format_func=GROUP_TITLES.get, horizontal=True,
                key="aging_by")  # fmt: skip
basis = right.radio("Age by", list(BASES), format_func=BASES.get, horizontal=True,
                    key="aging_basis", help="Days past the due date (default) or since the invoice date; same edges.")  # fmt: skip
as_of_caption(
    ctx, f"aged by {BASES[basis].lower()}", f"buckets {', '.join(map(str, s.edges))} days"
)

labels = bucket_labels(s.edges)
groups = aging_data.group_table(ctx, basis, by)
totals = aging_totals(groups)
aging_cards(totals, ctx.currency)

if groups.empty:
    st.info("No open items or unapplied cash for this selection.")
else:
    st.plotly_chart(group_aging_bar(groups, labels, ctx.currency, by), key="aging_groups")
    table(groups, f"aging-by-{by}", columns=aging_groups(labels, ctx.currency, by),
          key="aging_table", opens_customer="group" if by == "customer" else None)  # fmt: skip

st.subheader("Aging over time")
history = aging_data.history(ctx, basis)
if history.empty:
    st.info("Nothing was open at any month-end of the ledger up to this date for this selection.")
else:
    st.plotly_chart(aging_history_area(history, labels, ctx.currency), key="aging_history")
    st.caption(f"Open amounts at each month-end, translated at the {s.as_of:%d %b %Y} rate.")

st.subheader("Open items")
if groups.empty:
    st.info("No open items for this selection.")
else:
    choices = [None, *groups["group"]]
    names = dict(zip(groups["group"], group_labels(groups), strict=True))
    every = "All customers in this view"
    value = st.selectbox(f"{GROUP_TITLES[by]} to open", choices, key="aging_drill",
                         format_func=lambda v: every if v is None else names.get(v, v))  # fmt: skip
    items = aging_data.open_items(ctx, basis, by, value)
    cap = aging_data.MAX_ITEM_ROWS
    if items.empty:
        st.info("No open items for this selection.")
    elif len(items) > cap:
        st.caption(f"Showing the {cap:,} largest of {len(items):,} open items; the downloads hold all of them.")  # fmt: skip
    if not items.empty:
        spec = aging_open_items(ctx.currency, basis)
        st.dataframe(items.head(cap), hide_index=True, key="aging_items",
                     column_config=column_config(spec))  # fmt: skip
        download_buttons(items, f"open-items-{value or 'all'}", key="aging_items", columns=spec)

with st.expander("How this is computed"):
    st.markdown(
        f"""
- **Buckets**: each open document's whole open amount goes into one bucket by its age
  at {s.as_of:%d %b %Y} — days past the due date, or days since the invoice date with *Age by
  invoice date* — with the sidebar's upper edges (inclusive). Credits (negative open items) are
  aged too, so a bucket can be negative.
- **Disputed** items are in their buckets like every open document (one rule on every page, in
  the command line and in the downloads: buckets add up to the open total); their part of each
  bucket is hatched in the chart, *Of which disputed* totals them, and the downloads carry a
  *disputed* column per bucket.
- **Overdue share** = open amounts with due date before the as-of date ÷ all open amounts,
  disputed included; it does not change with the aging basis.
- **Unapplied cash** is never aged: it is drawn below zero in the bar chart, as a dashed line
  over time, and subtracted from the open total to give the balance.
- **Over time**: the same buckets at each of the last 24 month-ends (from the ledger's first
  document), over the customers the sidebar selects today, translated at today's rate.
- **Open items**: documents open at the as-of date for the chosen group, largest open amount
  (in {s.reporting_currency}) first; open amounts in other currencies are converted at the
  closing rate of the as-of date.

Definitions: docs/metrics.md#aging-page.
"""
    )
