"""Who is using the app and what their role lets them do (core/roles.py has the rules).

Login is on when ``.streamlit/secrets.toml`` has an ``[auth]`` table (Streamlit's
``st.login``, OIDC); ``[ar_roles]`` says which identity claim carries the roles
(docs/security.md, .streamlit/secrets.toml.example). Without ``[auth]`` the app runs for a
single local user with every right and says so in the sidebar.

Pages ask ``can(action)`` before drawing a button that records something (``note_refused``
says why where it would be; ``require_section`` stops the rest of a page), and
``require_page(page)`` at the top of a page some roles may not open; app.py hides such pages
from the navigation with ``visibility(page)`` and stops at ``gate()`` until a user with a role
is signed in. ``who()`` is the name the workspace's audit trail records.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from core.roles import (
    ACTION_LABELS,
    ADMIN,
    PAGE_ACTIONS,
    ROLE_LABELS,
    RoleConfig,
    RoleConfigError,
    allows,
    may_open,
    role_for,
)
from stores.workspace import DEFAULT_WHO

from .text import plain

LOGIN_TABLE = "auth"  # Streamlit's own table: redirect_uri, cookie_secret, client_id, …
ROLES_TABLE = "ar_roles"  # ours: claim, map, admin_emails, default_role
LOCAL_CAPTION = "Single local user — no login configured"


@dataclass(frozen=True)
class Identity:
    """The user of this session: the name the audit records, the role (None: none), and
    whether the app runs without login (a single local user)."""

    who: str
    role: str | None
    is_local: bool = False
    is_signed_in: bool = True


LOCAL = Identity(DEFAULT_WHO, ADMIN, is_local=True)
SIGNED_OUT = Identity("", None, is_signed_in=False)


def secrets_table(name: str) -> Mapping | None:
    """One table of secrets.toml (None when the file or the table is missing)."""
    try:
        value = st.secrets.get(name)
    except (StreamlitSecretNotFoundError, FileNotFoundError):
        return None
    return value if isinstance(value, Mapping) and value else None


def login_configured() -> bool:
    return secrets_table(LOGIN_TABLE) is not None


def role_config() -> RoleConfig:
    return RoleConfig.from_mapping(secrets_table(ROLES_TABLE))


def current() -> Identity:
    """This session's identity: LOCAL without login, SIGNED_OUT before login, else the
    signed-in user's e-mail (or subject) and role."""
    if not login_configured():
        return LOCAL
    if not st.user.is_logged_in:
        return SIGNED_OUT
    claims = st.user.to_dict()
    name = str(claims.get("email") or claims.get("sub") or "").strip()
    return Identity(name or "unnamed user", role_for(claims, role_config()))


def can(action: str) -> bool:
    """Whether this session's user may take ``action`` (core.roles.ACTIONS)."""
    return allows(current().role, action)


def visibility(page: str) -> str:
    """``st.Page``'s visibility for the page at url path ``page``: hidden from the navigation
    of a role that may not open it (core.roles.PAGE_ACTIONS); a direct link still runs the
    page, which refuses (``require_page``)."""
    return "visible" if may_open(current().role, page) else "hidden"


def who(typed: str | None = None) -> str:
    """The name changes are recorded in: the signed-in user, else what the local user typed
    (e.g. the Worklist's *Your name*), else "local user"."""
    identity = current()
    if not identity.is_local:
        return identity.who
    return (typed or "").strip() or DEFAULT_WHO


def refusal(action: str) -> str:
    """The one message a user sees for something their role does not allow."""
    role = current().role
    label = ROLE_LABELS.get(role, "No role")
    return (
        f"Your role ({label}) does not allow this: {ACTION_LABELS[action].lower()}. "
        "Ask an administrator for a role that does."
    )


def require(action: str) -> None:
    """Stop the page with the refusal unless the user may take ``action``."""
    if not can(action):
        st.error(refusal(action), icon=":material/lock:")
        st.stop()


def require_page(page: str) -> None:
    """Stop the page at url path ``page`` with the refusal unless the role may open it."""
    require(PAGE_ACTIONS.get(page, "view"))


def note_refused(action: str) -> None:
    """A caption where a refused button would be."""
    st.caption(f":material/lock: {refusal(action)}")


def require_section(action: str) -> None:
    """Stop the rest of the page with the refusal as a caption unless the user may take
    ``action`` (the page above it stays: e.g. the Data page's ledger without Load)."""
    if not can(action):
        note_refused(action)
        st.stop()


# --- the login screen and the sidebar ------------------------------------------------------


def providers() -> list[str | None]:
    """The login providers of ``[auth]``: None for the one it holds itself (client_id …),
    then each named ``[auth.<name>]`` table."""
    table = secrets_table(LOGIN_TABLE) or {}
    named = [name for name, value in table.items() if isinstance(value, Mapping)]
    return ([None] if "client_id" in table else []) + named


def gate() -> None:
    """Stop the run until a user with a role is signed in (nothing to do without login): a
    login button before, a refusal for an account with no role, one message for bad
    ``[ar_roles]`` settings."""
    try:
        identity = current()
    except RoleConfigError as exc:
        st.error(f"The login settings in .streamlit/secrets.toml are wrong: {exc}")
        st.stop()
    if identity.is_local or identity.role is not None:
        return
    st.title("Receivables & credit risk")
    if not identity.is_signed_in:
        st.write("Sign in to see the receivables, the risk and the committee's records.")
        for provider in providers():
            label = "Log in" if provider is None else f"Log in with {provider.capitalize()}"
            args = () if provider is None else (provider,)
            st.button(label, key=f"auth_login_{provider}", type="primary", on_click=st.login,
                      args=args, icon=":material/login:")  # fmt: skip
    else:
        st.warning(
            f"You are signed in as {plain(identity.who)}, but this account has no role in the "
            "dashboard. Ask an administrator to give it one.",
            icon=":material/lock:",
        )
        st.button("Log out", key="auth_logout_norole", on_click=st.logout)
    st.stop()


def sidebar_identity() -> None:
    """Who is using the app, at the foot of the sidebar, and the Log out button."""
    identity = current()
    if identity.is_local:
        st.sidebar.caption(LOCAL_CAPTION)
        return
    role = ROLE_LABELS.get(identity.role, "no role")
    st.sidebar.caption(f"Signed in as {plain(identity.who)} · {role}")
    st.sidebar.button("Log out", key="auth_logout", on_click=st.logout, icon=":material/logout:")
