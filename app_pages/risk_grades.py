"""Grades and PD: the behavioural probability of default of every customer, its grade A–E
beside the assigned rating, how the model was validated out of time, what each feature
does, and how grades moved since an earlier date."""

from datetime import date, timedelta

import streamlit as st

from analytics.risk.model import coefficient_table
from reports import format
from reports.columns import graded_customers, model_calibration, model_coefficients
from reports.figures.risk import calibration_chart, grade_bar, migration_heatmap
from ui.components import Card, card_row, page_header
from ui.context import require_context
from ui.risk_data import grades_page
from ui.tables import table

ctx = require_context()
s = ctx.settings
page_header("Grades and PD", ctx)

first = ctx.info.first_date or s.as_of
before = st.date_input(
    "Migration from", value=max(first, s.as_of - timedelta(days=91)), min_value=first,
    max_value=s.as_of, key="grades_before", format="YYYY-MM-DD",
    help="Grades on this date (by the model as it stood then) against grades on the as-of date.",
)  # fmt: skip
view = grades_page(ctx, before if isinstance(before, date) else None)
model, figures = view.model, view.figures

if model.fitted is None:
    st.warning("Too few customers have defaulted in this ledger's history to fit a model "
               "(at least 10 defaulted observations are needed): no PD and no grades.")  # fmt: skip
if model.validation is None:
    st.info("No out-of-time validation: the ledger needs defaults both in the fitting period "
            "(to 12 months before the as-of date) and in the 6 months after it.")  # fmt: skip

card_row([
    Card("AUC out of time", format.NA if figures["auc"] is None else f"{figures['auc']:.3f}",
         "Chance that a customer who defaulted had the higher PD than "
         "one who did not (0.5: no better than a coin; 1: perfect), on points the model never "
         "saw."),
    Card("Max-dpd benchmark AUC", format.NA if figures["auc_benchmark"] is None else
         f"{figures['auc_benchmark']:.3f}", "The same, ranking customers by their current "
         "days past due alone."),
    Card("Brier score", format.NA if figures["brier"] is None else f"{figures['brier']:.4f}",
         "Mean squared gap between PD and what happened (lower is better)."),
    Card("Mean PD / defaulted", f"{format.pct(figures['mean_pd'], 1)} / "
         f"{format.pct(figures['default_rate'], 1)}", "Average PD against the share that "
         "defaulted, on the validation points."),
])  # fmt: skip

st.subheader("Customers")
left, right = st.columns([1, 2])
left.plotly_chart(grade_bar(view.distribution), key="grades_bar")
with right:
    table(view.customers, "behavioural-grades", key="grades_customers",
          columns=graded_customers(), opens_customer="customer_id",
          empty_message="No customer is scored in this selection.")  # fmt: skip

st.subheader("Grade migration")
if view.migration is None:
    st.info("Pick a *Migration from* date before the as-of date.")
else:
    st.plotly_chart(
        migration_heatmap(view.migration, f"{before:%d %b %Y}", f"{s.as_of:%d %b %Y}"),
        key="grades_migration",
    )
    st.caption("Rows: the grade on the earlier date; columns: the grade now. *new*: graded only "
               "now; *gone*: graded only then. Above the diagonal: upgrades.")  # fmt: skip

if model.validation is not None:
    st.subheader("Calibration")
    left, right = st.columns([3, 2])
    left.plotly_chart(calibration_chart(model.validation.calibration), key="grades_calibration")
    with right:
        table(model.validation.calibration, "model-calibration", key="grades_cal_table",
              columns=model_calibration())  # fmt: skip
    v = model.validation
    st.caption(f"Fitted on month-ends to {v.fitted_through:%d %b %Y}, evaluated on the "
               f"{format.count(v.n_points)} customer-months from {v.evaluated_after:%d %b %Y} to "
               f"{v.evaluated_through:%d %b %Y} ({format.count(v.n_defaults)} defaulted).")  # fmt: skip

if model.fitted is not None:
    st.subheader("What the model weighs")
    table(coefficient_table(model.fitted), "model-coefficients", key="grades_coefficients",
          columns=model_coefficients())  # fmt: skip
    st.caption(f"Refitted on every month-end to {model.fitted.through:%d %b %Y} whose 6-month "
               f"outcome is known: {format.count(model.fitted.n_points)} customer-months, "
               f"{format.count(model.fitted.n_defaults)} defaulted.")  # fmt: skip

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown("""
At every month-end, each customer with a positive balance or credit sales in the previous 12
months, and not already in default, is an observation. It **defaults** when, at one of the next
6 month-ends, it has an undisputed invoice 91 or more days past due, or a debt is written off.
The **features** use only what was known at that month-end (payment lateness and its trend,
overdue share, unpaid share of recent sales, disputes, utilisation, growth, history length,
the assigned rating). A logistic regression turns them into a **PD**. It is validated **out of
time**: fitted on month-ends up to 12 months before the as-of date and tested on the next 6
months, against the benchmark of ranking by current days past due alone. It is then refitted on
every month-end whose outcome is known and scores each customer on the as-of date. **Grades**:
A under 0.5 %, B under 2 %, C under 5 %, D under 15 %, E 15 % or more; a customer already in
default is E. The assigned rating stays as it is. Definitions: docs/metrics.md#grades-and-pd-page.
""")
