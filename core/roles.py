"""Who may do what: four roles, the actions each allows, and the role of a signed-in user.

Roles are ordered; each allows what the one before it allows, and more (docs/security.md):

=================  ==========================================================================
role               may
=================  ==========================================================================
``viewer``         read every page, download every table
``collector``      + record collection notes, promises, payment plans, disputes, owners
``credit_manager`` + load ledgers, save scenarios, record decisions and limit changes, save
                   credit applications, take snapshots, make committee packs, read the audit
``admin``          + see who has which role (the Access page)
=================  ==========================================================================

A user's role comes from the identity claims the login provider sends (``role_for``), read
through the ``[ar_roles]`` table of ``.streamlit/secrets.toml`` (``RoleConfig.from_mapping``):
the e-mail addresses of the admins, the claim that carries groups or roles, and which claim
value means which role. Nothing matches: no role (deny by default), unless a
``default_role`` is set. Pure functions: no Streamlit here, so every rule is unit-tested.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

VIEWER, COLLECTOR, CREDIT_MANAGER, ADMIN = "viewer", "collector", "credit_manager", "admin"
ROLES: tuple[str, ...] = (VIEWER, COLLECTOR, CREDIT_MANAGER, ADMIN)  # least to most
ROLE_LABELS = {VIEWER: "Viewer", COLLECTOR: "Collector", CREDIT_MANAGER: "Credit manager",
               ADMIN: "Admin"}  # fmt: skip

# action -> the least role that may take it
ACTIONS: dict[str, str] = {
    "view": VIEWER,
    "download": VIEWER,
    "record_collections": COLLECTOR,  # notes, promises, plans, disputes, owners, cancels
    "load_ledger": CREDIT_MANAGER,
    "save_scenario": CREDIT_MANAGER,  # save, rename, duplicate, delete
    "record_decision": CREDIT_MANAGER,  # committee decisions, limit and terms changes
    "record_application": CREDIT_MANAGER,  # a scored new-customer application
    "take_snapshot": CREDIT_MANAGER,
    "make_pack": CREDIT_MANAGER,
    "view_audit": CREDIT_MANAGER,
    "manage_roles": ADMIN,
}
ACTION_LABELS = {
    "view": "Read every page",
    "download": "Download tables (CSV, Excel)",
    "record_collections": "Record notes, promises, plans, disputes, owners",
    "load_ledger": "Load or replace a ledger",
    "save_scenario": "Save, rename, duplicate, delete scenarios",
    "record_decision": "Record committee decisions and limit changes",
    "record_application": "Save a credit application's decision",
    "take_snapshot": "Take committee snapshots",
    "make_pack": "Make the committee pack (PDF, workbook)",
    "view_audit": "Read and export the audit trail",
    "manage_roles": "See who has which role",
}

# a page (its url path) that needs more than "view" to open; every other page is for everyone
PAGE_ACTIONS: dict[str, str] = {"audit": "view_audit", "access": "manage_roles"}


class RoleConfigError(ValueError):
    """A bad ``[ar_roles]`` table: the message names the key."""


@dataclass(frozen=True)
class RoleConfig:
    """How identity claims map to roles (the ``[ar_roles]`` table of secrets.toml)."""

    claim: str = "groups"  # the claim holding the user's groups or roles (a list or a text)
    claim_roles: Mapping[str, str] = field(default_factory=dict)  # claim value -> role
    admin_emails: frozenset[str] = frozenset()  # lower case
    default_role: str | None = None  # a signed-in user nothing matches; None: no access

    @classmethod
    def from_mapping(cls, table: Mapping | None) -> RoleConfig:
        """Read the ``[ar_roles]`` table (None or empty: the defaults); RoleConfigError
        naming the key when a value is not what it should be."""
        table = dict(table or {})
        claim = table.get("claim", "groups")
        if not isinstance(claim, str) or not claim.strip():
            raise RoleConfigError(f"[ar_roles] claim must be a claim name, got {claim!r}")
        roles = dict(table.get("map") or {})
        for value, role in roles.items():
            _check_role(role, f"[ar_roles.map] {value!r}")
        emails = table.get("admin_emails") or []
        if isinstance(emails, str) or not all(isinstance(e, str) for e in emails):
            raise RoleConfigError(
                f"[ar_roles] admin_emails must be a list of e-mail addresses, got {emails!r}"
            )
        default = table.get("default_role") or None
        if default is not None:
            _check_role(default, "[ar_roles] default_role")
        return cls(claim.strip(), roles, frozenset(e.strip().lower() for e in emails), default)


def _check_role(role: object, where: str) -> None:
    if role not in ROLES:
        raise RoleConfigError(f"{where}: unknown role {role!r}, one of {', '.join(ROLES)}")


def claim_values(claims: Mapping, name: str) -> list[str]:
    """The values of claim ``name``: a list as it is, one text as a one-item list (a
    comma- or space-separated text split), missing as none."""
    value = claims.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return [v for v in value.replace(",", " ").split() if v]
    if isinstance(value, list | tuple | set | frozenset):
        return [str(v) for v in value]
    return [str(value)]


def highest(roles) -> str | None:
    """The most powerful of ``roles`` (None for none)."""
    ranked = [ROLES.index(r) for r in roles if r in ROLES]
    return ROLES[max(ranked)] if ranked else None


def role_for(claims: Mapping, config: RoleConfig) -> str | None:
    """The role of a signed-in user from the identity claims (``st.user``): admin when the
    verified e-mail is in ``admin_emails``; else the highest role any value of the
    configured claim maps to; else ``default_role`` (None: no access).

    An e-mail the provider marks unverified (``email_verified`` false) does not make an admin.
    """
    email = str(claims.get("email") or "").strip().lower()
    verified = claims.get("email_verified", True) not in (False, "false")
    if email and verified and email in config.admin_emails:
        return ADMIN
    mapped = [config.claim_roles.get(v) for v in claim_values(claims, config.claim)]
    return highest(r for r in mapped if r) or config.default_role


def allows(role: str | None, action: str) -> bool:
    """Whether ``role`` may take ``action`` (an unknown action: KeyError, a typo is a bug)."""
    needed = ACTIONS[action]
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def may_open(role: str | None, page: str) -> bool:
    """Whether ``role`` may open the page at url path ``page`` (e.g. "audit")."""
    return allows(role, PAGE_ACTIONS.get(page, "view"))


def actions_of(role: str | None) -> list[str]:
    """Every action ``role`` may take, in ``ACTIONS`` order."""
    return [a for a in ACTIONS if allows(role, a)]
