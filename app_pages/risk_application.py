"""New customer application: the application scorecard. The applicant's file → points per
factor → grade → recommended terms and starting limit, the policy exceptions it raises, a
decision saved in the workspace, and the applications saved so far."""

import streamlit as st

from analytics.risk.scorecard import DECISIONS, points_arithmetic, score_application
from analytics.risk.scorecard_card import NO_FILE, POLICIES
from analytics.risk.scorecard_view import (
    card_factors_frame,
    card_grades_frame,
    points_frame,
    weights_frame,
)
from core.errors import LedgerError
from reports import format
from ui import application_data as ad
from ui import auth
from ui.components import Card, card_row, money_input, page_header
from ui.tables import table
from ui.text import plain

page_header("New customer application")
st.caption(ad.card_source_text())
try:
    card = ad.card()
except LedgerError as exc:
    card = None
    st.error(f"The scorecard cannot be used: {plain(exc)}")
    st.info("Nothing is scored until the file is fixed; move it out of the data folder to use "
            "the default card instead.")  # fmt: skip

if card is not None:
    factor = {f.name: f for f in card.factors}
    choices = {name: {c.value: c.label for c in factor[name].choices}
               for name in ("payment_references", "industry_risk")}  # fmt: skip
    grades = {c.value: c.label for c in factor["bureau"].choices if c.value != NO_FILE}
    no_file = [ad.NO_BUREAU] if factor["bureau"].choice(NO_FILE) else []
    st.session_state.setdefault("app_limit", "0")

    with st.container(border=True):
        st.markdown("**The application**")
        c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
        c1.text_input("Company name", key="app_name", max_chars=120)
        c2.text_input("Customer ID (if already trading)", key="app_customer", max_chars=40)
        st.toggle("New customer", value=True, key="app_new",
                  help="A new customer starts with part of its limit; off: a review of a "
                  "customer already trading, which gets the grade's limit.")  # fmt: skip
        c1, c2, c3 = st.columns([1, 1.4, 1], vertical_alignment="bottom")
        c1.number_input(
            factor["years_trading"].label, value=None, step=1.0, key="app_years", format="%g"
        )
        c2.radio(factor["bureau"].label, [ad.SCORE, ad.GRADE, *no_file], key="app_bureau_source",
                 index=None, horizontal=True)  # fmt: skip
        source = st.session_state.get("app_bureau_source")
        if source == ad.SCORE:
            c3.number_input(f"Bureau score ({factor['bureau'].bands[0].lower:g} to "
                            f"{factor['bureau'].upper:g})", value=None, step=1.0,
                            key="app_bureau_score", format="%g")  # fmt: skip
        elif source == ad.GRADE:
            c3.selectbox("Bureau grade", list(grades), format_func=grades.get, index=None,
                         key="app_bureau_grade", placeholder="Choose")  # fmt: skip
        c1, c2, c3 = st.columns(3)
        c1.number_input(factor["equity_ratio"].label, value=None, step=1.0, key="app_equity", format="%g",
                        help="Equity ÷ total assets, in percent.")  # fmt: skip
        c2.number_input(factor["current_ratio"].label, value=None, step=0.1, key="app_current", format="%g",
                        help="Current assets ÷ current liabilities.")  # fmt: skip
        c3.number_input(factor["net_margin"].label, value=None, step=0.5, key="app_margin", format="%g",
                        help="Net profit ÷ sales, in percent; a loss is negative.")  # fmt: skip
        c1, c2, c3 = st.columns(3)
        for column, key, name in ((c1, "app_references", "payment_references"),
                                  (c2, "app_industry", "industry_risk")):  # fmt: skip
            column.selectbox(factor[name].label, list(choices[name]), index=None, key=key,
                             format_func=choices[name].get, placeholder="Choose")  # fmt: skip
        c1, c2, _ = st.columns(3)
        limit = money_input(c1, f"Requested limit ({card.currency})", "app_limit")
        c2.number_input("Requested terms (days)", value=None, min_value=0, step=15, key="app_terms")

    scoring = None
    if missing := ad.missing_fields(card, limit):
        st.info(f"Still to fill in: {', '.join(missing)}.")
    else:
        try:
            scoring = score_application(card, ad.application_from_form(limit))
        except LedgerError as exc:
            st.error(plain(exc))

if card is not None and scoring is not None:
    rec, money = scoring.recommendation, lambda x: format.money(x, card.currency, compact=False)
    card_row([
        Card("Total points", f"{scoring.total:g} of {card.max_points:g}"),
        Card("Grade", rec.grade, f"Total points {ad.grade_band(scoring)}.", caption=POLICIES[rec.policy]),
        Card("Recommended terms", f"{rec.terms_days} days" if rec.terms_days else "Prepayment"),
        Card("Starting limit", money(rec.starting_limit),
             f"The grade's limit for this request: {money(rec.full_limit)}."),
    ])  # fmt: skip
    table(points_frame(scoring), "application-points", key="app_points_table",
          columns=ad.points_columns())  # fmt: skip
    st.markdown("\n".join(f"- {line}" for line in
                          (f"Points: {points_arithmetic(scoring)}.", *rec.arithmetic)))  # fmt: skip
    if scoring.exceptions:
        st.warning("**Outside the card's policy:**\n" + "\n".join(
            f"- **{e.needs}**: {e.reason}" for e in scoring.exceptions))  # fmt: skip
    else:
        st.success(f"Within grade {rec.grade}'s policy: no exception.")

    st.subheader("Decision")
    if not auth.can("record_application"):
        auth.note_refused("record_application")
    else:
        decision = st.radio("Decision", DECISIONS, key="app_decision", horizontal=True, index=None,
                            format_func=str.capitalize)  # fmt: skip
        d1, d2 = st.columns([4, 1], vertical_alignment="bottom")
        reason = d1.text_input("Reason or conditions", key="app_reason", max_chars=300,
                               help="Needed for an override and for conditions.")  # fmt: skip
        if d2.button("Save", key="app_save", type="primary", width="stretch"):
            try:
                number = ad.save(scoring, decision, reason)
                st.success(f"Saved as application {number}: {decision}.")
            except LedgerError as exc:
                st.error(f"Not saved. {plain(exc)}")

st.subheader("Saved applications")
try:
    table(ad.saved_applications(), "credit-applications", key="app_saved_table",
          columns=ad.saved_columns(), empty_message="No application has been saved yet.")  # fmt: skip
except LedgerError as exc:  # e.g. a workspace written by a newer version of the app
    st.error(plain(exc))

if card is not None:
    with st.expander("Scorecard in force", icon=":material/rule:"):
        st.caption(ad.card_source_text())
        st.markdown("**Weights**: the most points each factor can give")
        table(weights_frame(card), "scorecard-weights", key="app_card_weights",
              columns=ad.weight_columns())  # fmt: skip
        st.markdown("**Bands and choices**")
        bands = card_factors_frame(card)
        table(bands, "scorecard-bands", key="app_card_bands", columns=ad.card_factor_columns(),
              height=ad.full_height(bands))  # fmt: skip
        st.markdown("**Grades**: by total points, and what each is offered")
        table(card_grades_frame(card), "scorecard-grades", key="app_card_grades",
              columns=ad.grade_columns(card.currency))  # fmt: skip
        s = card.staging
        st.caption(f"A new customer starts with {s.share * 100:g} % of its grade's limit for its "
                   f"first {s.months} months, then the full limit after {s.months} months in "
                   f"which nothing was paid more than {s.late_days} days late. Limits are "
                   f"rounded down to a multiple of {card.round_to:,.0f} {card.currency}.")  # fmt: skip

with st.expander("How this is computed", icon=":material/functions:"):
    st.markdown(ad.HOW_COMPUTED)
