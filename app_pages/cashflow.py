"""Cash flow: how much customers will pay, week by week, and the weeks cash runs short."""

import streamlit as st

from reports import format
from reports.columns import cashflow_backtest, cashflow_periods
from reports.figures.cashflow import backtest_chart, fan_chart, funding_chart
from ui.cashflow_data import (
    FundingInputs,
    actuals,
    backtest_by_default,
    backtest_dates,
    backtest_table,
    funding,
    funding_defaults,
    options,
    origin_totals,
    our_error,
    period_table,
    projection,
    promised_note,
    run_backtest,
    summary,
)
from ui.cashflow_parts import HOW_COMPUTED, funding_table
from ui.components import Card, card_row, in_url, money_input, page_header
from ui.context import require_context
from ui.tables import table
from ui.text import plain

ctx = require_context()
s = ctx.settings
cur = ctx.currency
NOTE = {"delta_color": "off", "delta_arrow": "off"}  # a card's delta line is a note, not a change
page_header("Cash flow", ctx, "receipts projected from the ledger's own payment history")

left, middle, right = st.columns([2, 2, 3])
in_url("cf_disputed", "disputed", ["delay", "exclude"])
in_url("cf_unit", "unit", ["week", "month"])
disputed = left.radio("Disputed items", ["delay", "exclude"], horizontal=True, key="cf_disputed",
                      format_func={"delay": "Delayed", "exclude": "Excluded"}.get,
                      help="Delayed: paid as past disputes were; excluded: not expected.")  # fmt: skip
with_sales = middle.toggle("Sales not yet invoiced", value=True, key="cf_sales",
                           help="Add receipts from the sales forecast (ETS) after the as-of date.")  # fmt: skip
unit = right.radio("Periods", ["week", "month"], horizontal=True, key="cf_unit",
                   format_func={"week": "13 weeks", "month": "12 months"}.get)  # fmt: skip

p = projection(ctx, disputed, with_sales)
card = summary(p)
if card.is_empty:
    st.info("No open items and no sales for this selection as of this date: nothing to project.")
    st.stop()

card_row([
    Card(f"Receipts, next {card.weeks} weeks", ctx.money(card.receipts), f"Expected; P10-P90 "
         f"{ctx.money(card.receipts_p10)} to {ctx.money(card.receipts_p90)}.", **NOTE),
    Card("of which from open AR", ctx.money(card.from_open_ar),
         "Documents open at the as-of date.", **NOTE),
    Card("of which from new sales", ctx.money(card.from_new_sales),
         "Sales forecast after the as-of date.", **NOTE),
    Card("Open AR collectible", ctx.money(card.collectible), "Open invoices less the share the "
         "history says is never paid and disputes left out, whenever paid.",
         f"{ctx.money(card.not_expected)} not expected", **NOTE),
])  # fmt: skip
st.caption(
    f"P10-P90 of the {card.weeks} weeks' receipts: {ctx.money(card.receipts_p10)} to "
    f"{ctx.money(card.receipts_p90)}. Credit notes, overpayments and cash on account "
    f"({ctx.money(card.credits_and_unapplied)}) are not receipts and are left out."
)
if note := promised_note(ctx, p):
    st.caption(note)

periods = period_table(ctx, p, monthly=unit == "month")
history = actuals(ctx, p.options.weeks) if unit == "week" else None
st.plotly_chart(fan_chart(periods, history, s.as_of, cur, unit), key="cf_fan")
table(periods, f"receipts-by-{unit}", columns=cashflow_periods(cur, unit), key="cf_periods")
if p.sales is not None:
    st.caption(f"Sales forecast: {p.sales.model} ({p.sales.reason}).")
with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown(HOW_COMPUTED)

st.subheader("Funding gap")
for name, value in funding_defaults(ctx, card).items():
    st.session_state.setdefault(name, format.amount_text(value))
for name in ("cf_opening", "cf_buffer", "cf_outflow"):  # the money fields check the text
    in_url(name, name.removeprefix("cf_"))
st.caption("Until you type your own figures: two weeks of expected receipts as opening cash, "
           "one week's paid out every week and one week's as the buffer.")  # fmt: skip
f1, f2, f3 = st.columns(3)
opening = money_input(f1, f"Opening cash ({cur})", "cf_opening")
buffer = money_input(f2, f"Minimum buffer ({cur})", "cf_buffer", min_value=0.0)
source = f3.radio("Planned outflows", ["constant", "csv"], horizontal=True, key="cf_source",
                  format_func={"constant": "Same every week", "csv": "From a CSV"}.get)  # fmt: skip
upload = None
if source == "constant":
    weekly = money_input(st, f"Outflows per week ({cur})", "cf_outflow")
else:
    weekly = 0.0
    upload = st.file_uploader("CSV with columns date (YYYY-MM-DD) and amount (cash out, > 0)",
                              type=["csv"], key="cf_upload")  # fmt: skip
    if upload is None:
        st.info("Upload the planned outflows to see the funding gap.")
if source == "constant" or upload is not None:
    inputs = FundingInputs(opening, buffer, weekly, upload.getvalue() if upload else None,
                           upload.name if upload else "outflows.csv")  # fmt: skip
    gap = funding(ctx, p, inputs)
    if gap.error:
        st.error(plain(gap.error))  # it names the uploaded file and quotes its cells
    else:
        st.plotly_chart(funding_chart(gap.gap, buffer, cur), key="cf_funding")
        if not gap.n_flagged:
            st.success("Projected cash stays above the buffer in every week, even at P10.")
        else:
            median, pessimistic = (format.money(v, cur) for v in gap.largest_shortfall)
            st.warning(f"{gap.n_flagged} week(s) short (red: cash below the buffer in the median "
                       "case, P50) or at risk (amber: below it in the pessimistic case, P10 cash); "
                       f"largest shortfall {median} in the median case, {pessimistic} in the "
                       "pessimistic case.")  # fmt: skip
        funding_table(gap.gap, cur, key="cf_funding_table")
        st.caption("P10, P50 and P90 are taken week by week over the simulated paths: they do "
                   "not add up across weeks, so a week's P50 cash is not the week before's P50 "
                   "cash plus this week's P50 receipts less its outflows.")  # fmt: skip
        if gap.outflows.n_rows_outside:
            st.caption(f"{gap.outflows.n_rows_outside} CSV row(s) outside the 13 weeks ignored.")

st.subheader("Backtest: how good were past projections?")
dates = backtest_dates(ctx)
if not dates:
    st.info("A backtest needs month-ends with 12 months of ledger before them and 13 weeks "
            "after (up to the as-of date); this ledger has none.")  # fmt: skip
elif st.toggle(f"Run the backtest at {len(dates)} past month-ends "
               f"({dates[0]:%b %Y} - {dates[-1]:%b %Y})", value=backtest_by_default(ctx),
               key="cf_backtest"):  # fmt: skip
    bar = st.progress(0.0, text="Backtest…")
    result = run_backtest(ctx, options(ctx, disputed, with_sales),
                          lambda f, m: bar.progress(min(f, 1.0), text=m))  # fmt: skip
    bar.empty()
    card_row([
        Card("P10-P90 coverage of actual weeks", format.pct(result.coverage),
             "Share of past weeks whose receipts fell inside the band; 80 % is honest."),
        Card("13-week error (ours)", format.pct(our_error(result)),
             "Mean absolute % error of the 13 weeks' receipts."),
    ])  # fmt: skip
    table(
        backtest_table(result),
        "cashflow-backtest",
        columns=cashflow_backtest(),
        key="cf_backtest_table",
    )
    st.plotly_chart(backtest_chart(origin_totals(ctx, result), 13, cur), key="cf_backtest_chart")
