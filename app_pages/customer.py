"""Customer: one customer in full as of the sidebar date, opened from a link or the picker."""

import streamlit as st

from analytics.portfolio.customer import customer_aging, customers_by_balance, disputes, settled_any
from reports.figures.customer import days_late_trend, risk_history
from reports.figures.portfolio import aging_bar
from ui import cache
from ui import customer_risk as risk
from ui.components import page_header
from ui.context import require_context
from ui.customer_data import (
    choice_labels,
    credit_notes_table,
    load,
    open_items_table,
    payments_table,
    unapplied_table,
)
from ui.customer_parts import dispute_cards, header_cards, risk_cards
from ui.tables import table
from ui.text import plain

PICK = "customer_pick"  # the selectbox's key
IN_URL = "_customer_in_url"  # the id this page last wrote to ?customer=

ctx = require_context()
s = ctx.settings
page_header("Customer", ctx, filtered="filtered by the sidebar")

customers = customers_by_balance(ctx.snapshot().customers)
if customers.empty:
    st.info("No customers match the sidebar filter. Clear a filter to choose a customer.")
    st.stop()
labels = choice_labels(customers)

# A link (?customer=C00012) chooses the customer when it names another one than this page
# last wrote to the URL; otherwise the picker leads (it is remembered for the session)
# and the URL follows it, so the view can be shared.
default = customers["customer_id"].iloc[0]
requested = st.query_params.get("customer")
if requested and (PICK not in st.session_state or requested != st.session_state.get(IN_URL)):
    if requested not in labels:
        known = requested in set(cache.dimensions(ctx.ledger)["customer_id"])
        st.warning(
            f"Customer {plain(repr(requested))} from the link "
            + ("is not kept by the sidebar filter" if known else "is not in this ledger")
            + f"; showing {plain(labels[default])} (largest balance) instead."
        )
    st.session_state[PICK] = requested if requested in labels else default
elif st.session_state.get(PICK, default) not in labels:
    st.info(
        f"{plain(st.session_state[PICK])} is not kept by the sidebar filter; "
        f"showing {plain(labels[default])} (largest balance)."
    )
    st.session_state[PICK] = default
customer_id = st.selectbox(
    "Customer", list(labels), format_func=labels.get, key=PICK, persist_state="session",
    help="Customers kept by the sidebar filter, largest balance first. Type to search.",
)  # fmt: skip
st.query_params["customer"] = customer_id
st.session_state[IN_URL] = customer_id

row = customers.set_index("customer_id").loc[customer_id]
key = int(row["customer_key"])
header_cards(ctx, row)

st.subheader("Credit risk")
history = risk.customer_history(ctx, key)
risk_cards(ctx, risk.customer_risk(history, s.as_of), str(row["risk_rating"]))
st.plotly_chart(
    risk_history(risk.history_for_chart(ctx, history), ctx.currency), key="customer_risk"
)
st.caption(
    f"At the last six month-ends and {s.as_of:%d %b %Y}. Each PD is scored with the model as "
    f"fitted on {s.as_of:%d %b %Y} (a change is the customer's behaviour, not a refit); the "
    "expected credit loss and the recommended limit are each date's own."
)

st.subheader("Warnings")
shown, spec = risk.warnings_table(ctx, customer_id)
table(shown, f"warnings-{customer_id}", columns=spec, key="customer_warnings",
      empty_message="No warning fires for this customer.")  # fmt: skip

items = load(ctx, "open_items", key)
left, right = st.columns([3, 2])
with left:
    if items.empty:
        st.info("No open items for this customer as of the date, so nothing to age.")
    else:
        aging = {k: v * ctx.rate for k, v in customer_aging(row, s.edges).items()}
        st.plotly_chart(
            aging_bar(aging, ctx.currency, "Aging of this customer's open items"),
            key="customer_aging",
        )
with right:
    st.subheader("Disputes")
    dispute_cards(ctx, disputes(items))
    st.caption("Disputed items stay in the aging; here they are counted apart.")

st.subheader("Open items")
st.caption(
    f"Documents open on {s.as_of:%d %b %Y}, most overdue first. Credit notes are negative; "
    f"open amounts in their own currency and in {ctx.currency} at the closing rate."
)
shown, spec = open_items_table(ctx, items)
table(shown, f"open-items-{customer_id}", columns=spec, headers_in_frame=True, key="customer_open_items",
      empty_message="No open items for this customer as of the date.")  # fmt: skip

st.subheader("Payment habit")
trend = load(ctx, "days_late_trend", key)
if not settled_any(trend):
    st.info("No invoice of this customer was settled in the 24 months up to the date.")
else:
    st.plotly_chart(days_late_trend(trend, row["payment_terms_days"]), key="customer_days_late")

st.subheader("Payment history")
shown, spec = payments_table(ctx, load(ctx, "payments", key))
table(shown, f"payments-{customer_id}", columns=spec, headers_in_frame=True, key="customer_payments",
      height=320, empty_message="No payments from this customer on or before the date.")  # fmt: skip

st.subheader("Credit notes")
st.caption(
    "Credit notes dated on or before the date, newest first, and what is still open of each."
)
shown, spec = credit_notes_table(ctx, load(ctx, "credit_notes", key))
table(shown, f"credit-notes-{customer_id}", columns=spec, headers_in_frame=True, key="customer_credit_notes",
      height=320, empty_message="No credit notes for this customer on or before the date.")  # fmt: skip

st.subheader("Unapplied cash")
st.caption("Payments not applied to any invoice (cash on account); subtracted from the balance.")
shown, spec = unapplied_table(ctx, load(ctx, "unapplied_cash", key))
table(shown, f"unapplied-{customer_id}", columns=spec, headers_in_frame=True, key="customer_unapplied",
      height=320, empty_message="No unapplied cash on account at the date.")  # fmt: skip

st.subheader("Collections timeline")
st.caption("Open invoices, payments, calls, notes, promises, plan instalments, disputes, "
           f"warnings and the committee's decisions, newest first; amounts in {ctx.currency}.")  # fmt: skip
table(risk.timeline(ctx, customer_id, key), f"timeline-{customer_id}", columns=risk.TIMELINE,
      key="customer_timeline", height=320, empty_message="Nothing recorded for this customer.")  # fmt: skip

with st.expander("How this is computed"):
    st.markdown(
        """
- **Balance** = open amounts of the customer's documents − unapplied cash, at the closing
  rate of the as-of date; **aging** and **overdue** by days past the due date.
- **Payment history** shows each payment in the reporting currency at the rate in force on
  the day it was paid; unapplied cash and open items use the closing rate, as balances do.
- **Days late / days to pay** of an invoice = the day its open amount reached 0
  − due date / invoice date. Each month shows the invoices settled in it (on or before the
  as-of date), averaged with weights = invoice amount in the reporting currency at the
  invoice date; months without settlements are gaps. The dashed line is the customer's
  payment terms, the target for days to pay. Definitions: docs/metrics.md#customer-page.
"""
    )
