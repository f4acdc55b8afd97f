"""Compare dates: Overview's headline figures, the aging and the largest customers at two
as-of dates side by side, with the differences."""

import streamlit as st

from core.constants import DEFAULT_TOP_N
from reports.columns import compare_aging, compare_customers, compare_headline
from reports.figures.compare import aging_comparison_bar
from ui import compare_data as cd
from ui.cards import comparison_cards
from ui.components import in_url, page_header
from ui.context import require_context
from ui.tables import table

ctx = require_context()
page_header("Compare dates")
for key, param in cd.PARAMS.items():
    in_url(key, param)
for note in cd.prepare_dates(ctx, {cd.A_KEY: "Compare", cd.B_KEY: "with"}):
    st.warning(note)
first, last = cd.date_range(ctx)
left, right, _ = st.columns([1, 1, 2])
picked_a = left.date_input("Compare", min_value=first, max_value=last, key=cd.A_KEY,
                           format="YYYY-MM-DD", help="The earlier date (A). Default: the "
                           "month-end before the sidebar date's month.")  # fmt: skip
picked_b = right.date_input("with", min_value=first, max_value=last, key=cd.B_KEY,
                            format="YYYY-MM-DD", help="The later date (B). Default: the "
                            "sidebar's as-of date.")  # fmt: skip
a, b, order_note = cd.in_order(picked_a, picked_b)
if order_note:
    st.warning(order_note)
if a == b:
    st.stop()
st.caption(cd.caption(ctx, a, b))

result = cd.compared(ctx, a, b)
la, lb, cur = cd.date_label(a), cd.date_label(b), ctx.currency
comparison_cards(ctx, result.headline, la)

st.subheader("Aging by bucket")
aging = cd.aging_table(ctx, result)
st.plotly_chart(aging_comparison_bar(aging, la, lb, cur), key="cmp_aging_chart")
table(aging, f"Aging {la} vs {lb}", columns=compare_aging(la, lb, cur), key="cmp_aging")

st.subheader("Largest customers")
st.caption(f"The {DEFAULT_TOP_N} largest balances on {lb} and the {DEFAULT_TOP_N} largest on "
           f"{la}, so a customer that left the top is still listed.")  # fmt: skip
table(cd.customers_table(ctx, result), f"Largest customers {la} vs {lb}", key="cmp_customers",
      columns=compare_customers(la, lb, cur), opens_customer="customer_id",
      empty_message="No customer had a positive balance on either date.")  # fmt: skip

st.subheader("Headline figures")
table(cd.headline_table(ctx, result), f"Headline figures {la} vs {lb}", key="cmp_headline",
      columns=compare_headline(la, lb, cur))  # fmt: skip

with st.expander("How this is computed"):
    st.markdown(
        f"""
- **Each figure keeps its own definition**: the values at {la} and at {lb} are exactly what
  Overview shows with that date in the sidebar (docs/metrics.md), over the customers the
  sidebar selects, with its bucket edges and DSO window. Change = {lb} − {la}; change % =
  change ÷ |{la} value|, None (an empty cell in the downloads) when that is 0 or a figure
  is undefined.
- **Shares** (overdue share, top-10 share) change in percentage points on the cards.
- **Aging**: every open document in one bucket by its days past due at each date, disputed
  items included; unapplied cash is not aged.
- **Largest customers**: ranked by balance (open items − unapplied cash), positive balances
  only.
- **Money** is in {cur}; in another currency than the ledger's, both dates are translated
  at the sidebar date's rate, so a change is the ledger's, not the exchange rate's.
"""
    )
