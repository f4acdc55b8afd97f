"""Overview: the headline figures, their trend, the aging and the largest problems."""

from datetime import timedelta

import streamlit as st

from analytics.portfolio.problems import largest_problems
from core.calendar import one_month_before
from reports.columns import largest_problems as problem_columns
from reports.figures.portfolio import aging_bar, ar_trend
from ui.cards import headline_cards
from ui.components import page_header
from ui.context import require_context
from ui.tables import table

ctx = require_context()
s = ctx.settings
page_header("Portfolio overview", ctx, f"DSO window {s.window_days} days")

now = ctx.metrics()
week = ctx.metrics_at_or_none(s.as_of - timedelta(days=7))
month = ctx.metrics_at_or_none(one_month_before(s.as_of))
headline_cards(ctx, now, week, month)

left, right = st.columns([3, 2])
with left:
    trend = ctx.translate(ctx.trend(), ["ar_total", "ar_overdue"])
    st.plotly_chart(ar_trend(trend, ctx.currency), key="overview_trend")
with right:
    aging = {k: v * ctx.rate for k, v in now.aging.items()}
    st.plotly_chart(aging_bar(aging, ctx.currency), key="overview_aging")

st.subheader("Largest problems")
st.caption(
    "Most overdue exposure and biggest over-limit excess, largest first. Open a customer for the detail."
)
problems = largest_problems(ctx.snapshot().customers)
if problems.empty:
    st.success("No overdue or over-limit customers for this selection.")
else:
    for row in problems.itertuples():
        detail = (
            f"{row.detail:.0%} of open items overdue"
            if row.problem == "overdue"
            else f"utilisation {row.detail:.0%}"
        )
        cols = st.columns([3, 2, 2, 3])
        cols[0].markdown(f"**{row.name}** ({row.customer_id}) · rating {row.risk_rating}")
        cols[1].markdown(f"{row.problem}: **{ctx.money(row.amount)}**")
        cols[2].markdown(detail)
        cols[3].page_link("app_pages/customer.py", label=f"Open {row.customer_id}", icon=":material/arrow_forward:",
                          query_params={"customer": row.customer_id})  # fmt: skip
    with st.expander("As a table (download)"):
        table(
            ctx.translate(problems, ["amount"]),
            "largest-problems",
            key="overview_problems",
            columns=problem_columns(ctx.currency),
        )
