"""DSO & collections: how many days of sales are unpaid, why DSO moved, and who pays late."""

import math

import streamlit as st

from analytics.portfolio.collections import SETTLED_PERIOD_MONTHS, months_before
from reports import format
from reports.columns import dso_behaviour, dso_bridge
from reports.figures.dso import add_bars, bridge_waterfall, cei_line, dso_trend
from ui.components import Card, card_row, page_header
from ui.context import require_context
from ui.dso_data import behaviour, dso_trends
from ui.tables import table

ctx = require_context()
s = ctx.settings
N = s.window_days

page_header("DSO & collections", ctx, f"DSO window {N} days")

m = ctx.metrics()
countback = format.days(m.dso_countback)
card_row([
    Card("Standard DSO", format.days(m.dso_standard), f"AR ÷ credit sales of the last {N} days × {N}."),
    Card("Countback DSO", ("≥ " if m.countback_is_lower_bound else "") + countback,
         "Calendar months of sales, counted back from the as-of date, that make up AR."),
    Card("Best possible DSO", format.days(m.dso_best_possible), "Current (not yet due) AR ÷ sales × N."),
    Card("ADD", format.days(m.add), "Average days delinquent = standard − best possible DSO."),
    Card("CEI", format.index_points(m.cei), "Collected ÷ collectable in the month to date, × 100."),
])  # fmt: skip

trends = dso_trends(ctx)
trend, bridge = trends.trend, trends.bridge
if trends.has_dso:
    st.plotly_chart(dso_trend(trend), key="dso_trend")
    left, right = st.columns(2)
    left.plotly_chart(add_bars(trend), key="dso_add")
    right.plotly_chart(cei_line(trend), key="dso_cei")
else:
    st.info(
        f"No month-end in the 24 months to {s.as_of:%d %b %Y} has credit sales in its {N}-day "
        "window for this selection, so there is no DSO or CEI trend to show."
    )
with st.expander("Definitions", icon=":material/menu_book:"):
    st.markdown(f"""
AR(D) is what customers owe at the end of day D (open items − unapplied cash); S(a, b] is credit
sales (invoices − credit notes) dated after a up to b; N = {N} days (sidebar).
- **Standard DSO** = AR(D) ÷ S(D−N, D] × N: how many days of recent sales are still unpaid.
- **Best possible DSO** = CurrentAR(D) ÷ S(D−N, D] × N: the same with only the not-yet-due part of
  AR, i.e. DSO if every customer paid on its due date.
- **Average days delinquent (ADD)** = standard DSO − best possible DSO: the days late payment adds.
- **Countback DSO**: take AR(D) and walk back through calendar months of sales (this month to D,
  then each full month before), subtracting each month's sales and adding its days while AR covers
  it; the last month adds AR left ÷ its sales × its days. E.g. AR 2,000 on 31 Jan with sales Jan 200,
  Dec 400, Nov 600, Oct 700, Sep 500 → 31 + 31 + 30 + 31 + 100/500 × 30 = 129 days. At most 36
  months (then shown as "≥", a lower bound).
- **CEI** for the month (a, b] = (AR(a) + S(a, b] − AR(b)) ÷ (AR(a) + S(a, b] − CurrentAR(b)) × 100:
  what was collected out of what could have been; 100 = everything collectable was collected.

Any DSO with zero or negative sales in its window is undefined: "n/a" on a card, a gap in a chart.
Cards are as of the sidebar date; charts at each month-end (CEI: its calendar month).
""")

st.subheader("DSO bridge: sales volume or collections?")
if not trends.has_bridge:
    st.info("No two consecutive month-ends with credit sales to compare for this selection.")
else:
    positions = list(range(len(bridge)))[::-1]
    at = st.columns([1, 3])[0].selectbox(
        "Month", positions, key="dso_bridge_month",
        format_func=lambda i: f"{bridge['month_end'].iloc[i]:%B %Y}",
    )  # fmt: skip
    row = bridge.iloc[at]
    if math.isnan(row["dso_change"]):
        st.info(
            f"No bridge for {row['month_end']:%B %Y}: standard DSO is undefined there or a month "
            f"earlier (no credit sales in the {N}-day window)."
        )
    else:
        chart, reading = st.columns([3, 2], vertical_alignment="center")
        chart.plotly_chart(bridge_waterfall(row), key="dso_bridge")
        reading.markdown(f"""
**{row["previous_month_end"]:%b %Y} → {row["month_end"]:%b %Y}**: standard DSO
{format.days(row["dso_previous"])} → {format.days(row["dso"])} ({row["dso_change"]:+.1f} days)
- **Sales volume {row["sales_effect"]:+.1f} days**: sales in the {N}-day window
  {ctx.money(row["sales_previous"])} → {ctx.money(row["sales"])}, AR held at
  {ctx.money(row["ar_previous"])}
- **Collections (AR) {row["collections_effect"]:+.1f} days**: AR {ctx.money(row["ar_previous"])}
  → {ctx.money(row["ar"])}, over the new window's sales
""")
    money = ["ar_previous", "ar", "sales_previous", "sales"]
    table(ctx.translate(bridge.iloc[::-1], money), "dso-bridge",
          columns=dso_bridge(ctx.currency), key="dso_bridge_table")  # fmt: skip
    with st.expander("How the bridge is computed", icon=":material/functions:"):
        st.markdown(f"""
With DSO = AR ÷ S × N (N = {N}), the change from month-end m−1 to m is split in two:
- **Sales volume** = AR(m−1) ÷ S(m) × N − AR(m−1) ÷ S(m−1) × N: what the change in window sales
  alone does to DSO, AR held at last month's level (more sales → lower DSO).
- **Collections (AR)** = (AR(m) − AR(m−1)) ÷ S(m) × N: what the change in receivables does, at
  this month's sales (collecting faster → AR falls → lower DSO).

The two add up exactly to the change in standard DSO. A month is left out (blank) when either
month's window sales are zero or negative. Red bars raise DSO, green bars lower it.
""")

st.subheader("Days to pay and days late by customer")
months = st.columns([1, 3])[0].selectbox(
    "Invoices settled in the last", SETTLED_PERIOD_MONTHS, index=1,
    format_func=lambda n: f"{n} months", key="dso_settled_months",
)  # fmt: skip
per_customer, portfolio = behaviour(ctx, months)
start = months_before(s.as_of, months)
card_row([
    Card("Days to pay (weighted)", format.days(portfolio.days_to_pay), "Invoice date → settlement."),
    Card("Days late (weighted)", format.days(portfolio.days_late), "Due date → settlement; < 0 = early."),
    Card("Invoices settled", format.count(portfolio.n_settled), f"Settled after {start:%d %b %Y}."),
    Card("Paid late (by amount)", format.pct(portfolio.late_share),
         f"Share of the settled amount paid after its due date ({portfolio.n_late:,} invoices)."),
])  # fmt: skip
st.caption(
    f"Invoices fully settled after {start:%d %b %Y} up to {s.as_of:%d %b %Y}, averages weighted by "
    "invoice amount; latest payers first."
)
table(ctx.translate(per_customer, ["settled_amount"]), "days-to-pay-by-customer",
      columns=dso_behaviour(ctx.currency), key="dso_behaviour_table",
      empty_message="No invoices were settled in this period for this selection.")  # fmt: skip
with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown("""
An invoice's **days to pay** = the date its open amount reached zero − its invoice date;
**days late** = that date − its due date (negative = paid early). Only invoices (positive amounts)
fully settled, by payments or credit notes, within the period count. Each average is weighted by
the invoice's amount, converted to the reporting currency at its invoice date so that currencies
add up: Σ amount × days ÷ Σ amount, per customer and over the whole selection. **Paid late** =
share of the settled amount with days late > 0 (the number of such invoices is in the download).
Definitions: docs/metrics.md#dso--collections-page.
""")
