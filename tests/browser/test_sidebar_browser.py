"""The sidebar in a real browser: a date typed in the as-of field and confirmed with Enter is
applied at once (issue 9, defect 13: the field only took it when the user clicked away)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import no_errors, wait_for_app_idle
from tests.browser.test_journey import EARLIER, LAST, card_value, total_ar_text

pytestmark = pytest.mark.browser


def test_a_date_typed_in_the_as_of_field_applies_on_enter(
    st_page: Page, st_server: str, browser_data_dir
):
    page = st_page
    page.goto(st_server, wait_until="domcontentloaded")
    expect(card_value(page, "Total AR")).to_have_text(
        total_ar_text(browser_data_dir, LAST), timeout=20_000
    )
    wait_for_app_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("As of", exact=True).click()  # the field, by its label
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(EARLIER.isoformat())
    page.keyboard.press("Enter")  # and nothing else: no click elsewhere, no Tab
    expect(card_value(page, "Total AR")).to_have_text(total_ar_text(browser_data_dir, EARLIER))
    assert f"as_of={EARLIER.isoformat()}" in page.url  # the view is shareable
    wait_for_app_idle(page)
    no_errors(page)
