"""Data: what ledger is loaded, load another (validated first, replaced atomically), download it."""

import streamlit as st

from ui import auth
from ui import data_page as dp
from ui.components import page_header

page_header("Data")
ctx = dp.optional_context()  # no require_context(): this is where the first ledger is loaded
dp.show_outcome()

st.header("Active ledger")
if ctx is None:
    dp.no_ledger_message()
else:
    dp.active_ledger(ctx)

st.header("Load a ledger")
auth.require_section("load_ledger")  # the rest of the page loads: a viewer sees no Load button
st.caption(
    "Validate first: every error and warning is listed with its file, row and column. Loading "
    "writes a new database and replaces the chosen ledger file only when the whole load "
    "succeeds; a failed load leaves it as it was."
)
st.subheader("1 · Source")
dp.source_inputs()
st.subheader("2 · Mapping and currency")
dp.mapping_inputs()
plan = dp.plan_from_state()
st.subheader("3 · Validate")
check = dp.validate_section(plan)
st.subheader("4 · Load")
dp.target_section(check)
