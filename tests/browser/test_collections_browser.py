"""Collections in a real browser: open the worklist, record a call and a promise for a
customer, reload the app (a new session) and find them, then move the as-of date past the
promise's date and tolerance with no payment and see it broken. Screenshots under
screenshots/."""

from __future__ import annotations

import re
import shutil
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from analytics.risk.collections import WorklistOptions, worklist
from engines import facts
from engines.duckdb.engine import connect
from stores.collections import CollectionsStore
from stores.workspace import Workspace, workspace_path
from tests.browser.conftest import SHOTS
from tests.browser.helpers import full_screenshot, no_errors, wait_for_app_idle

pytestmark = pytest.mark.browser
MADE = date(2026, 9, 1)
DUE = MADE + timedelta(days=7)  # the form's default promised date
AFTER = DUE + timedelta(days=3 + 4)  # past the 3 days' tolerance


def quiet_customer(data_dir) -> str:
    """A customer on the worklist at MADE who pays nothing until DUE + 3 days."""
    con = connect(data_dir / "ledger.duckdb")
    try:
        ids = worklist(con, WorklistOptions(as_of=MADE)).customers["customer_id"].tolist()
        paid = facts.collections_payments(con, as_of=DUE + timedelta(days=3), customer_ids=ids,
                                          start=MADE)  # fmt: skip
    finally:
        con.close()
    quiet = sorted(set(ids) - set(paid["customer_id"]))
    assert quiet, "the sample has a customer who pays nothing for ten days"
    return quiet[0]


def main(page: Page):
    return page.get_by_test_id("stMain")


def card_value(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def choose_customer(page: Page, customer_id: str) -> None:
    field = main(page).get_by_test_id("stSelectbox").filter(has_text="Customer").locator("input")
    field.click()
    field.fill(customer_id)
    page.get_by_role("option", name=re.compile(f"^{customer_id} ·")).click()
    wait_for_app_idle(page)


def set_as_of(page: Page, day: date) -> None:
    box = page.get_by_test_id("stSidebar").get_by_role("textbox", name="As of")
    box.fill(day.isoformat())
    box.press("Enter")
    wait_for_app_idle(page)


def test_record_reload_find_and_break(st_page: Page, st_server: str, browser_data_dir):
    shutil.rmtree(workspace_path(browser_data_dir).parent, ignore_errors=True)
    customer = quiet_customer(browser_data_dir)
    page = st_page
    page.goto(f"{st_server}/collections?as_of={MADE}", wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Collections worklist")).to_be_visible(timeout=60_000)
    wait_for_app_idle(page)
    expect(card_value(page, "Broken promises")).to_have_text("0")
    full_screenshot(page, SHOTS / "collections-01-worklist.png")

    choose_customer(page, customer)
    main(page).get_by_role("textbox", name="Note").fill("Spoke to accounts payable")
    main(page).get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(f"Saved the call for {customer}.")).to_be_visible()

    main(page).get_by_role("tab", name="Promise to pay").click()
    amount = main(page).get_by_role("spinbutton", name="Amount (USD)")
    amount.fill("2000")
    amount.press("Tab")
    main(page).get_by_role("button", name="Save promise").click()
    expect(page.get_by_text(f"Saved the promise of {customer}.")).to_be_visible()
    no_errors(page)
    store = CollectionsStore(Workspace.in_folder(browser_data_dir))
    assert store.notes(customer)["note_text"].tolist() == ["Spoke to accounts payable"]
    promise = store.promises().iloc[0]
    assert (promise["customer_id"], promise["amount"], promise["promised_date"].date()) == (
        customer, 2000.0, DUE)  # fmt: skip

    # a new session: what was recorded is still there
    page.reload(wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Collections worklist")).to_be_visible()
    wait_for_app_idle(page)
    expect(page.get_by_text("1 open · 0 kept · 0 partly kept or broken")).to_be_visible()
    expect(page.get_by_text("Notes and calls (1)")).to_be_visible()
    full_screenshot(page, SHOTS / "collections-02-recorded.png")

    # the customer paid nothing by its date + 3 days: broken
    set_as_of(page, AFTER)
    expect(card_value(page, "Broken promises")).to_have_text("1")
    expect(page.get_by_text("0 open · 0 kept · 1 partly kept or broken")).to_be_visible()
    no_errors(page)
    full_screenshot(page, SHOTS / "collections-03-broken.png")
    shutil.rmtree(workspace_path(browser_data_dir).parent, ignore_errors=True)
