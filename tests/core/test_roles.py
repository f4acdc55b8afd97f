"""Roles: each role allows what the one below it allows and more; a user's role comes from the
identity claims through the [ar_roles] table only (deny by default)."""

from __future__ import annotations

import pytest

from core.roles import (
    ACTIONS,
    ADMIN,
    COLLECTOR,
    CREDIT_MANAGER,
    ROLES,
    VIEWER,
    RoleConfig,
    RoleConfigError,
    actions_of,
    allows,
    claim_values,
    highest,
    may_open,
    role_for,
)

CONFIG = RoleConfig.from_mapping(
    {
        "claim": "groups",
        "map": {"ar-viewers": "viewer", "collections": "collector", "committee": "credit_manager"},
        "admin_emails": ["Boss@Example.com"],
    }
)

# role -> the actions it may take (the table of docs/security.md)
EXPECTED = {
    VIEWER: {"view", "download"},
    COLLECTOR: {"view", "download", "record_collections"},
    CREDIT_MANAGER: {
        "view",
        "download",
        "record_collections",
        "load_ledger",
        "save_scenario",
        "record_decision",
        "record_application",
        "take_snapshot",
        "make_pack",
        "view_audit",
    },  # fmt: skip
    ADMIN: set(ACTIONS),
    None: set(),
}


@pytest.mark.parametrize("role", [*ROLES, None])
def test_each_role_may_take_exactly_its_actions(role):
    assert set(actions_of(role)) == EXPECTED[role]
    for action in ACTIONS:
        assert allows(role, action) == (action in EXPECTED[role])


def test_a_higher_role_allows_everything_a_lower_one_does():
    for lower, higher in zip(ROLES, ROLES[1:], strict=False):
        assert set(actions_of(lower)) < set(actions_of(higher))


def test_an_unknown_action_is_a_bug_not_a_refusal():
    with pytest.raises(KeyError):
        allows(ADMIN, "record_decsion")


@pytest.mark.parametrize(
    ("claims", "role"),
    [
        ({"email": "vera@example.com", "groups": ["ar-viewers"]}, VIEWER),
        ({"email": "cole@example.com", "groups": ["collections", "staff"]}, COLLECTOR),
        # two groups: the highest role wins (credit manager over viewer)
        ({"email": "mia@example.com", "groups": ["ar-viewers", "committee"]}, CREDIT_MANAGER),
        # the admin list is matched without case, whatever the groups say
        ({"email": "boss@example.com", "groups": ["ar-viewers"]}, ADMIN),
        # an unverified e-mail on the admin list does not make an admin
        ({"email": "boss@example.com", "email_verified": False}, None),
        # a claim given as one text: "committee staff" splits at spaces
        ({"email": "t@example.com", "groups": "committee staff"}, CREDIT_MANAGER),
        # nothing matches: no role (deny by default); a group named like a role is not a role
        ({"email": "x@example.com", "groups": ["staff", "admin"]}, None),
        ({"email": "x@example.com"}, None),
        ({}, None),
    ],
)
def test_the_role_of_a_user_comes_from_the_configured_claim(claims, role):
    assert role_for(claims, CONFIG) == role


def test_a_default_role_applies_to_whoever_nothing_matches():
    config = RoleConfig.from_mapping({"default_role": "viewer"})
    assert role_for({"email": "x@example.com"}, config) == VIEWER


def test_the_claim_name_is_configurable():
    config = RoleConfig.from_mapping({"claim": "roles", "map": {"AR.Manager": "credit_manager"}})
    assert role_for({"roles": ["AR.Manager"], "groups": ["committee"]}, config) == CREDIT_MANAGER
    assert role_for({"groups": ["AR.Manager"]}, config) is None


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"map": {"g": "superuser"}}, "[ar_roles.map] 'g': unknown role 'superuser'"),
        ({"default_role": "boss"}, "[ar_roles] default_role: unknown role 'boss'"),
        ({"admin_emails": "a@example.com"}, "[ar_roles] admin_emails must be a list"),
        ({"claim": ""}, "[ar_roles] claim must be a claim name"),
    ],
)
def test_a_bad_roles_table_is_refused_naming_the_key(table, message):
    with pytest.raises(RoleConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        RoleConfig.from_mapping(table)


def test_no_roles_table_gives_the_defaults():
    assert RoleConfig.from_mapping(None) == RoleConfig()


@pytest.mark.parametrize(
    ("value", "values"),
    [(["a", "b"], ["a", "b"]), ("a, b c", ["a", "b", "c"]), (None, []), (7, ["7"])],
)
def test_claim_values(value, values):
    assert claim_values({"groups": value}, "groups") == values


def test_highest():
    assert highest(["viewer", "admin", "collector"]) == ADMIN
    assert highest(["nobody"]) is None and highest([]) is None


@pytest.mark.parametrize(
    ("page", "roles"),
    [
        ("audit", {CREDIT_MANAGER, ADMIN}),
        ("access", {ADMIN}),
        ("aging", set(ROLES)),  # every other page: everyone with a role
        ("data", set(ROLES)),  # its Load part needs load_ledger, the page does not
    ],
)
def test_which_roles_may_open_a_page(page, roles):
    assert {r for r in ROLES if may_open(r, page)} == roles
    assert not may_open(None, page)


def test_the_roles_table_of_docs_security_md_is_this_one():
    from pathlib import Path

    from core.roles import ACTION_LABELS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
    rows = {}
    for line in doc.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0] in ACTION_LABELS.values():
            rows[cells[0]] = [c == "yes" for c in cells[1:]]
    assert rows == {
        label: [allows(role, action) for role in ROLES] for action, label in ACTION_LABELS.items()
    }
