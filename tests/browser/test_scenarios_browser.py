"""Scenarios in a real browser: build a scenario with the sliders, save it, reload the app
(a new session), find it again, and compare it with a second one. Screenshots under
screenshots/."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from analytics.policy.scenario import Scenario, Terms
from analytics.policy.simulator import prepare, simulate
from engines.duckdb.engine import connect
from reports import format
from stores.scenarios import ScenarioStore, store_path
from tests.browser.conftest import SHOTS
from tests.browser.helpers import full_screenshot, no_errors, open_nav, wait_for_app_idle

pytestmark = pytest.mark.browser
LAST = date(2026, 10, 31)


def expected_ar(data_dir, scenario: Scenario) -> str:
    con = connect(data_dir / "ledger.duckdb")
    try:
        return format.money(simulate(prepare(con, LAST), scenario).outcome.ar_amount, "USD")
    finally:
        con.close()


def card_value(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def main(page: Page):
    return page.get_by_test_id("stMain")


def open_scenarios(page: Page, url: str) -> None:
    page.goto(url, wait_until="domcontentloaded")
    wait_for_app_idle(page)
    open_nav(page, "Scenarios")


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the select box or multiselect labelled ``label``."""
    box = main(page).get_by_test_id("stSelectbox").filter(has_text=label)
    if not box.count():
        box = main(page).get_by_test_id("stMultiSelect").filter(has_text=label)
    field = box.locator("input")
    field.click()
    field.fill(option)  # typing opens the list (a click alone does not always) and filters it
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")  # a multiselect stays open
    wait_for_app_idle(page)


def test_create_save_reload_and_compare(st_page: Page, st_server: str, browser_data_dir):
    shutil.rmtree(store_path(browser_data_dir).parent, ignore_errors=True)
    page = st_page
    open_scenarios(page, st_server)
    expect(card_value(page, "AR balance")).to_have_text(expected_ar(browser_data_dir, Scenario()))

    # terms +90 days on every customer: the slider's keyboard End key
    slider = main(page).get_by_test_id("stSlider").filter(has_text="Change of terms (days)")
    slider.get_by_role("slider").focus()
    page.keyboard.press("End")
    wait_for_app_idle(page)
    longer = Scenario("Longer terms", terms=Terms(days=90))
    expect(card_value(page, "AR balance")).to_have_text(expected_ar(browser_data_dir, longer))
    name = main(page).get_by_role("textbox", name="Name")
    name.fill("Longer terms")
    name.press("Enter")
    wait_for_app_idle(page)
    main(page).get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved “Longer terms”.")).to_be_visible()
    full_screenshot(page, SHOTS / "scenarios-01-saved.png")
    # a second scenario: a copy of the first, named before it is saved
    name.fill("Longer terms (copy)")
    name.press("Enter")
    wait_for_app_idle(page)
    main(page).get_by_role("button", name="Duplicate").click()
    expect(page.get_by_text("Duplicated “Longer terms” as “Longer terms (copy)”.")).to_be_visible()
    assert ScenarioStore(store_path(browser_data_dir)).names() == [
        "Longer terms",
        "Longer terms (copy)",
    ]

    # reload the app: a new session; the link brings the levers back (terms +90 days) and
    # the saved scenarios are still there
    assert "terms_change=90" in page.url
    page.reload(wait_until="domcontentloaded")
    wait_for_app_idle(page)
    expect(page.get_by_role("heading", name="Scenarios").first).to_be_visible()
    expect(card_value(page, "AR balance")).to_have_text(expected_ar(browser_data_dir, longer))
    choose(page, "Saved scenarios", "Longer terms")
    expect(card_value(page, "AR balance")).to_have_text(expected_ar(browser_data_dir, longer))

    choose(page, "Scenarios to compare", "Longer terms")
    choose(page, "Scenarios to compare", "Longer terms (copy)")
    chart = page.get_by_test_id("stPlotlyChart").filter(has_text="Net profit effect per year")
    expect(chart).to_be_visible()
    no_errors(page)
    full_screenshot(page, SHOTS / "scenarios-02-compared.png")
    shutil.rmtree(store_path(browser_data_dir).parent, ignore_errors=True)
