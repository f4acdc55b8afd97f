"""Expected credit loss (IFRS 9 simplified approach): loss rates per aging bucket calibrated on
the ledger's own history (or given), the provision matrix, the allowance and its movement,
the expected loss by segment, rating, entity or customer, and the roll rates."""

from datetime import date, timedelta

import streamlit as st

from analytics.risk.ecl import EclOptions
from analytics.risk.loss_rates import parse_percent_rates
from core.errors import LedgerError
from reports import format
from reports.columns import allowance_movement, ecl_by, ecl_calibration, ecl_matrix
from reports.figures.risk import ecl_by_bucket_bar, roll_rate_heatmap
from ui.components import Card, card_row, in_url, page_header
from ui.context import require_context
from ui.risk_data import GROUPINGS, ecl_by_choice, ecl_page, roll_rates_of
from ui.tables import table
from ui.text import plain

CALIBRATED, GIVEN = "Calibrated on this ledger", "Given (e.g. the auditor's matrix)"
GIVEN_FIELD = "Given loss rates (%)"

ctx = require_context()
s = ctx.settings
page_header("Expected credit loss", ctx)

first = ctx.info.first_date or s.as_of
controls = st.columns([2, 1, 2, 1.4])
in_url("ecl_source", "rates", [CALIBRATED, GIVEN])
source = controls[0].radio("Loss rates", [CALIBRATED, GIVEN], key="ecl_source", horizontal=True)
in_url("ecl_overlay", "overlay")
overlay_pct = controls[1].number_input(
    "Overlay (%)", min_value=-100, max_value=500, value=0, step=5, key="ecl_overlay",
    disabled=source == GIVEN,
    help="Forward-looking adjustment: every calibrated rate × (1 + overlay), capped at 100 %. "
    "Given rates are used as given.",
)  # fmt: skip
given = None
if source == GIVEN:
    in_url("ecl_given", "given")
    text = controls[2].text_input(
        GIVEN_FIELD, key="ecl_given", placeholder="0.3, 1.6, 3.6, 6.6, 10.6",
        help="One percentage per aging bucket of the sidebar, youngest first.",
    )  # fmt: skip
    try:
        given = parse_percent_rates(text, s.edges, GIVEN_FIELD)
    except LedgerError as exc:
        st.error(f"{plain(exc)}. Showing the calibrated rates until the given ones are complete.")
default_opening = max(first, s.as_of - timedelta(days=365))
opening = controls[3].date_input(
    "Movement from", value=default_opening, min_value=first, max_value=s.as_of,
    key="ecl_opening", format="YYYY-MM-DD",
    help="Opening date of the allowance movement (opening, charge, closing).",
)  # fmt: skip

options = EclOptions(
    as_of=s.as_of, edges=s.edges, given_rates=given, overlay=0.0 if given else overlay_pct / 100
)
view = ecl_page(ctx, options, opening if isinstance(opening, date) else None)
ecl = view.ecl
if ecl.warnings:  # one box: what a reader of these rates must know
    st.warning("\n".join(f"- {w[:1].upper()}{w[1:]}." for w in ecl.warnings))

rates_note = (
    "given rates"
    if given
    else f"{ecl.loss_rates.n_month_ends} month-ends, overlay {format.pct(options.overlay)}"
)
card_row([
    Card("Expected credit loss", ctx.money(ecl.total),
         f"Allowance for what will not be paid: open receivables per aging bucket × its loss "
         f"rate, disputed documents at their bucket's rate ({rates_note})."),
    Card("Net of insurance", ctx.money(ecl.total_net_of_insurance),
         "Each customer's expected loss × the uninsured share of its exposure."),
    Card("Coverage", format.pct(view.coverage, 2),
         "Allowance ÷ the open receivables it covers."),
    Card("Of which disputed", ctx.money(ecl.disputed_ecl),
         "Disputed documents, assessed apart at the rate of the bucket they sit in."),
])  # fmt: skip

st.subheader("Provision matrix")
st.caption(f"Loss rates: {rates_note}. Rates from a younger bucket are marked as borrowed.")
matrix_money = ["open_amount", "ecl_amount"]
buckets = view.matrix.iloc[: len(ecl.buckets)]
if ecl.total is not None:
    st.plotly_chart(
        ecl_by_bucket_bar(ctx.translate(buckets, matrix_money), ctx.currency), key="ecl_bar"
    )
table(ctx.translate(view.matrix, matrix_money), "provision-matrix", key="ecl_matrix",
      columns=ecl_matrix(ctx.currency))  # fmt: skip

st.subheader("Allowance movement")
if view.movement_rows is None:
    st.info("Pick a *Movement from* date before the as-of date to see the movement.")
else:
    table(ctx.translate(view.movement_rows, ["amount"]), "allowance-movement",
          key="ecl_movement", columns=allowance_movement(ctx.currency))  # fmt: skip
    st.caption("Each date's allowance with the loss rates calibrated as of that date; the "
               "charge (a release when negative) is closing − opening.")  # fmt: skip
    if view.movement.opening is None:
        st.caption(f"No allowance as of {view.movement.opening_date:%d %b %Y}: the ledger had "
                   "no month-end a year before it to calibrate loss rates on.")  # fmt: skip

st.subheader("Expected loss by")
in_url("ecl_by", "by", list(GROUPINGS))
by = st.radio(
    "Group by", list(GROUPINGS), key="ecl_by", horizontal=True, label_visibility="collapsed"
)
money_cols = ["open_amount", "disputed_open_amount", "ecl_amount", "disputed_ecl_amount",
              "gross_ecl_amount", "net_ecl_amount"]  # fmt: skip
grouped = ctx.translate(ecl_by_choice(ctx, view, by), money_cols)
table(grouped, f"expected-loss-by-{by}", key="ecl_by_table", columns=ecl_by(by, ctx.currency),
      opens_customer="customer_id" if by == "Customer" else None,
      empty_message="No open receivables in this selection.")  # fmt: skip

with st.expander("Calibration and roll rates", icon=":material/grid_on:"):
    if given:
        st.caption("Given rates are used as given: no calibration behind them.")
    else:
        table(ctx.translate(view.calibration, ["open_amount", "lost_amount"]),
              "loss-rate-calibration", key="ecl_calibration",
              columns=ecl_calibration(ctx.currency))  # fmt: skip
    rolls = roll_rates_of(ctx, s.as_of)
    if rolls.notna().any().any():
        st.plotly_chart(roll_rate_heatmap(rolls), key="ecl_rolls")
        st.caption("A diagnostic, not used in the expected loss: the share of each bucket's "
                   "amount found in each bucket, collected or written off one month later, "
                   "over the calibration month-ends.")  # fmt: skip
    else:
        st.info("No calibration month-end yet: roll rates need a year of history.")

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown("""
**Loss rate** of an aging bucket: at each of the latest 24 month-ends at least a year before the
as-of date, take the positive open amount of every undisputed document in the bucket; the part
**lost** is what is still open a year later plus what write-off credit notes took off it in that
year. Rate = Σ lost ÷ Σ open. A bucket with no history borrows the rate of the nearest younger
bucket (none: 0). Fewer than 6 month-ends are said. The **overlay** scales every rate by
(1 + overlay), capped at 100 %; **given** rates replace the calibrated ones as they are.
**Expected credit loss** = Σ over buckets of the positive open amount of undisputed documents ×
the rate, plus each disputed document's open amount × its bucket's rate. Credits and unapplied
cash are not netted. **Net of insurance**: each customer's expected loss × uninsured exposure ÷
exposure. Loss rates are always the whole ledger's; the sidebar's filters and entity choose the
receivables they apply to. Definitions: docs/metrics.md#expected-credit-loss-page.
""")
