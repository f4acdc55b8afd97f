"""Credit limits: how much of the granted limits is used, who is over, who has none, and how
much of the exposure an insurer would not cover (spec §6)."""

import streamlit as st

from reports import format
from reports.columns import limits_by_rating, limits_customers
from reports.figures.limits import insurance_bar, utilisation_by_rating_bar, utilisation_histogram
from ui.components import Card, card_row, page_header
from ui.context import require_context
from ui.limits_data import limits_page
from ui.tables import table

ctx = require_context()
s = ctx.settings
page_header("Credit limits", ctx)

top = st.columns([1, 3])
coverage = top[0].number_input(
    "Insurance coverage (%)", min_value=0, max_value=100, value=90, step=5, key="limits_coverage",
    help="Share of the insured part an insurer pays: insured = min(exposure, insured limit) × coverage.",
)  # fmt: skip
view = limits_page(ctx, coverage / 100)
summary = view.summary
money_cols = ["credit_limit", "exposure_amount", "headroom_amount"]

card_row([
    Card("Portfolio utilisation", format.pct(summary.utilisation),
         f"Σ exposure ÷ Σ limit of the {summary.n_limited:,} customers with a limit."),
    Card("Over-limit customers", format.count(summary.n_over_limit), "Exposure above the credit limit."),
    Card("Total exposure", ctx.money(summary.exposure_amount),
         "Σ max(balance, 0) + open orders, every customer (with or without a limit)."),
    Card("Uninsured exposure", ctx.money(summary.uninsured_amount),
         f"Exposure − min(exposure, insured limit) × {coverage} %."),
])  # fmt: skip

if view.utilisation.empty:
    st.info("No customer with a credit limit in this selection.")
else:
    left, right = st.columns(2)
    left.plotly_chart(utilisation_histogram(view.utilisation), key="limits_histogram")
    right.plotly_chart(utilisation_by_rating_bar(view.by_rating), key="limits_by_rating")

st.subheader(f"Over limit ({summary.n_over_limit:,})")
st.caption(
    "Headroom = limit − exposure: negative by the amount the limit is exceeded; most over first."
)
table(ctx.translate(view.over_limit, money_cols), "over-limit", key="limits_over",
      columns=limits_customers(ctx.currency), opens_customer="customer_id",
      empty_message="No customer is over its limit in this selection.")  # fmt: skip

st.subheader(f"Exposure without a limit ({summary.n_no_limit_with_exposure:,})")
st.caption("Customers with no credit limit set that still owe money or have open orders.")
no_limit_money = ["balance_amount", "open_orders_amount", "exposure_amount"]
table(ctx.translate(view.no_limit, no_limit_money), "no-limit-exposure", key="limits_none",
      columns=limits_customers(ctx.currency),
      empty_message="No customer without a limit has exposure in this selection.")  # fmt: skip

st.subheader("Insured and uninsured exposure")
if summary.exposure_amount > 0:
    st.caption(
        f"Insured {ctx.money(summary.insured_amount)} · uninsured "
        f"{ctx.money(summary.uninsured_amount)} of {ctx.money(summary.exposure_amount)} exposure, "
        f"at {coverage} % coverage of each customer's insured limit."
    )
    by_rating_money = ctx.translate(view.by_rating, ["insured_amount", "uninsured_amount"])
    st.plotly_chart(insurance_bar(by_rating_money, ctx.currency), key="limits_insurance")
else:
    st.info("No exposure in this selection.")

st.subheader("Utilisation by risk rating")
rating_money = ["limited_exposure_amount", "credit_limit", "exposure_amount", "insured_amount",
                "uninsured_amount"]  # fmt: skip
table(ctx.translate(view.by_rating, rating_money), "utilisation-by-rating", key="limits_rating",
      columns=limits_by_rating(ctx.currency),
      empty_message="No customers in this selection.")  # fmt: skip
with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown(f"""
As of the sidebar date. **Exposure** = max(balance, 0) + open orders, where balance = open
items − unapplied cash. **Utilisation** = exposure ÷ credit limit for customers with a limit > 0;
over 100 % is **over limit**, and **headroom** = limit − exposure. Customers without a limit form
their own class: they are in total exposure but not in any utilisation. **Portfolio utilisation**
(overall and per rating) = Σ exposure ÷ Σ limits of the customers with a limit. **Insured part** =
min(exposure, insured limit) × coverage ({coverage} %); **uninsured** = exposure − insured part
(a customer without an insured limit is wholly uninsured). Histogram bins are 10 % wide; the dashed
line marks 100 %. Definitions: docs/metrics.md#credit-limits-page.
""")
