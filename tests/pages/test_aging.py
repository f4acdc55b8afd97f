"""Aging page: its charts, cards and tables equal the engine's for every sidebar setting and
every page control (group by, aging basis, drill-down)."""

from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from analytics.metrics.aging import bucket_labels
from analytics.portfolio.aging_view import (
    aging_history,
    disputed_by_bucket,
    group_aging,
    group_customer_keys,
    open_items_detail,
)
from analytics.portfolio.ledger import ledger_info
from analytics.portfolio.report import portfolio_metrics, translation_rate
from analytics.portfolio.snapshot import Options, snapshot
from core.filters import ALL_CUSTOMERS, CustomerFilter
from reports import format
from tests.pages.conftest import APP, TIMEOUT, open_page, plotly_figures, trace_values
from ui import aging_data

LAST = date(2026, 10, 31)
NOTHING_OVER_TIME = (
    "Nothing was open at any month-end of the ledger up to this date for this selection."
)


def trace(figure: dict, name: str) -> dict:
    return next(t for t in figure["data"] if t["name"] == name)


def figure(at, title_start: str) -> dict:
    return next(
        f for f in plotly_figures(at) if f["layout"]["title"]["text"].startswith(title_start)
    )


def engine_table(con, by, as_of=LAST, customer_filter=ALL_CUSTOMERS, **options):
    opts = Options(as_of=as_of, **options)
    customers = snapshot(con, opts, customer_filter).customers
    return group_aging(customers, disputed_by_bucket(con, opts), by, opts.edges)


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def bucket_bar(bars, label: str) -> list[float]:
    """A bucket's whole bar: its solid (undisputed) and hatched (disputed) parts."""
    solid = trace_values(trace(bars, label)["x"])
    hatched = trace_values(trace(bars, f"{label}, disputed")["x"])
    return [a + b for a, b in zip(solid, hatched, strict=True)]


def compact(value):  # the cards name the currency in the label
    return format.money(value, "").replace(" ", "")


def test_default_view_matches_the_engine_as_of_the_last_date(sample_con):
    at = open_page("app_pages/aging.py")
    assert at.title[0].value == "Aging"
    m = portfolio_metrics(snapshot(sample_con, Options(as_of=LAST)))
    assert card(at, "Balance (USD)").value == compact(m.ar_total)
    assert card(at, "Unapplied (USD)").value == compact(m.ar_unapplied)
    assert card(at, "Open items (USD)").value == compact(m.ar_current + m.ar_overdue)
    assert card(at, "Overdue share").value == format.pct(m.overdue_share)
    expected = engine_table(sample_con, "customer")
    assert card(at, "Of which disputed (USD)").value == compact(expected["disputed_amount"].sum())
    bars = figure(at, "Open items by customer and age")
    top = expected.head(25)
    assert trace(bars, "current")["y"][0] == f"{top['name'].iloc[0]} ({top['group'].iloc[0]})"
    for label in bucket_labels((30, 60, 90, 120)):  # each bucket: solid + hatched disputed
        hatched = trace_values(trace(bars, f"{label}, disputed")["x"])
        assert hatched == pytest.approx(top[f"disputed {label}"].tolist())
        assert bucket_bar(bars, label) == pytest.approx(top[label].tolist())
    unapplied = trace_values(trace(bars, "Unapplied cash (not aged)")["x"])
    assert unapplied == pytest.approx((-top["unapplied_amount"]).tolist())
    history = figure(at, "Aging at month-end")
    engine = aging_history(sample_con, Options(as_of=LAST), start=date(2023, 11, 1))
    assert trace_values(trace(history, "120+")["y"]) == pytest.approx(engine["120+"].tolist())
    assert at.dataframe[0].value["group"].tolist() == expected["group"].tolist()


def test_every_sidebar_control_flows_into_the_page(sample_con):
    as_of = date(2025, 6, 30)
    dims = sample_con.con.execute("select * from customers order by customer_key").df()
    one = dims.iloc[6]  # C00007: Enterprise, APAC, rating C, its own group
    chosen = CustomerFilter(
        segments=(one.segment,), regions=(one.region,), ratings=(one.risk_rating,),
        groups=(one.group_id,), search=one.customer_id.lower(),
    )  # fmt: skip
    at = open_page(
        "app_pages/aging.py", sb_as_of=as_of, sb_segments=[one.segment], sb_regions=[one.region],
        sb_ratings=[one.risk_rating], sb_groups=[one.group_id], sb_search=one.customer_id.lower(),
        sb_edges="15,45", sb_window=30, sb_currency="EUR",
    )  # fmt: skip
    rate = translation_rate(sample_con, as_of, "EUR", "USD")
    expected = engine_table(sample_con, "customer", as_of, chosen, edges=(15, 45))
    assert expected["group"].tolist() == [one.customer_id]
    bars = figure(at, "Open items by customer and age")
    for label in ["current", "1-15", "16-45", "45+"]:
        assert bucket_bar(bars, label) == pytest.approx((expected[label] * rate).tolist())
    assert card(at, "Balance (EUR)").value == compact(expected["balance_amount"].sum() * rate)
    caption = at.caption[0].value
    assert "EUR" in caption and "filtered" in caption and "15, 45 days" in caption
    items = at.dataframe[1].value
    engine_items = open_items_detail(
        sample_con, Options(as_of=as_of, edges=(15, 45)), [int(one.customer_key)]
    )
    assert items["invoice_id"].tolist() == engine_items["invoice_id"].tolist()
    assert items["open_amount_EUR"].tolist() == pytest.approx(
        (engine_items["open_amount_rc"] * rate).tolist()
    )


def test_group_by_basis_and_drill_down_each_change_the_figures(sample_con):
    at = open_page("app_pages/aging.py", sb_regions=["Europe"])
    europe = CustomerFilter(regions=("Europe",))
    at.radio(key="aging_by").set_value("rating").run()
    expected = engine_table(sample_con, "rating", customer_filter=europe)
    bars = figure(at, "Open items by rating and age")
    assert trace(bars, "current")["y"] == expected["group"].tolist()
    assert bucket_bar(bars, "1-30") == pytest.approx(expected["1-30"].tolist())

    at.radio(key="aging_basis").set_value("invoice").run()
    by_invoice = engine_table(sample_con, "rating", customer_filter=europe, basis="invoice")
    bars = figure(at, "Open items by rating and age")
    assert bucket_bar(bars, "current") == pytest.approx(by_invoice["current"].tolist())
    assert by_invoice["current"].sum() != pytest.approx(expected["current"].sum())
    assert "aged by invoice date" in at.caption[0].value

    rating = by_invoice["group"].iloc[0]
    at.selectbox(key="aging_drill").set_value(rating).run()
    assert not at.exception
    customers = snapshot(sample_con, Options(as_of=LAST, basis="invoice"), europe).customers
    keys = group_customer_keys(customers, "rating", rating)
    engine = open_items_detail(sample_con, Options(as_of=LAST, basis="invoice"), keys)
    shown = at.dataframe[1].value
    assert shown["invoice_id"].tolist() == engine["invoice_id"].tolist()
    assert shown["bucket"].tolist() == engine["bucket"].tolist()


def test_a_long_list_of_open_items_is_capped_on_screen(sample_con, monkeypatch):
    monkeypatch.setattr(aging_data, "MAX_ITEM_ROWS", 10)
    at = open_page("app_pages/aging.py")
    n = len(open_items_detail(sample_con, Options(as_of=LAST), None))
    assert len(at.dataframe[1].value) == 10
    assert n > 10
    assert any(f"Showing the 10 largest of {n:,} open items" in c.value for c in at.caption)


def test_a_filter_that_matches_nobody_explains_itself():
    at = open_page("app_pages/aging.py", sb_search="no such customer")
    infos = [i.value for i in at.info]
    assert "No open items or unapplied cash for this selection." in infos
    assert "No open items for this selection." in infos
    assert NOTHING_OVER_TIME in infos
    assert not at.get("plotly_chart") and not at.dataframe
    assert card(at, "Balance (USD)").value == compact(0)
    assert card(at, "Overdue share").value == format.NA


def test_the_first_day_of_the_ledger_has_no_month_end_and_an_earlier_date_falls_back(sample_con):
    first = ledger_info(sample_con).first_date
    at = open_page("app_pages/aging.py", sb_as_of=first)
    assert NOTHING_OVER_TIME in [i.value for i in at.info]
    expected = engine_table(sample_con, "customer", as_of=first)
    assert at.dataframe[0].value["group"].tolist() == expected["group"].tolist()
    earlier = open_page("app_pages/aging.py", sb_as_of=first - timedelta(days=1))
    assert f"As of {LAST:%d %b %Y}" in earlier.caption[0].value  # the sidebar's own fallback


def test_group_by_and_basis_are_in_the_shareable_link():
    """A link with ?by=segment&basis=invoice opens the page that way, and moving the controls
    rewrites the link (issue 9: page controls were not in the URL like the sidebar's)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["by"] = "segment"
    at.query_params["basis"] = "invoice"
    at.run()
    at.switch_page("app_pages/aging.py").run()
    assert not at.exception
    assert at.radio(key="aging_by").value == "segment"
    assert at.radio(key="aging_basis").value == "invoice"
    at.radio(key="aging_by").set_value("rating").run()
    assert at.query_params["by"] == "rating" and at.query_params["basis"] == "invoice"


def test_a_bad_link_value_is_said_and_ignored():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["by"] = "planet"
    at.run()
    at.switch_page("app_pages/aging.py").run()
    assert not at.exception
    assert any("by='planet' is not one of customer, segment, region, rating" in w.value
               for w in at.warning)  # fmt: skip
    assert at.radio(key="aging_by").value == "customer"
