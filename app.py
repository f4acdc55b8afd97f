"""Receivables & credit-risk dashboard: navigation and the shared sidebar."""

import streamlit as st

from ui import auth, components, errors, sidebar

st.set_page_config(page_title="Receivables & credit risk", page_icon="📒", layout="wide")
auth.gate()  # with a login configured: nothing until a user with a role is signed in

PAGES = {
    "Portfolio": [
        st.Page(
            "app_pages/overview.py", title="Overview", icon=":material/dashboard:", default=True
        ),
        st.Page("app_pages/aging.py", title="Aging", icon=":material/hourglass_bottom:"),
        st.Page("app_pages/dso.py", title="DSO & collections", icon=":material/timer:"),
        st.Page("app_pages/concentration.py", title="Concentration", icon=":material/donut_large:"),
        st.Page("app_pages/limits.py", title="Credit limits", icon=":material/speed:"),
        st.Page("app_pages/compare.py", title="Compare dates", icon=":material/compare_arrows:"),
    ],
    "Risk": [
        st.Page("app_pages/risk_ecl.py", title="Expected credit loss", icon=":material/shield:"),
        st.Page("app_pages/risk_grades.py", title="Grades and PD", icon=":material/grade:"),
        st.Page("app_pages/risk_limits.py", title="Limits review", icon=":material/rule:"),
        st.Page(
            "app_pages/risk_application.py",
            title="New customer application",
            icon=":material/assignment_add:",
        ),
    ],
    "Collections": [
        st.Page("app_pages/collections.py", title="Worklist", icon=":material/checklist:"),
        st.Page(  # url path "watchlist" as before, whatever the section
            "app_pages/watchlist.py", title="Watchlist", icon=":material/notification_important:"
        ),
        st.Page("app_pages/disputes.py", title="Disputes", icon=":material/gavel:"),
    ],
    "Committee": [
        st.Page("app_pages/committee.py", title="What changed", icon=":material/difference:"),
    ],
    "Customers": [
        st.Page("app_pages/customer.py", title="Customer", icon=":material/person:"),
    ],
    "Treasury": [
        st.Page("app_pages/cashflow.py", title="Cash flow", icon=":material/payments:"),
    ],
    "Policy": [
        st.Page("app_pages/scenarios.py", title="Scenarios", icon=":material/tune:"),
    ],
    "Ledger": [
        st.Page("app_pages/data.py", title="Data", icon=":material/database:"),
    ],
    "Admin": [  # hidden from the roles that may not open them; a direct link is refused
        st.Page(
            "app_pages/audit.py",
            title="Audit trail",
            icon=":material/history:",
            visibility=auth.visibility("audit"),
        ),
        st.Page(
            "app_pages/access.py",
            title="Access",
            icon=":material/admin_panel_settings:",
            visibility=auth.visibility("access"),
        ),
    ],
}

navigation = st.navigation(PAGES, expanded=True)  # every page in view (18 of them)
components.page_style()
sidebar.render()
auth.sidebar_identity()
with errors.shown_with_id():  # a traceback goes to the log, the user gets its id
    navigation.run()
