"""Limits review: the recommended credit limit of every customer with its arithmetic, staged
granting for young customers, and the queue of limits to review."""

import pandas as pd
import streamlit as st

from analytics.risk.limits import GRADE_MULTIPLIERS, REASONS, LimitSettings
from core.errors import LedgerError
from reports import format
from reports.columns import limit_recommendations
from ui.components import Card, card_row, in_url, page_header
from ui.context import require_context
from ui.risk_data import limits_review
from ui.tables import table
from ui.text import plain

ctx = require_context()
s = ctx.settings
page_header("Limits review", ctx)

controls = st.columns(4)
in_url("lim_gap", "gap")
gap = controls[0].number_input(
    "Review when the gap exceeds (%)", min_value=0, max_value=500, value=25, step=5,
    key="lim_gap", help="Gap = (current limit − recommended) ÷ recommended.",
)  # fmt: skip
in_url("lim_months", "months")
months = controls[1].number_input(
    "Review limits set more than (months) ago", min_value=1, max_value=120, value=12, step=1,
    key="lim_months",
)  # fmt: skip
in_url("lim_staged", "staged")
staged = controls[2].number_input(
    "Share granted while staged (%)", min_value=1, max_value=100, value=50, step=5,
    key="lim_staged", help="A young customer gets this share of its recommendation.",
)  # fmt: skip
in_url("lim_late", "late")
late = controls[3].number_input(
    "Late beyond (days) breaks a clean run", min_value=0, max_value=365, value=15, step=1,
    key="lim_late",
)  # fmt: skip
try:
    settings = LimitSettings(staged_share=staged / 100, late_days=int(late),
                             gap_share=gap / 100, review_months=int(months))  # fmt: skip
except LedgerError as exc:
    st.error(f"{plain(exc)}; using the defaults.")
    settings = LimitSettings()
view = limits_review(ctx, settings)
money_cols = ["credit_limit", "recommended_limit", "monthly_sales_amount", "raw_amount",
              "full_amount", "exposure_amount"]  # fmt: skip
card_row([
    Card("To review", format.count(len(view.queue)),
         "Customers with at least one reason below."),
    *[Card(reason[:1].upper() + reason[1:], format.count(view.counts[reason])) for reason in REASONS],
])  # fmt: skip
if view.table.empty or view.table["grade"].isna().all():
    st.info("No customer here has a grade A–E (a behavioural grade or an assigned risk rating), "
            "so no limit can be recommended.")  # fmt: skip
if view.totals[0] > 0:
    st.caption(f"Customers with a limit: Σ limits granted {ctx.money(view.totals[0])} against "
               f"Σ recommended {ctx.money(view.totals[1])}.")  # fmt: skip
else:
    st.caption("No customer has a credit limit in this selection.")

st.subheader(f"Review queue ({len(view.queue):,})")
table(ctx.translate(view.queue, money_cols), "limit-review-queue", key="lim_queue",
      columns=limit_recommendations(ctx.currency), opens_customer="customer_id",
      empty_message="No limit to review in this selection.")  # fmt: skip

st.subheader("How a recommendation is made")
ids = view.table["customer_id"].tolist()
if ids:
    labels = dict(zip(ids, view.table["name"], strict=True))
    picked = st.selectbox("Customer", ids, key="lim_customer",
                          format_func=lambda c: c if labels[c] == c else f"{c} · {labels[c]}")  # fmt: skip
    row = view.table.set_index("customer_id").loc[picked]
    if pd.isna(row["grade"]):
        st.info(f"{plain(picked)} has no grade A–E (behavioural or assigned): no recommendation.")
    else:
        steps = [
            f"Average monthly credit sales over the last 6 months "
            f"**{ctx.money(row['monthly_sales_amount'], compact=False)}**",
            f"× (terms {row['terms_days']} days + 30) ÷ 30 = ×{(row['terms_days'] + 30) / 30:.2f}",
            f"× grade {row['grade']} ({row['grade_source']}) multiplier "
            f"{GRADE_MULTIPLIERS[row['grade']]:.2f}",
            f"= {ctx.money(row['raw_amount'], compact=False)}, rounded up to "
            f"{ctx.money(row['rounded_amount'], compact=False)}",
        ]
        if row["insured_floor_applied"]:
            steps.append(
                f"raised to the insured limit {ctx.money(row['full_amount'], compact=False)}"
            )
        if row["is_staged"]:
            steps.append(f"× {settings.staged_share:.0%} while staged (first invoice "
                         f"{row['first_invoice_date']:%d %b %Y}; not yet six months in a row "
                         f"without a payment more than {settings.late_days} days late)")  # fmt: skip
        else:
            steps.append(f"in full since {row['step_up_date']:%d %b %Y}")
        steps.append(f"**recommended {ctx.money(row['recommended_limit'], compact=False)}** "
                     f"against a current limit of {ctx.money(row['credit_limit'], compact=False)}")  # fmt: skip
        st.markdown("\n".join(f"1. {step}" for step in steps))

st.subheader("Every customer")
table(ctx.translate(view.table, money_cols), "limit-recommendations", key="lim_all",
      columns=limit_recommendations(ctx.currency), opens_customer="customer_id",
      empty_message="No customer has invoiced by this date.")  # fmt: skip

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown(f"""
**Recommended limit** = average monthly credit sales over the last 6 months × (payment terms in
days + 30) ÷ 30 × the grade's multiplier (A 1.5, B 1.25, C 1.0, D 0.6, E 0), rounded up to two
significant figures, and never below the insured limit for grades A to C. The grade is the
behavioural one when the model gives it, else the customer's assigned rating. **Staged
granting**: a customer gets {settings.staged_share:.0%} of its recommendation until it has had
{settings.staged_months} months of history ending {settings.staged_months} months in which
nothing was paid more than {settings.late_days} days late; from then on it gets all of it.
**Review queue**: the gap between the limit and the recommendation is more than
{settings.gap_share:.0%} of the recommendation, or it was set more than {settings.review_months} months ago (or
the ledger has no date for it), or the customer is over its limit.
Definitions: docs/metrics.md#limits-review-page.
""")
