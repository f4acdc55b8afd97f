"""What changed: the credit committee's week. Snapshots of what the committee sees, taken
here or on a schedule; what changed between two of them, with figures restated by late
postings flagged; and the decisions the committee records."""

import streamlit as st

from ui import committee_data as cd
from ui import committee_parts as parts
from ui.components import page_header
from ui.context import require_context
from ui.pack_data import pack_buttons

ctx = require_context()
page_header("What changed")
st.caption("A snapshot records the headline figures and every customer's balance, aging, "
           "limit, ratings, expected loss and warnings as of a date; what changed compares two "
           "of them. Snapshots are of the whole ledger in its own currency.")  # fmt: skip
parts.take_button(ctx)
parts.show_message()
pack_buttons(ctx)

headers = cd.headers()
if len(headers) < 2:
    st.info(f"{len(headers)} snapshot(s) so far. Take one at another as-of date (move the "
            "sidebar's date) to see what changed between the two.")  # fmt: skip
    pair = None
else:
    pair = parts.pick_pair(headers)

currency = ctx.info.reporting_currency
if pair is not None:
    result = cd.changes(ctx, *pair)
    currency = result.after.currency
    for note in result.ledger_notes:
        st.info(note)
    restated = cd.restated(ctx, pair[1])
    parts.change_cards(result)
    parts.restated_note(restated, result)
    parts.change_tabs(result, restated)

st.subheader("Decisions")
parts.decision_form(ctx)
parts.decisions_list(ctx, currency)

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown("""
**A snapshot** keeps, as of its date, the headline figures of Overview and every customer's
balance, aging buckets, overdue amount, exposure, limit and utilisation, assigned rating,
expected credit loss (gross and net of insurance), recommended limit, behavioural grade,
collections stage and warnings, plus each open document's bucket, and a fingerprint of the
ledger's content. Taking the same date on the same content again records nothing new.
**Newly overdue**: nothing overdue in the earlier snapshot, something in the later one;
**cured** the reverse. **Aging moves** follow each document: from its bucket in the earlier
snapshot to its bucket in the later one, or settled, or part paid (which includes exchange-rate
revaluation); documents new since come from *opened since*. **Over limit**: utilisation above
100 %. **Largest movers**: the ten largest changes of balance and of overdue. **Grades and
warnings** compare what each snapshot recorded. **Promises broken**: the promises and plan
instalments collectors recorded that were open (or not yet made) at the earlier date and
broken or partly kept at the later one, judged on the ledger open now. **Restated**: the later snapshot's headline
figures recomputed as of its date on the ledger open now; a figure that differs was moved by
a posting dated on or before that date that arrived after the snapshot.
Definitions: docs/metrics.md#what-changed-page.
""")
