"""Access: what each role may do, how roles are given, and who is signed in (admins only)."""

import streamlit as st

from ui import access_data as acc
from ui import auth
from ui.components import page_header
from ui.tables import table

page_header("Access")
auth.require_page("access")

st.subheader("Who may do what")
table(acc.permissions_frame(), "roles-and-actions", key="acc_roles", height="content")

st.subheader("How roles are given")
if not auth.login_configured():
    st.info(
        "No login is configured: the app runs for a single local user with every right. "
        "docs/security.md says how to add a login provider and give roles."
    )
else:
    config = auth.role_config()
    st.caption(acc.rule_text(config))
    table(acc.mapping_frame(config), "role-mapping", key="acc_mapping",
          empty_message="No claim value is mapped to a role.")  # fmt: skip

st.subheader("You")
st.caption(acc.identity_text(auth.current()))
