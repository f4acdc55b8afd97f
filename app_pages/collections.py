"""Collections worklist: who to chase as of the sidebar date, at which stage and in which
order, the pre-due reminders due today and this week, and what collectors recorded."""

from datetime import timedelta

import streamlit as st

from analytics.risk.collections import DEFAULT_LGD, LOSS_RATE_BASIS, STAGES
from analytics.risk.promises import DEFAULT_TOLERANCE_DAYS, MAX_TOLERANCE_DAYS
from reports import collections_columns as cols
from reports.figures.portfolio import aging_bar
from ui.collections_data import cadence_table, in_spec_order, worklist_page, worklist_table
from ui.collections_forms import cancel_form, number_in_url, record_section
from ui.components import Card, card_row, page_header
from ui.context import require_context
from ui.tables import table

ctx = require_context()
s, cur = ctx.settings, ctx.currency
page_header("Collections worklist", ctx)

controls = st.columns([1, 1, 2, 1.3])
lgd = number_in_url(controls[0], "LGD (%)", "coll_lgd", "lgd", round(DEFAULT_LGD * 100), 0, 100,
                    "Loss given default: the share of an unpaid overdue amount that is lost. "
                    "Used with a behavioural PD.")  # fmt: skip
tolerance = number_in_url(controls[1], "Tolerance (days)", "coll_tolerance", "tolerance",
                          DEFAULT_TOLERANCE_DAYS, 0, MAX_TOLERANCE_DAYS,
                          "Days after its date a promise or instalment may still be paid in "
                          "full and count as kept.")  # fmt: skip
page = worklist_page(ctx, lgd / 100, tolerance)
work, rows = page.worklist, page.rows
stages = controls[2].multiselect("Stages", STAGES, key="coll_stages", placeholder="All stages")
owners = sorted({o for o in rows["owner"] if o})
owner = controls[3].selectbox("Owner", ["", *owners], key="coll_owner_filter",
                              format_func=lambda o: o or "Everyone")  # fmt: skip

if work.loss_basis == LOSS_RATE_BASIS:
    st.caption("Expected loss comes from the ledger's calibrated loss rates (the behavioural "
               "probability of default is not available yet): each customer's expected credit "
               "loss on its overdue items, net of insurance. LGD is not applied on top.")  # fmt: skip
else:
    st.caption(f"Expected loss = overdue × behavioural PD × LGD {lgd} % × uninsured share.")
if work.warnings:  # one box: what a reader of the loss rates must know
    st.warning("\n".join(f"- {w[:1].upper()}{w[1:]}." for w in work.warnings))

totals = page.totals
card_row([
    Card("Customers to chase", f"{totals['n_chased']:,}",
         f"Customers with an overdue item; {totals['n_customers']:,} have open items."),
    Card("Overdue", ctx.money(totals["overdue_amount"]),
         "Positive open items past their due date."),
    Card("Expected loss", ctx.money(totals["expected_loss_amount"]),
         "On the overdue items, uninsured part; it orders the list."),
    Card("Reminders today", f"{len(work.due_today):,}",
         f"Pre-due steps dated {s.as_of:%d %b %Y}; {len(work.due_this_week):,} more this week."),
    Card("Broken promises", f"{len(page.broken):,}",
         f"Customers with a promise or instalment unmet {tolerance} days after its date."),
])  # fmt: skip

st.subheader("Stages")
left, right = st.columns([1, 1.6])
stage_amounts = dict(zip(page.stages["stage"], page.stages["open_amount"], strict=True))
left.plotly_chart(aging_bar(stage_amounts, cur, "Open amount by stage"),
                  key="coll_stage_bar")  # fmt: skip
with right:
    spec = cols.stages(cur)
    table(in_spec_order(page.stages, spec), "collection-stages", key="coll_stages_table",
          columns=spec)  # fmt: skip

st.subheader("Pre-due reminders")
week_end = s.as_of + timedelta(days=work.options.week_days)
today_tab, week_tab = st.tabs([f"Today, {s.as_of:%d %b}",
                               f"This week, to {week_end:%d %b}"])  # fmt: skip
with today_tab:
    table(in_spec_order(cadence_table(ctx, work.due_today), cols.cadence(cur)),
          "reminders-today", key="coll_today", columns=cols.cadence(cur),
          opens_customer="customer_id",
          empty_message="No pre-due reminder falls today.")  # fmt: skip
with week_tab:
    table(in_spec_order(cadence_table(ctx, work.due_this_week), cols.cadence(cur)),
          "reminders-this-week", key="coll_week", columns=cols.cadence(cur),
          opens_customer="customer_id",
          empty_message="No pre-due reminder falls in the next seven days.")  # fmt: skip

st.subheader("Worklist")
shown = in_spec_order(worklist_table(rows, stages, owner), cols.worklist(cur))
table(shown, "collections-worklist", key="coll_worklist", columns=cols.worklist(cur),
      opens_customer="customer_id", height=420 if len(shown) > 12 else "auto",
      empty_message="No customer with open items in this selection.")  # fmt: skip

st.subheader("Record")
record_section(ctx, page)

st.subheader("Promises and plans")
st.caption(f"Promises and plan instalments as of {s.as_of:%d %b %Y}: {page.commitment_summary}.")
table(in_spec_order(page.commitments, cols.commitments(cur)), "promises-and-plans",
      key="coll_commitments",
      columns=cols.commitments(cur),
      empty_message="No promise or payment plan recorded yet.")  # fmt: skip
cancel_form(ctx, page.commitments)
with st.expander(f"Notes and calls ({len(page.notes):,})", icon=":material/chat:"):
    table(in_spec_order(page.notes, cols.notes()), "notes-and-calls", key="coll_notes",
          columns=cols.notes(),
          empty_message="No note or call recorded yet.")  # fmt: skip
if page.n_orphaned:
    st.caption(f"{page.n_orphaned} record(s) name a customer or invoice that is not in this "
               "ledger: they are kept and marked Orphaned.")  # fmt: skip
if page.orphaned_owners:
    st.caption("Owners kept for customers not in this ledger: "
               + ", ".join(f"{c} ({o})" for c, o in page.orphaned_owners.items()) + ".")  # fmt: skip

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown(f"""
**Stage**: from the oldest days past due among a customer's open invoices (credits and
unapplied cash are not netted): not yet due is *pre-due*; 1-30 days a friendly reminder by the
account owner or sales; 31-60 formal collection by the credit team; 61-90 a final notice and
legal collection; 91 or more legal action, an insurance claim when insured, or an agency.
**Pre-due reminders** for each open, undisputed invoice not yet due: a statement 3 days after
the invoice date, reminders at half and three quarters of the payment term, and a payment
confirmation the day before the due date. **Priority**: expected loss first, then overdue amount.
Expected loss = overdue × probability of default × LGD ({lgd} %) × the uninsured share of the
customer's exposure; until the behavioural model is ready, each customer's expected credit loss on
its overdue items (loss rates calibrated on this ledger, net of insurance) stands in. A
**promise** is kept when the customer's payments after it was recorded and up to its date plus
{tolerance} days reach its amount; partly kept when some came, broken when none did. A plan's
instalments are judged the same way, in order. Definitions: docs/metrics.md#worklist-page.
""")
