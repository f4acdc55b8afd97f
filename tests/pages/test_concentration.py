"""Concentration page: cards, Pareto curve, top-N table and treemap equal the engine's for every
sidebar setting and every page control (level, measure, N, coverage, colour)."""

from datetime import date, timedelta

import pytest

from analytics.metrics import concentration
from analytics.portfolio.concentration_view import (
    pareto_curve,
    top_units,
    treemap_nodes,
    unit_amounts,
)
from analytics.portfolio.ledger import ledger_info
from analytics.portfolio.report import portfolio_metrics, translation_rate
from analytics.portfolio.snapshot import Options, snapshot
from core.filters import ALL_CUSTOMERS, CustomerFilter
from reports import format
from tests.pages.conftest import open_page, trace_values
from tests.pages.test_aging import card, figure, trace

LAST = date(2026, 10, 31)


def customers(con, as_of=LAST, customer_filter=ALL_CUSTOMERS, coverage=0.9):
    return snapshot(con, Options(as_of=as_of, coverage=coverage), customer_filter).customers


def test_default_view_shows_the_engine_concentration_of_customer_balances(sample_con):
    at = open_page("app_pages/concentration.py")
    assert at.title[0].value == "Concentration"
    m = portfolio_metrics(snapshot(sample_con, Options(as_of=LAST)))
    assert card(at, "Customers").value == format.count(m.customers_with_balance)
    assert card(at, "Top-10 share").value == format.pct(m.top_n_share)
    positive = customers(sample_con)["balance_amount"].clip(lower=0).sum()
    assert card(at, "Total (USD)").value == format.money(positive, "").strip()
    hhi = card(at, "HHI")
    assert hhi.value == format.hhi_points(m.hhi)
    assert hhi.delta == concentration.hhi_reading(m.hhi)
    curve = pareto_curve(unit_amounts(customers(sample_con), "customer", "balance"))
    pareto = trace(figure(at, "Pareto curve of balance"), "Portfolio")
    assert trace_values(pareto["y"]) == pytest.approx(curve["amount_share"].tolist())
    top = top_units(customers(sample_con), "customer", "balance", 10)
    assert at.dataframe[0].value["unit"].tolist() == top["unit"].tolist()
    assert at.dataframe[0].value["amount"].tolist() == pytest.approx(top["amount"].tolist())


def test_every_sidebar_control_flows_into_the_page(sample_con):
    as_of = date(2025, 6, 30)
    chosen = CustomerFilter(
        segments=("SMB", "Mid-market"), regions=("North America", "Europe"),
        ratings=("B", "C"), groups=("C00002", "C00003", "C00004", "C00009", "C00017"), search="c000",
    )  # fmt: skip
    at = open_page(
        "app_pages/concentration.py", sb_as_of=as_of, sb_segments=list(chosen.segments),
        sb_regions=list(chosen.regions), sb_ratings=list(chosen.ratings),
        sb_groups=list(chosen.groups), sb_search="c000", sb_edges="15,45", sb_window=30,
        sb_currency="EUR",
    )  # fmt: skip
    rate = translation_rate(sample_con, as_of, "EUR", "USD")
    frame = customers(sample_con, as_of, chosen)
    top = top_units(frame, "customer", "balance", 10)
    assert 1 < len(top) < 10  # the filter keeps a few customers, not all
    shown = at.dataframe[0].value
    assert shown["unit"].tolist() == top["unit"].tolist()
    assert shown["amount"].tolist() == pytest.approx((top["amount"] * rate).tolist())
    balances = frame["balance_amount"]
    assert card(at, "HHI").value == format.hhi_points(concentration.hhi(balances))
    assert "EUR" in at.caption[0].value and "filtered" in at.caption[0].value
    nodes = treemap_nodes(frame)
    tiles = figure(at, "Balance by segment and customer")["data"][0]
    assert trace_values(tiles["values"]) == pytest.approx((nodes["balance_amount"] * rate).tolist())


def test_level_measure_n_coverage_and_colour_each_change_the_figures(sample_con):
    at = open_page("app_pages/concentration.py")
    m = portfolio_metrics(snapshot(sample_con, Options(as_of=LAST)), top_n=10)

    at.selectbox(key="conc_level").set_value("group").run()
    assert card(at, "HHI").value == format.hhi_points(m.group_hhi)
    assert card(at, "Top-10 share").value == format.pct(m.group_top_n_share)
    assert at.dataframe[0].value["unit"].tolist() == (
        top_units(customers(sample_con), "group", "balance", 10)["unit"].tolist()
    )

    at.radio(key="conc_measure").set_value("uninsured").run()
    at.slider(key="conc_top_n").set_value(20).run()
    uninsured = unit_amounts(customers(sample_con), "group", "uninsured")
    assert card(at, "Top-20 share").value == format.pct(concentration.top_n_share(uninsured, 20))
    assert len(at.dataframe[0].value) == 20

    at.number_input(key="conc_coverage").set_value(50).run()
    at.selectbox(key="conc_level").set_value("region").run()
    half = unit_amounts(customers(sample_con, coverage=0.5), "region", "uninsured")
    assert card(at, "HHI").value == format.hhi_points(concentration.hhi(half))
    assert concentration.hhi(half) != pytest.approx(concentration.hhi(uninsured))
    expected = concentration.balance_shares(half)
    assert at.dataframe[0].value["share"].tolist() == pytest.approx(expected.tolist())
    assert "uninsured exposure at 50 % cover" in at.caption[0].value

    tiles = figure(at, "Balance by segment and customer")["data"][0]
    assert "colorscale" in tiles["marker"]
    at.radio(key="conc_colour").set_value("rating").run()
    tiles = figure(at, "Balance by segment and customer, coloured by risk rating")["data"][0]
    assert "colorscale" not in tiles["marker"] and len(set(tiles["marker"]["colors"])) > 2


def test_a_filter_that_matches_nobody_explains_itself():
    at = open_page("app_pages/concentration.py", sb_search="no such customer")
    infos = [i.value for i in at.info]
    assert "No customers with a positive balance for this selection." in infos
    assert "No customer has a positive balance for this selection." in infos
    assert not at.get("plotly_chart")  # no empty Pareto, HHI or treemap drawn
    assert card(at, "HHI").value == format.NA and card(at, "HHI").delta == "no balances"


def test_the_first_day_of_the_ledger_and_an_earlier_date(sample_con):
    first = ledger_info(sample_con).first_date
    at = open_page("app_pages/concentration.py", sb_as_of=first)
    m = portfolio_metrics(snapshot(sample_con, Options(as_of=first)))
    assert card(at, "Customers").value == format.count(m.customers_with_balance)
    assert card(at, "HHI").value == format.hhi_points(m.hhi)
    earlier = open_page("app_pages/concentration.py", sb_as_of=first - timedelta(days=1))
    assert f"As of {LAST:%d %b %Y}" in earlier.caption[0].value  # the sidebar's own fallback
