"""Audit trail: every change users made (who, when, what, before and after), filtered, exported."""

import streamlit as st

from ui import audit_data as ad
from ui import auth
from ui.components import page_header
from ui.tables import table

page_header("Audit trail")
auth.require_page("audit")
st.caption(
    "Every change made through the app or the command line: ledger loads, scenarios, "
    "decisions, applications, snapshots, collection notes, promises, plans, disputes and "
    "owners. Rows are only ever added; nothing in the app edits or removes one. Times are UTC."
)
options = ad.choices()
cols = st.columns([1.2, 1, 1, 1.1, 1.8])  # the date range needs room for two dates
cols[0].selectbox("Who", [ad.ANY, *options["who"]], key=ad.FILTER_KEYS["who"])
cols[1].selectbox("Action", [ad.ANY, *options["action"]], key=ad.FILTER_KEYS["action"])
cols[2].selectbox("Object", [ad.ANY, *options["entity"]], key=ad.FILTER_KEYS["entity"])
cols[3].text_input("Object id contains", key=ad.FILTER_KEYS["key"], max_chars=200)
cols[4].date_input("Days (UTC)", value=(), key=ad.FILTER_KEYS["dates"], format="YYYY-MM-DD",
                   max_value=ad.today_utc(), help="One day, or a first and a last day.")  # fmt: skip

frame = ad.trail_frame(ad.filter_from_state())
shown = f"{len(frame):,} change(s), newest first"
st.caption(shown + (f" (the newest {ad.SHOWN_ROWS:,}: narrow the filters)"
                    if len(frame) == ad.SHOWN_ROWS else ""))  # fmt: skip
table(frame, "audit-trail", columns=ad.COLUMNS, key="au_table",
      empty_message="No change matches these filters.")  # fmt: skip
