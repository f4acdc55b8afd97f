"""The main journey in a real browser: overview → change the as-of date → aging → a customer.

Asserts the figures a user reads against the metrics engine and saves a screenshot of every
page under screenshots/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from engines.duckdb.engine import connect
from reports import format
from tests.browser.conftest import SHOTS
from tests.browser.helpers import full_screenshot, no_errors, open_nav, wait_for_app_idle

pytestmark = pytest.mark.browser
LAST = date(2026, 10, 31)
EARLIER = date(2025, 12, 31)


def total_ar_text(data_dir, as_of: date) -> str:
    con = connect(data_dir / "ledger.duckdb")
    try:
        return format.money(portfolio_metrics(snapshot(con, Options(as_of=as_of))).ar_total, "USD")
    finally:
        con.close()


def card_value(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def set_as_of(page: Page, day: date) -> None:
    """Type the date into the sidebar's as-of box and press Enter, as a user does."""
    box = page.get_by_test_id("stSidebar").get_by_role("textbox", name="As of")
    box.fill(day.isoformat())
    box.press("Enter")


def test_overview_as_of_aging_customer(st_page: Page, st_server: str, browser_data_dir):
    page = st_page
    page.goto(st_server, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Portfolio overview")).to_be_visible()
    # the first run after the server starts imports and caches everything: give it time
    expect(card_value(page, "Total AR")).to_have_text(
        total_ar_text(browser_data_dir, LAST), timeout=20_000
    )
    wait_for_app_idle(page)
    expect(page.get_by_test_id("stPlotlyChart").first.locator(".main-svg").first).to_be_visible()
    no_errors(page)
    full_screenshot(page, SHOTS / "01-overview.png")

    set_as_of(page, EARLIER)
    expect(card_value(page, "Total AR")).to_have_text(total_ar_text(browser_data_dir, EARLIER))
    assert f"as_of={EARLIER.isoformat()}" in page.url  # the view is shareable
    wait_for_app_idle(page)
    full_screenshot(page, SHOTS / "02-overview-earlier.png")

    open_nav(page, "Aging")
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    no_errors(page)
    full_screenshot(page, SHOTS / "03-aging.png")

    open_nav(page, "Overview")
    # the first of the largest problems (the Overview's other link opens the Watchlist)
    link = page.get_by_test_id("stPageLink").filter(has_not_text="watchlist").first
    customer_id = link.inner_text().split()[-1]
    link.click()
    expect(page.get_by_role("heading", name="Customer").first).to_be_visible()
    expect(page.get_by_text(customer_id).first).to_be_visible()
    wait_for_app_idle(page)
    no_errors(page)
    full_screenshot(page, SHOTS / "04-customer.png")


@pytest.mark.parametrize(
    "title",
    ["DSO & collections", "Concentration", "Credit limits", "Data"],
)
def test_every_other_page_renders_without_errors(st_page: Page, st_server: str, title: str):
    page = st_page
    page.goto(st_server, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name="Portfolio overview")).to_be_visible()
    wait_for_app_idle(page)
    open_nav(page, title)
    no_errors(page)
    # the shared sidebar keeps its settings across pages
    edges = page.get_by_test_id("stSidebar").get_by_role(
        "textbox", name="Aging bucket edges (days)"
    )
    expect(edges).to_have_value("30,60,90,120")
    slug = title.lower().replace(" & ", "-").replace(" ", "-")
    full_screenshot(page, SHOTS / f"page-{slug}.png")
