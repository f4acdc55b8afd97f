"""Scenarios: what a change of credit policy would do to DSO, cash, risk and profit."""

import streamlit as st

from analytics.policy.scenario import MAX_NAME_LENGTH, ScenarioError
from analytics.policy.simulator import comparison_table
from reports import columns
from reports.figures import scenarios as fig
from ui import auth
from ui import scenarios_data as sc
from ui.components import page_header
from ui.context import require_context
from ui.scenarios_link import levers_in_url
from ui.scenarios_parts import HOW_COMPUTED, backtest_cards, result_cards
from ui.tables import table
from ui.text import plain

ctx = require_context()
s, cur = ctx.settings, ctx.currency
page_header("Scenarios", ctx, "baseline = today's policy, scenario = the levers below; yearly "
            "figures in steady state")  # fmt: skip
options = sc.choices(ctx)
sc.init_state(options)
levers_in_url(options)
names = sc.saved_names()
if st.session_state.get("sc_pick") not in [sc.NEW, *names]:
    st.session_state["sc_pick"] = sc.NEW

pick_col, name_col, *buttons = st.columns([3, 3, 1, 1, 1, 1], vertical_alignment="bottom")
pick = pick_col.selectbox("Saved scenarios", [sc.NEW, *names], key="sc_pick",
                          on_change=sc.on_pick, args=(options,))  # fmt: skip
name_col.text_input("Name", key="sc_name", placeholder="e.g. SMB to 60 days",
                    max_chars=MAX_NAME_LENGTH)  # fmt: skip
saved = pick != sc.NEW
if auth.can("save_scenario"):
    buttons[0].button("Save", key="sc_save", on_click=sc.on_save, args=(options,), type="primary",
                      help="Save the levers under this name (replaces a scenario of that name).")  # fmt: skip
    buttons[1].button("Rename", key="sc_rename", on_click=sc.on_rename, disabled=not saved)
    buttons[2].button("Duplicate", key="sc_duplicate", on_click=sc.on_duplicate,
                      disabled=not saved, help="Copy the picked scenario under the name typed "
                      "in Name.")  # fmt: skip
    buttons[3].button("Delete", key="sc_delete", on_click=sc.on_delete, disabled=not saved)
else:
    auth.note_refused("save_scenario")
if note := sc.message():
    getattr(st, note[0])(note[1])

levers, results = st.columns([1, 2.6], gap="medium")
with levers:
    with st.expander("Which customers", expanded=True, icon=":material/filter_alt:"):
        st.caption("Empty = every customer the sidebar keeps.")
        for field in ("segments", "regions", "ratings", "customers"):
            st.multiselect(field.title(), getattr(options, field), key=f"sc_{field}",
                           placeholder="All")  # fmt: skip
    with st.expander("Credit terms and sales", expanded=True, icon=":material/event:"):
        mode = st.radio("Terms", ["change", "set"], key="sc_terms_mode", horizontal=True,
                        format_func={"change": "Change by", "set": "New standard term"}.get)  # fmt: skip
        if mode == "change":
            sc.slider("Change of terms (days)", "terms.days.change", 1, "sc_terms_change")
        else:
            sc.slider("New standard term (days)", "terms.days.set", 1, "sc_terms_set")
        sc.slider("Sales change per +10 days of terms (%)", "sales.elasticity_pct_per_10_days",
                  0.5, "sc_elasticity", help="Elasticity; 0 = sales do not respond to terms.")  # fmt: skip
    with st.expander("Collection effort", icon=":material/call:"):
        sc.slider("Cut in average days late (%)", "collection.late_reduction_pct", 1.0,
                  "sc_late_cut")  # fmt: skip
        st.toggle("Disputed invoices keep their lateness", key="sc_exclude_disputed")
    with st.expander("Credit limits", icon=":material/speed:"):
        rule = st.radio("Limit", ["current", "months_of_sales"], key="sc_limit_rule",
                        format_func={"current": "Today's limits",
                                     "months_of_sales": "Months of sales"}.get, horizontal=True)  # fmt: skip
        if rule == "months_of_sales":
            sc.slider("Months of average monthly sales", "limits.months", 0.5, "sc_limit_months")
        for rating in options.ratings:
            sc.slider(f"Multiplier, rating {rating}", "limits.multipliers", 0.05,
                      sc.mult_key(rating))  # fmt: skip
        sc.slider("Over-limit tolerance (%)", "limits.tolerance_pct", 1.0, "sc_tolerance")
        st.radio("Orders beyond it", ["flag", "block"], key="sc_limit_action", horizontal=True,
                 format_func={"flag": "Flag only", "block": "Block"}.get)  # fmt: skip
    with st.expander("Economics (both sides)", icon=":material/payments:"):
        sc.slider("Cost of capital (% a year)", "economics.cost_of_capital_pct", 0.25, "sc_coc")
        sc.slider("Gross margin (%)", "economics.gross_margin_pct", 0.5, "sc_margin")
        sc.slider("Loss given default (%)", "economics.lgd_pct", 1.0, "sc_lgd")
        sc.slider("Insurance cover (%)", "economics.insurance_cover_pct", 1.0, "sc_cover")
    st.file_uploader("Open a scenario file (JSON)", type=["json"], key="sc_upload",
                     on_change=sc.on_upload, args=(options,))  # fmt: skip

try:
    scenario = sc.scenario_from_state(options)
except ScenarioError as exc:
    st.error(plain(exc))
    st.stop()
r = sc.result(ctx, scenario)
with results:
    if r.customers.empty:
        st.info("No customers in this selection: widen the sidebar filters to simulate.")
        st.stop()
    if not r.n_in_scope:
        st.warning("The scenario's customer choice matches nobody in this view: nothing changes.")
    st.caption(f"{r.n_in_scope:,} of {len(r.customers):,} customers in the scenario.")
    result_cards(ctx, r)
    st.plotly_chart(fig.waterfall(ctx.translate(r.bridge, ["amount"]), cur), key="sc_waterfall")
    d1, d2 = st.columns(2)
    d1.download_button("Excel: assumptions and results", lambda: sc.excel_export(ctx, r),
                       f"{sc.file_stem(scenario.name)}.xlsx", key="sc_excel",
                       icon=":material/download:", on_click="ignore")  # fmt: skip
    d2.download_button("Scenario file (JSON)", scenario.to_json(),
                       f"{sc.file_stem(scenario.name)}.json", "application/json",
                       key="sc_json", icon=":material/download:", on_click="ignore")  # fmt: skip

st.subheader("All figures")
cols = ["baseline", "scenario", "change"]
table(sc.display_table(ctx, comparison_table(r), cols), "scenario-results", key="sc_table",
      columns=columns.scenario_results(cur))  # fmt: skip

st.subheader("Receipts")
unit = st.radio("Periods", ["week", "month"], horizontal=True, key="sc_receipts_unit",
                format_func={"week": "13 weeks", "month": "12 months"}.get)  # fmt: skip
receipts = sc.receipts_table(ctx, r, unit)
st.plotly_chart(fig.receipts_chart(receipts, cur, unit), key="sc_receipts")
table(receipts, f"receipts-by-{unit}", key="sc_receipts_table",
      columns=columns.scenario_receipts(cur))  # fmt: skip

st.subheader("Limit backtest: the last 12 months replayed against the proposed limits")
b = r.backtest
backtest_cards(ctx, b)
table(sc.backtest_invoices(ctx, r), f"invoices-{sc.BACKTEST_VERBS[b.action]}", key="sc_backtest",
      columns=columns.scenario_backtest(cur),
      empty_message="No invoice of the last 12 months went over the proposed limits.")  # fmt: skip

st.subheader("Customers in the scenario")
table(sc.scope_customers(ctx, r), "scenario-customers", key="sc_customers",
      columns=columns.scenario_customers(cur),
      empty_message="The scenario's customer choice matches nobody in this view.")  # fmt: skip

st.subheader(f"Compare saved scenarios (up to {sc.MAX_COMPARED})")
chosen = st.multiselect("Scenarios to compare", names, key="sc_compare", placeholder="Choose",
                        max_selections=sc.MAX_COMPARED)  # fmt: skip
if chosen:
    side_by_side, problems = sc.compared(ctx, chosen)
    for problem in problems:
        st.error(plain(problem))
    if len(side_by_side.columns) > 3:
        shown = sc.display_table(ctx, side_by_side, list(side_by_side.columns[2:]))
        st.plotly_chart(fig.comparison_chart(shown, cur), key="sc_compare_chart")
        table(shown, "scenario-comparison", key="sc_compare_table",
              columns=columns.scenario_comparison(list(shown.columns[2:]), cur))  # fmt: skip
        st.caption("Baseline with the first scenario's economics; each effect is against the "
                   "scenario's own baseline.")  # fmt: skip
else:
    st.info("Save scenarios above, then choose up to three to see them side by side.")

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown(HOW_COMPUTED)
    table(sc.pd_table(ctx, r), "pd-by-rating", key="sc_pd",
          columns=columns.scenario_pd(ctx.currency))  # fmt: skip
