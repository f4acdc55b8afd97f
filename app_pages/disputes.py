"""Disputes: the disputed open items as of the sidebar date, how old they are, why they are
disputed, and what DSO would be without them."""

import streamlit as st

from reports import collections_columns as cols
from reports import format
from reports.figures.portfolio import aging_bar
from ui.collections_data import disputes_page, in_spec_order, invoice_labels
from ui.collections_forms import dispute_form
from ui.components import Card, card_row, page_header
from ui.context import require_context
from ui.tables import table

ctx = require_context()
s, cur = ctx.settings, ctx.currency
page_header("Disputes", ctx)

page = disputes_page(ctx)
view = page.view
card_row([
    Card("Disputed open", ctx.money(view.open_amount),
         "Open amount of the invoices flagged as disputed in the ledger."),
    Card("Disputed items", f"{view.n_items:,}", "Disputed documents still open."),
    Card("Share of receivables", format.pct(view.share_of_ar),
         "Disputed open amount ÷ total receivables."),
    Card("DSO", format.days(view.dso),
         f"Standard DSO: receivables ÷ credit sales of the last {s.window_days} days × "
         f"{s.window_days}."),
    Card("DSO without disputes", format.days(view.dso_without_disputed),
         "The same, with the disputed open items taken out of receivables."),
])  # fmt: skip

if page.items.empty:
    st.info("No disputed item is open as of this date in this selection.")
else:
    left, right = st.columns([1.4, 1])
    ageing = dict(zip(page.by_bucket["bucket_label"], page.by_bucket["open_amount"], strict=True))
    left.plotly_chart(aging_bar(ageing, cur, "Disputed open amount by days past due"),
                      key="disp_ageing")  # fmt: skip
    with right:
        st.markdown("**By reason**")
        table(page.by_reason, "disputes-by-reason", key="disp_reasons",
              columns=cols.disputed_by_reason(cur))  # fmt: skip
    with st.expander("Ageing table", icon=":material/table:"):
        table(page.by_bucket, "disputes-by-age", key="disp_buckets",
              columns=cols.disputed_by_bucket(cur))  # fmt: skip

    st.subheader("Disputed items")
    table(in_spec_order(page.items, cols.disputed_items(cur)), "disputed-items",
          key="disp_items", columns=cols.disputed_items(cur), opens_customer="customer_id",
          height=420 if len(page.items) > 12 else "auto")  # fmt: skip

    st.subheader("Record a reason")
    dispute_form(ctx, page.items, invoice_labels(page.items, cur))
if not page.records.empty:
    with st.expander(f"Recorded reasons ({len(page.records):,})", icon=":material/history:"):
        st.caption("Every reason recorded, with what the ledger says of its invoice today: "
                   "settled, no longer disputed, or not in this ledger (orphaned, kept).")  # fmt: skip
        table(in_spec_order(page.records, cols.dispute_records(cur)), "dispute-records",
              key="disp_records", columns=cols.dispute_records(cur))  # fmt: skip

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown(f"""
A **disputed item** is an invoice the ledger flags as disputed that is still open on the as-of
date, at its open amount in {cur}. **Ageing** puts each in the sidebar's bucket by days past
its due date. **Reasons** and statuses are what collectors record here, per invoice; an item
with none shows "(no reason recorded)". **DSO** = receivables ÷ credit sales of the last
{s.window_days} days × {s.window_days} (the DSO page's standard DSO); **DSO without disputes**
takes the disputed open amount out of the receivables first. Both follow the sidebar's filters
and entity. Definitions: docs/metrics.md#disputes-page.
""")
