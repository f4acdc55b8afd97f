"""Cash flow in a real browser: the projection a treasurer reads, the monthly view, a CSV of
planned outflows that makes weeks short, and the backtest. Screenshots under screenshots/."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from engines.duckdb.engine import connect
from reports import format
from tests.browser.conftest import SHOTS
from tests.browser.helpers import full_screenshot, no_errors, open_nav, wait_for_app_idle

pytestmark = pytest.mark.browser
LAST = date(2026, 10, 31)


def expected_receipts(data_dir) -> str:
    con = connect(data_dir / "ledger.duckdb")
    try:
        p = project(con, CashflowOptions(as_of=LAST))
        return format.money(p.weekly["mean_amount"].sum(), "USD")
    finally:
        con.close()


def card_value(page: Page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


def chart_titled(page: Page, title: str):
    return page.get_by_test_id("stPlotlyChart").filter(has_text=title)


def test_cash_flow_projection_funding_gap_and_backtest(
    st_page: Page, st_server: str, browser_data_dir, tmp_path
):
    page = st_page
    page.goto(st_server, wait_until="domcontentloaded")
    wait_for_app_idle(page)
    open_nav(page, "Cash flow")
    expect(card_value(page, "Receipts, next 13 weeks")).to_have_text(
        expected_receipts(browser_data_dir)
    )
    expect(chart_titled(page, "Projected receipts per week")).to_be_visible()
    expect(page.get_by_text("P10-P90 coverage of actual weeks")).to_be_visible()  # backtest ran
    expect(chart_titled(page, "Receipts in the 13 weeks after each past month-end")).to_be_visible()
    no_errors(page)
    full_screenshot(page, SHOTS / "cashflow-01-weekly.png")

    page.get_by_test_id("stMain").get_by_text("12 months", exact=True).click()
    wait_for_app_idle(page)
    expect(chart_titled(page, "Projected receipts per month")).to_be_visible()

    plan = tmp_path / "plan.csv"
    plan.write_text("date,amount\n2026-11-02,9000000\n2026-11-20,50000\n2027-06-01,1\n")
    page.get_by_test_id("stMain").get_by_text("From a CSV", exact=True).click()
    wait_for_app_idle(page)
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(plan))
    wait_for_app_idle(page)
    # 9M out in week 1 is far more than any cash: short weeks, and one row outside 13 weeks
    expect(page.get_by_text("week(s) short (red")).to_be_visible()
    expect(page.get_by_text("1 CSV row(s) outside the 13 weeks ignored.")).to_be_visible()
    expect(chart_titled(page, "Projected cash at each week-end")).to_be_visible()
    no_errors(page)
    full_screenshot(page, SHOTS / "cashflow-02-monthly-funding-csv.png")
