"""Watchlist: the customers an early-warning rule fires for as of the sidebar date, why (the
figures that fired it), since when, and the thresholds in force, which the user can move."""

import streamlit as st

from analytics.risk.warning_rules import RULES
from analytics.risk.warning_settings import DEFAULT_SETTINGS
from core.errors import LedgerError
from reports import format
from reports.warnings_columns import warning_rules, watchlist
from ui.components import Card, card_row, in_url, money_input, page_header
from ui.context import require_context
from ui.tables import table
from ui.text import plain
from ui.warnings_data import watchlist_page
from ui.warnings_parts import (
    changed_text,
    settings_in_force,
    threshold_inputs,
    thresholds_in_url,
)

ALL = "All warnings"
RULE_OF = {r.label: r.name for r in RULES}

ctx = require_context()
page_header("Watchlist", ctx)

thresholds_in_url()
try:
    settings, problem = settings_in_force(), None
except LedgerError as exc:
    settings, problem = DEFAULT_SETTINGS, exc
changed = changed_text(settings)
with st.expander("Thresholds", icon=":material/tune:", expanded=bool(changed or problem)):
    st.caption("A warning fires only beyond its threshold: a customer exactly at it is not "
               "counted. Changes apply to the whole page and go into the link.")  # fmt: skip
    threshold_inputs()
if problem:
    st.error(f"{plain(problem)}. Showing the default thresholds until this is fixed.")

filters = st.columns([2, 2, 3], vertical_alignment="bottom")
in_url("wl_rule", "warning", [ALL, *RULE_OF])
chosen = filters[0].selectbox("Warning", [ALL, *RULE_OF], key="wl_rule")
st.session_state.setdefault("wl_min_balance", "0")
in_url("wl_min_balance", "min_balance")
min_balance = money_input(filters[1], f"Minimum balance ({ctx.currency})", "wl_min_balance")
filters[2].caption("Segment, rating, region or group: pick them in the sidebar.")

view = watchlist_page(ctx, settings, RULE_OF.get(chosen), min_balance)
summary = view.summary
cards = [
    Card(row.warning, format.count(row.customers),
         f"Fires when {row.condition}." + (f" Not available: it {row.note}." if row.note else ""))
    for row in summary.itertuples()
]  # fmt: skip
for first in range(0, len(cards), 4):  # four to a row: pairs at 1024 px, never a lone card
    card_row(cards[first : first + 4], columns=4, height="stretch")
if changed:
    st.caption(f"Thresholds changed: {changed}.")
if missing := [row for row in summary.itertuples() if row.note]:
    st.caption("n/a = not available yet: " + "; ".join(f"{r.warning} {r.note}" for r in missing)
               + ".")  # fmt: skip

title = "Every warning" if chosen == ALL else chosen
st.subheader(f"{title} ({len(view.rows):,})")
table(view.rows, "watchlist", key="wl_table", columns=watchlist(ctx.currency),
      opens_customer="customer_id",
      empty_message="No warning fires for this selection.")  # fmt: skip

with st.expander("The rules", icon=":material/rule:"):
    table(summary, "warning-rules", key="wl_rules", columns=warning_rules())

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown("""
Every rule is checked for every customer as of the sidebar date, on the whole ledger (or the
entity picked); the sidebar's filters and the minimum balance choose which customers are
listed, not what a share is of. **Late item**: the largest open invoice more than the days
threshold past due, at least the share of the customer's balance. **Paying slower**: the
days late of the invoices settled in the last 90 days (the day an invoice was paid in full
minus its due date, weighted by amount) against those settled in the 12 months before. **Purchase
spike**: credit sales of the last 30 days against the average of the three 30-day periods
before. **Over / near limit**: exposure (balance plus open orders) ÷ credit limit.
**Disputes**: disputed open amount ÷ balance. **Concentration**: the customer's, or its
group's, share of all positive balances; each customer counts once. **Uninsured**: exposure
above the insured limit. Periods end on the as-of date and leave out their first day.
**First seen**: the rules are checked again at each of the 12 month-ends before; a warning was
first seen at the earliest of them from which it fired at every one up to today.
Definitions: docs/metrics.md#watchlist-page.
""")
