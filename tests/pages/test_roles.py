"""Pages and buttons follow the role: each role (and the single local user without login)
opens the pages its role may open, is refused the others in one message, and sees exactly the
buttons of the actions its role allows (core.roles is the table).

Only the pages that ask ``ui.auth`` anything can differ by role: those are swept for every
role here (a test below finds them all), and every page renders in tests/pages/test_odd_ledgers.py.

Users are AppTest's ``at.user`` (what ``st.user`` returns after an OIDC login) with the
``[auth]`` and ``[ar_roles]`` tables in ``at.secrets``."""

from __future__ import annotations

import ast
import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from core.roles import ROLES, allows, may_open
from tests.pages.conftest import APP, ROOT, TIMEOUT
from tests.pages.test_odd_ledgers import PAGES
from tests.pages.test_risk_application import fill
from ui.auth import LOCAL_CAPTION
from ui.settings import DATA_DIR_ENV

SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-secret",
        "client_id": "dashboard",
        "client_secret": "not-a-secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    },
    "ar_roles": {
        "claim": "groups",
        "map": {"ar-viewers": "viewer", "collections": "collector", "committee": "credit_manager"},
        "admin_emails": ["boss@example.com"],
    },
}
USERS = {
    "viewer": {"is_logged_in": True, "email": "vera@example.com", "groups": ["ar-viewers"]},
    "collector": {"is_logged_in": True, "email": "cole@example.com", "groups": ["collections"]},
    "credit_manager": {"is_logged_in": True, "email": "mia@example.com", "groups": ["committee"]},
    "admin": {"is_logged_in": True, "email": "boss@example.com", "groups": []},
}
REFUSED = "does not allow this"


def has_button(key: str):
    return lambda at: any(b.key == key or (b.key or "").endswith(key) for b in at.button)


def has_download(key: str):
    return lambda at: any(e.proto.id.endswith(key) for e in at.get("download_button"))


# action -> (page, whether its control is on the page); record_application below
CONTROLS = {
    "load_ledger": ("data", has_button("data_load")),
    "save_scenario": ("scenarios", has_button("sc_save")),
    "take_snapshot": ("committee", has_button("cm_take")),
    "make_pack": ("committee", has_download("pack_pdf")),
    "record_decision": ("committee", has_button("cm_decision-Record decision")),
    "record_collections": ("collections", has_button("coll_promise_form-Save promise")),
    "view_audit": ("audit", lambda at: not any(REFUSED in e.value for e in at.error)),
    "manage_roles": ("access", lambda at: not any(REFUSED in e.value for e in at.error)),
}
# the pages whose content depends on the role: a gated page, or one with a gated control
ROLE_PAGES = {page: PAGES[page] for page in
              ("data", "scenarios", "committee", "collections", "disputes", "risk_application",
               "audit", "access")}  # fmt: skip


@pytest.fixture
def data_dir(sample_data_dir, tmp_path, monkeypatch):
    """The sample ledger in a data folder of its own: the workspace stays in this test."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(sample_data_dir / "ledger.duckdb", folder / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


def app_as(role: str | None) -> AppTest:
    """The app for a signed-in user of ``role`` (None: no login configured), run once."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if role is not None:
        at.secrets, at.user = SECRETS, USERS[role]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("role", [*ROLES, None], ids=lambda r: r or "local user")
def test_every_page_and_button_follows_the_role(data_dir, role):
    at = app_as(role)
    rights = "admin" if role is None else role  # the local user has every right
    wrong = []
    for page, title in ROLE_PAGES.items():
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title and at.title[0].value == title, page
        refused = [e.value for e in at.error if REFUSED in e.value]
        if bool(refused) == may_open(rights, page) or len(refused) > 1:
            wrong.append(f"{page}: refusals {refused}")
        for action, (on_page, present) in CONTROLS.items():
            if on_page == page and present(at) != allows(rights, action):
                wrong.append(f"{page}: {action} shown={present(at)}")
    assert not wrong, wrong


@pytest.mark.parametrize("role", ROLES)
def test_only_a_credit_manager_or_admin_saves_an_application(data_dir, role):
    at = app_as(role)
    at.switch_page("app_pages/risk_application.py").run()
    fill(at)
    assert has_button("app_save")(at) == allows(role, "record_application")
    assert any(REFUSED in c.value for c in at.caption) != allows(role, "record_application")


def test_the_sidebar_says_who_is_signed_in_or_that_there_is_no_login(data_dir):
    captions = [c.value for c in app_as(None).sidebar.caption]
    assert LOCAL_CAPTION in captions
    captions = [c.value for c in app_as("collector").sidebar.caption]
    assert "Signed in as cole@example.com · Collector" in captions
    assert LOCAL_CAPTION not in captions


def test_before_login_only_the_login_button_shows(data_dir):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets, at.user = SECRETS, {"is_logged_in": False}
    at.run()
    assert [b.label for b in at.button] == ["Log in"]
    assert not at.sidebar.caption and not at.metric  # no figure before login


def test_an_account_with_no_role_is_told_so_and_sees_nothing(data_dir):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets = SECRETS
    at.user = {"is_logged_in": True, "email": "stranger@example.com", "groups": ["staff"]}
    at.run()
    assert "has no role" in at.warning[0].value and [b.label for b in at.button] == ["Log out"]
    assert not at.metric


def test_bad_roles_settings_are_said_in_one_message(data_dir):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.secrets = {**SECRETS, "ar_roles": {"map": {"g": "superuser"}}}
    at.user = USERS["viewer"]
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "The login settings in .streamlit/secrets.toml are wrong: [ar_roles.map] 'g': unknown "
        "role 'superuser', one of viewer, collector, credit_manager, admin"
    ]


def test_a_signed_in_users_changes_are_recorded_in_their_name(data_dir):
    at = app_as("credit_manager")
    at.switch_page("app_pages/scenarios.py").run()
    at.text_input(key="sc_name").set_value("Mia's plan")
    at.button(key="sc_save").click().run()
    assert not at.exception
    at.switch_page("app_pages/audit.py").run()
    table = at.dataframe[0].value
    assert list(zip(table["who"], table["entity"], table["entity_key"], strict=True)) == [
        ("mia@example.com", "scenario", "Mia's plan")
    ]


def gated_helpers() -> set[str]:
    """The ui functions that ask ui.auth whether to draw something."""
    names = set()
    for path in (ROOT / "ui").glob("*.py"):
        if path.name == "auth.py":
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and re.search(
                r"auth\.(can|require\w*|note_refused)\(", ast.unparse(node)
            ):
                names.add(node.name)
    return names


def test_every_page_whose_content_depends_on_the_role_is_swept_above():
    """A page differs by role only through ui.auth: its own calls, or a ui helper it calls
    that asks ui.auth whether to draw a control."""
    helpers = gated_helpers()
    assert {"record_section", "take_button", "pack_buttons", "decision_form"} <= helpers
    for path in (ROOT / "app_pages").glob("*.py"):
        text = path.read_text()
        if "auth." in text or any(re.search(rf"\b{h}\(", text) for h in helpers):
            assert path.stem in ROLE_PAGES, path.name
