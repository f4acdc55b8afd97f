"""Overview: the headline figures, their trend, the aging and the largest problems."""

from datetime import timedelta

import streamlit as st

from analytics.portfolio.problems import RANKED_BY, largest_problems
from core.calendar import one_month_before
from reports.columns import largest_problems as problem_columns
from reports.figures.portfolio import aging_bar, ar_trend
from ui.cards import headline_cards, problem_rows
from ui.components import page_header
from ui.context import require_context
from ui.tables import table
from ui.warnings_data import warning_count_line

ctx = require_context()
s = ctx.settings
page_header("Portfolio overview", ctx, f"DSO window {s.window_days} days")

now = ctx.metrics()
week = ctx.metrics_at_or_none(s.as_of - timedelta(days=7))
month = ctx.metrics_at_or_none(one_month_before(s.as_of))
headline_cards(ctx, now, week, month)

if now.ar_current + now.ar_overdue == 0 and now.ar_unapplied == 0:
    st.info(f"Nothing is open on {s.as_of:%d %b %Y} for this selection: every invoice dated by "
            "then was paid. Pick an earlier date in the sidebar to see what was owed.")  # fmt: skip
left, right = st.columns([3, 2])
with left:
    trend = ctx.translate(ctx.trend(), ["ar_total", "ar_overdue"])
    st.plotly_chart(ar_trend(trend, ctx.currency), key="overview_trend")
with right:
    aging = {k: v * ctx.rate for k, v in now.aging.items()}
    st.plotly_chart(aging_bar(aging, ctx.currency), key="overview_aging")

st.subheader("Early warnings")
st.markdown(warning_count_line(ctx))
st.page_link("app_pages/watchlist.py", label="Open the watchlist", icon=":material/visibility:")

st.subheader("Largest problems")
st.caption(f"Customers overdue or over their credit limit, ranked by {RANKED_BY}. "
           "Open a customer for the detail.")  # fmt: skip
problems = ctx.translate(largest_problems(ctx.snapshot().customers),
                         ["at_issue_amount", "overdue_amount", "over_limit_amount"])  # fmt: skip
if problems.empty:
    st.success("No overdue or over-limit customers for this selection.")
else:
    problem_rows(ctx, problems)
    with st.expander("As a table (download)"):
        table(problems, "largest-problems", key="overview_problems",
              columns=problem_columns(ctx.currency), opens_customer="customer_id")  # fmt: skip
