"""Overview: the headline figures, their trend, the aging and the largest problems."""

from datetime import timedelta

import streamlit as st

from analytics.portfolio.problems import largest_problems
from core.calendar import one_month_before
from ui.cards import headline_cards
from ui.context import require_context
from ui.figures import aging_bar, ar_trend
from ui.tables import table

ctx = require_context()
s = ctx.settings
st.title("Portfolio overview")
st.caption(
    f"As of {s.as_of:%d %b %Y} · {ctx.currency} · DSO window {s.window_days} days"
    + ("" if s.customer_filter.is_all else " · filtered")
)

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
            column_config={
                "customer_id": "Customer",
                "name": "Name",
                "risk_rating": "Rating",
                "problem": "Problem",
                "amount": st.column_config.NumberColumn(f"Amount ({ctx.currency})", format="%,.0f"),
                "detail": st.column_config.NumberColumn(
                    "Overdue share / utilisation",
                    format="percent",
                    help="Share overdue, or exposure ÷ limit",
                ),
            },
        )
