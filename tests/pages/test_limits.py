"""Credit limits page: cards, charts and lists equal the engine's, for every sidebar setting."""

from datetime import date

import numpy as np
import pytest

from analytics.portfolio import limits_view as limit_views
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from core.filters import ALL_CUSTOMERS, CustomerFilter
from reports import format
from tests.pages.conftest import open_page, plotly_figures
from tests.pages.test_dso import card, figure, numbers

PAGE = "app_pages/limits.py"
LAST = date(2026, 10, 31)
FIRST = date(2023, 11, 1)


def engine_customers(con, as_of, customer_filter=ALL_CUSTOMERS, coverage=0.9, **options):
    snap = snapshot(con, Options(as_of=as_of, coverage=coverage, **options), customer_filter)
    return snap, snap.customers


def assert_cards(at, snap, customers):
    m = portfolio_metrics(snap)
    assert card(at, "Portfolio utilisation").value == format.pct(m.utilisation)
    assert card(at, "Over-limit customers").value == format.count(m.customers_over_limit)
    assert card(at, "Total exposure").value == format.money(m.total_exposure, "USD")
    uninsured = customers["uninsured_amount"].sum()
    assert card(at, "Uninsured exposure").value == format.money(uninsured, "USD")


def test_default_view_shows_the_engine_figures(sample_con):
    at = open_page(PAGE)
    assert at.title[0].value == "Credit limits"
    assert at.number_input(key="limits_coverage").value == 90
    snap, customers = engine_customers(sample_con, LAST)
    assert_cards(at, snap, customers)
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert titles == [
        "Utilisation of customers with a limit",
        "Utilisation by risk rating",
        "Insured and uninsured exposure by rating",
    ]
    hist = figure(at, "Utilisation of customers")
    shown = np.concatenate([numbers(trace["x"]) for trace in hist["data"]])
    expected = limit_views.limited_utilisation(customers).to_numpy() * 100
    assert np.sort(shown) == pytest.approx(np.sort(expected))
    assert hist["layout"]["shapes"][0]["x0"] == 100  # the limit line
    over = limit_views.over_limit(customers)
    assert len(over) == portfolio_metrics(snap).customers_over_limit > 0
    shown_over = at.dataframe[0].value
    assert shown_over["customer_id"].tolist() == over["customer_id"].tolist()
    assert (shown_over["headroom_amount"] < 0).all()
    by_rating = limit_views.by_rating(customers)
    bars = figure(at, "Utilisation by risk rating")["data"][0]
    assert numbers(bars["y"]) == pytest.approx(by_rating["utilisation"].to_numpy() * 100)


def test_every_sidebar_control_and_the_coverage_input(sample_con):
    as_of = date(2025, 6, 17)
    chosen = CustomerFilter(
        segments=("SMB", "Mid-market"),
        regions=("North America", "Europe"),
        ratings=("B", "C", "D"),
        groups=("C00017", "C00014", "C00003", "C00008", "C00009"),
        search="e",
    )
    at = open_page(
        PAGE, sb_as_of=as_of, sb_segments=list(chosen.segments), sb_regions=list(chosen.regions),
        sb_ratings=list(chosen.ratings), sb_groups=list(chosen.groups), sb_search=chosen.search,
        sb_edges="15,45", sb_window=60,
    )  # fmt: skip
    options = {"window_days": 60, "edges": (15, 45)}
    snap, customers = engine_customers(sample_con, as_of, chosen, **options)
    assert 3 <= len(customers) < 30
    assert_cards(at, snap, customers)
    assert "filtered" in at.caption[0].value
    no_limit = at.dataframe[1].value  # C00017 has no limit
    assert (
        no_limit["customer_id"].tolist()
        == limit_views.no_limit_exposure(customers)["customer_id"].tolist()
    )

    at.number_input(key="limits_coverage").set_value(50).run()
    assert not at.exception
    snap50, customers50 = engine_customers(sample_con, as_of, chosen, coverage=0.5, **options)
    assert_cards(at, snap50, customers50)
    assert customers50["uninsured_amount"].sum() > customers["uninsured_amount"].sum()
    insured = figure(at, "Insured and uninsured")["data"]
    expected = limit_views.by_rating(customers50)
    assert numbers(insured[0]["y"]) == pytest.approx(expected["insured_amount"].to_numpy())
    assert numbers(insured[1]["y"]) == pytest.approx(expected["uninsured_amount"].to_numpy())
    rating_table = at.dataframe[-1].value
    assert rating_table["utilisation"].to_numpy() == pytest.approx(
        expected["utilisation"].to_numpy(dtype=float), nan_ok=True
    )


def test_a_search_that_matches_nobody_explains_itself_instead_of_failing():
    at = open_page(PAGE, sb_search="no such customer")
    assert card(at, "Portfolio utilisation").value == format.NA
    assert card(at, "Over-limit customers").value == "0"
    infos = [i.value for i in at.info]
    assert "No customer with a credit limit in this selection." in infos
    assert "No customer is over its limit in this selection." in infos
    assert "No exposure in this selection." in infos
    assert plotly_figures(at) == []


def test_on_the_ledgers_first_day_and_before_it_nothing_fails(sample_con):
    at = open_page(PAGE, sb_as_of=FIRST)
    snap, customers = engine_customers(sample_con, FIRST)
    assert_cards(at, snap, customers)
    at = open_page(PAGE, sb_as_of=date(2020, 1, 1))  # before the ledger: the sidebar falls back
    snap, customers = engine_customers(sample_con, LAST)
    assert_cards(at, snap, customers)
