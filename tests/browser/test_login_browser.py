"""A real login: Streamlit's st.login against a mock OpenID Connect provider on loopback
(oidc-provider-mock), in headless Chromium. A credit manager signs in, sees the Audit trail in
the navigation and not Access, and logs out; a viewer signs in, sees no Audit trail and no Load
button, and a direct link to the Audit trail is refused. Every other role × page × button is
in tests/pages/test_roles.py (AppTest)."""

from __future__ import annotations

import re

import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import Page, expect

from tests.browser.conftest import PW_TIMEOUT_MS, _free_port, run_streamlit

USERS = [
    User(sub="mia", claims={"email": "mia@example.com", "email_verified": True,
                            "groups": ["credit-committee"]}),
    User(sub="vera", claims={"email": "vera@example.com", "email_verified": True,
                             "groups": ["ar-viewers"]}),
]  # fmt: skip
WAIT = 60_000  # ms: a page under a loaded CI machine
SECRETS = """
[auth]
redirect_uri = "{app}/oauth2callback"
cookie_secret = "a-cookie-secret-for-the-login-test-only"
client_id = "ar-dashboard"
client_secret = "anything"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[ar_roles]
claim = "groups"
[ar_roles.map]
"ar-viewers" = "viewer"
"credit-committee" = "credit_manager"
"""


@pytest.fixture(scope="module")
def provider():
    """The mock provider on loopback, with two users it knows."""
    with run_server_in_thread(user_claims=USERS) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def login_app(browser_data_dir, provider, tmp_path_factory):
    """The app with a secrets file whose [auth] points at the mock provider."""
    folder = tmp_path_factory.mktemp("login")
    port = _free_port()
    app = f"http://127.0.0.1:{port}"
    secrets = folder / "secrets.toml"
    secrets.write_text(SECRETS.format(app=app, provider=provider))
    with run_streamlit(browser_data_dir, folder, "--secrets.files", str(secrets), port=port):
        yield app


def sign_in(page: Page, app: str, sub: str) -> None:
    """From the app's login page through the provider's form, back to the app."""
    page.goto(app, wait_until="domcontentloaded")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/oauth2/authorize"))
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(re.compile(re.escape(app)))
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as", timeout=60_000)


@pytest.mark.browser
def test_users_sign_in_and_see_what_their_role_allows(chromium_browser, login_app, provider):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    context.set_default_timeout(PW_TIMEOUT_MS)
    allowed = (login_app, provider)
    context.route(lambda url: not url.startswith(allowed), lambda route: route.abort())
    page = context.new_page()
    sidebar = page.get_by_test_id("stSidebar")
    try:
        sign_in(page, login_app, "mia")
        expect(sidebar).to_contain_text(
            "Signed in as mia@example.com · Credit manager", timeout=WAIT
        )
        expect(sidebar.get_by_role("link", name="Audit trail")).to_be_visible(timeout=WAIT)
        expect(sidebar.get_by_role("link", name="Access")).to_have_count(0, timeout=WAIT)
        sidebar.get_by_role("button", name="Log out").click()  # the provider's end session
        page.get_by_role("button", name="End session").click()
        expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=WAIT)

        sign_in(page, login_app, "vera")
        expect(sidebar).to_contain_text("Signed in as vera@example.com · Viewer", timeout=WAIT)
        expect(sidebar.get_by_role("link", name="Audit trail")).to_have_count(0, timeout=WAIT)
        expect(sidebar.get_by_text("Admin", exact=True)).to_have_count(0)  # no empty section
        page.goto(f"{login_app}/data", wait_until="domcontentloaded")
        expect(page.get_by_text("does not allow this: load or replace a ledger")).to_be_visible(
            timeout=WAIT
        )
        expect(page.get_by_role("button", name="Load")).to_have_count(0, timeout=WAIT)
        page.goto(f"{login_app}/audit", wait_until="domcontentloaded")
        expect(page.get_by_text("does not allow this: read and export the audit")).to_be_visible(
            timeout=WAIT
        )
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0, timeout=WAIT)
    finally:
        context.close()
