"""The Access page's tables: roles × actions (core/roles.py) and the claim → role mapping."""

from __future__ import annotations

import pandas as pd

from core.roles import ACTION_LABELS, ACTIONS, ROLE_LABELS, ROLES, RoleConfig, allows

from .auth import Identity

YES, NO = "yes", ""


def permissions_frame() -> pd.DataFrame:
    """One row per action, one column per role: "yes" where the role may take it."""
    rows = [
        {"Action": ACTION_LABELS[a], **{ROLE_LABELS[r]: YES if allows(r, a) else NO for r in ROLES}}
        for a in ACTIONS
    ]
    return pd.DataFrame(rows)


def mapping_frame(config: RoleConfig) -> pd.DataFrame:
    """Each configured claim value with its role, then each admin e-mail."""
    rows = [
        {"Claim or e-mail": f"{config.claim} = {value}", "Role": ROLE_LABELS[role]}
        for value, role in sorted(config.claim_roles.items())
    ]
    rows += [
        {"Claim or e-mail": f"email = {email}", "Role": ROLE_LABELS["admin"]}
        for email in sorted(config.admin_emails)
    ]
    return pd.DataFrame(rows, columns=["Claim or e-mail", "Role"])


def rule_text(config: RoleConfig) -> str:
    default = ROLE_LABELS[config.default_role] if config.default_role else "no access"
    return (
        f"A signed-in user gets the highest role any value of the claim “{config.claim}” maps "
        f"to, admin when their e-mail is listed; anyone else gets {default.lower()}. The "
        "mapping is the [ar_roles] table of .streamlit/secrets.toml."
    )


def identity_text(identity: Identity) -> str:
    if identity.is_local:
        return "Single local user (no login configured), with every right."
    role = ROLE_LABELS.get(identity.role, "no role")
    return f"Signed in as {identity.who}, role: {role}."
