"""The sidebar's Entity (spec §8): consolidated by default; picking an entity shows that
entity's figures on every page, equal to the engine scoped to it; the choice is in the link."""

from datetime import date

from streamlit.testing.v1 import AppTest

from analytics.portfolio.ledger import for_entity
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from reports import format
from tests.pages.conftest import APP, TIMEOUT, open_page

LAST = date(2026, 10, 31)


def ar_total(con, entity):
    return portfolio_metrics(snapshot(for_entity(con, entity), Options(as_of=LAST))).ar_total


def card(at, label):
    return next(m for m in at.metric if m.label == label).value


def test_consolidated_by_default_then_one_entity(sample_con):
    at = open_page()
    entity = at.sidebar.selectbox(key="sb_entity")
    # the sample's two entities, one per billing currency
    assert entity.options == ["Consolidated", "EU01", "US01"] and entity.value == "Consolidated"
    assert card(at, "Total AR") == format.money(ar_total(sample_con, None), "USD")
    entity.set_value("US01").run()
    assert not at.exception
    us = ar_total(sample_con, "US01")
    assert card(at, "Total AR") == format.money(us, "USD")
    assert at.query_params["entity"] in ("US01", ["US01"])
    # the entities add up to the consolidated receivables (AR adds up; to the cent)
    assert round(us + ar_total(sample_con, "EU01"), 2) == round(ar_total(sample_con, None), 2)


def test_an_entity_holds_on_another_page(sample_con):
    at = open_page(sb_entity="EU01")
    at.switch_page("app_pages/aging.py").run()
    assert not at.exception
    assert at.sidebar.selectbox(key="sb_entity").value == "EU01"
    eu = ar_total(sample_con, "EU01")
    assert eu < ar_total(sample_con, None)
    # Aging's cards name the currency in the label: "Balance (USD)" 83.51k
    assert card(at, "Balance (USD)") == format.money(eu, "USD").removeprefix("USD ")


def test_a_link_to_an_unknown_entity_falls_back_to_consolidated_with_a_warning():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["entity"] = "XX99"
    at.run()
    assert not at.exception
    assert any("Entity 'XX99' is not in this ledger" in w.value for w in at.sidebar.warning)
    assert at.sidebar.selectbox(key="sb_entity").value == "Consolidated"
