"""DSO & collections page: every figure equals the engine's, for every sidebar setting."""

import base64
from datetime import date

import numpy as np
import pytest

from analytics.metrics.dso_bridge import dso_bridge
from analytics.portfolio.collections import (
    payment_behaviour,
    portfolio_behaviour,
    settled_by_customer,
)
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from analytics.portfolio.trend import monthly_trend
from core.filters import ALL_CUSTOMERS, CustomerFilter
from engines import facts
from reports import format
from tests.pages.conftest import open_page, plotly_figures

PAGE = "app_pages/dso.py"
LAST = date(2026, 10, 31)  # the sample ledger's last date
FIRST = date(2023, 11, 1)  # ... and its first document


def numbers(array) -> np.ndarray:
    """A plotly array from the figure JSON (plain list, or plotly 7's base64 'bdata')."""
    if isinstance(array, dict):
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).astype(float)
    return np.array([np.nan if v is None else v for v in array], dtype=float)


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def figure(at, title_start):
    return next(
        f for f in plotly_figures(at) if f["layout"]["title"]["text"].startswith(title_start)
    )


def engine(con, as_of, customer_filter=ALL_CUSTOMERS, window_days=90, months=6, **options):
    """What the page should show, computed straight from the engine."""
    keys = customer_filter.customer_keys(facts.customers(con))
    snap = snapshot(con, Options(as_of=as_of, window_days=window_days, **options), customer_filter)
    trend = monthly_trend(con, as_of, window_days, 25, keys)
    settled = settled_by_customer(con, as_of, months, keys)
    return {
        "metrics": portfolio_metrics(snap),
        "trend": (trend.iloc[1:] if len(trend) > 24 else trend).reset_index(drop=True),
        "bridge": dso_bridge(trend, window_days),
        "customers": payment_behaviour(settled),
        "portfolio": portfolio_behaviour(settled),
    }


def assert_dso_cards(at, m):
    assert card(at, "Standard DSO").value == format.days(m.dso_standard)
    assert card(at, "Countback DSO").value.endswith(format.days(m.dso_countback))
    assert card(at, "Best possible DSO").value == format.days(m.dso_best_possible)
    assert card(at, "ADD").value == format.days(m.add)
    assert card(at, "CEI").value == format.index_points(m.cei)


def assert_behaviour(at, e):
    p = e["portfolio"]
    assert card(at, "Days to pay (weighted)").value == format.days(p.days_to_pay)
    assert card(at, "Days late (weighted)").value == format.days(p.days_late)
    assert card(at, "Invoices settled").value == format.count(p.n_settled)
    assert card(at, "Paid late (by amount)").value == format.pct(p.late_share)
    shown = at.dataframe[-1].value
    assert shown["customer_id"].tolist() == e["customers"]["customer_id"].tolist()
    assert shown["days_late"].to_numpy() == pytest.approx(e["customers"]["days_late"].to_numpy())


def assert_waterfall(at, row):
    fall = figure(at, "Standard DSO bridge")["data"][0]
    expected = [row["dso_previous"], row["sales_effect"], row["collections_effect"], row["dso"]]
    assert numbers(fall["y"]) == pytest.approx(expected)
    # the two effects add up to the change shown in the title
    assert (
        f"({row['dso_change']:+,.1f} days)"
        in figure(at, "Standard DSO bridge")["layout"]["title"]["text"]
    )


def test_default_view_shows_the_engine_figures_and_the_last_month_bridge(sample_con):
    at = open_page(PAGE)
    assert at.title[0].value == "DSO & collections"
    e = engine(sample_con, LAST)
    assert_dso_cards(at, e["metrics"])
    titles = [f["layout"]["title"]["text"] for f in plotly_figures(at)]
    assert titles[:3] == [
        "DSO at month-end",
        "Average days delinquent (ADD) at month-end",
        "Collection effectiveness index (CEI) by month",
    ]
    lines = figure(at, "DSO at month-end")["data"]
    assert [t["name"] for t in lines] == ["Standard DSO", "Countback DSO", "Best possible DSO"]
    assert len(lines[0]["x"]) == 24
    assert numbers(lines[0]["y"]) == pytest.approx(e["trend"]["dso_standard"].to_numpy())
    assert numbers(lines[1]["y"]) == pytest.approx(e["trend"]["dso_countback"].to_numpy())
    assert numbers(figure(at, "Average days")["data"][0]["y"]) == pytest.approx(
        e["trend"]["add"].to_numpy()
    )
    assert numbers(figure(at, "Collection eff")["data"][0]["y"]) == pytest.approx(
        e["trend"]["cei"].to_numpy(dtype=float), nan_ok=True
    )
    assert_waterfall(at, e["bridge"].iloc[-1])  # Oct 2026 by default
    bridge_table = at.dataframe[0].value
    assert len(bridge_table) == 24  # every month of the trend has its bridge
    assert (bridge_table["sales_effect"] + bridge_table["collections_effect"]).to_numpy() == (
        pytest.approx(bridge_table["dso_change"].to_numpy())
    )
    assert_behaviour(at, e)  # last 6 months by default
    assert any(x.label.startswith("Definitions") for x in at.expander)


def test_every_sidebar_control_and_page_widget_changes_the_figures(sample_con):
    as_of = date(2025, 6, 17)
    chosen = CustomerFilter(
        segments=("SMB", "Mid-market"),
        regions=("North America", "Europe"),
        ratings=("B", "C", "D"),
        groups=("C00017", "C00014", "C00003", "C00008"),
        search="e",
    )
    kept = chosen.customer_keys(facts.customers(sample_con))
    assert 3 <= len(kept) < 30  # the filter bites but leaves something to show
    at = open_page(
        PAGE, sb_as_of=as_of, sb_segments=list(chosen.segments), sb_regions=list(chosen.regions),
        sb_ratings=list(chosen.ratings), sb_groups=list(chosen.groups), sb_search=chosen.search,
        sb_edges="15,45", sb_window=60,
    )  # fmt: skip
    e = engine(sample_con, as_of, chosen, window_days=60, edges=(15, 45))
    assert_dso_cards(at, e["metrics"])
    assert "DSO window 60 days" in at.caption[0].value and "filtered" in at.caption[0].value
    lines = figure(at, "DSO at month-end")["data"]
    assert lines[0]["x"][-1].startswith("2025-05-31")  # the last month-end before 17 Jun
    expected = e["trend"]["dso_standard"].to_numpy(dtype=float)
    # Jun-Oct 2023 are before the first document: absent, not drawn at 0 (issue 9)
    assert lines[0]["x"][0].startswith("2023-11-30") and len(expected) == 19
    assert numbers(lines[0]["y"]) == pytest.approx(expected, nan_ok=True)
    assert_waterfall(at, e["bridge"].iloc[-1])
    assert_behaviour(at, e)

    at.selectbox(key="dso_bridge_month").set_value(11).run()  # row 11 = Nov 2024
    assert not at.exception
    assert e["bridge"]["month_end"].iloc[11] == date(2024, 11, 30)
    assert_waterfall(at, e["bridge"].iloc[11])

    # the first month offered is Dec 2023, the first with a month-end before it (Nov 2023,
    # the ledger's first); months before the ledger are no longer offered as "no bridge"
    at.selectbox(key="dso_bridge_month").set_value(0).run()
    assert e["bridge"]["month_end"].iloc[0] == date(2023, 12, 31)
    assert_waterfall(at, e["bridge"].iloc[0])

    at.selectbox(key="dso_settled_months").set_value(12).run()
    assert not at.exception
    e12 = engine(sample_con, as_of, chosen, window_days=60, months=12)
    assert e12["portfolio"].n_settled > e["portfolio"].n_settled
    assert_behaviour(at, e12)
    at.selectbox(key="dso_settled_months").set_value(3).run()
    assert_behaviour(at, engine(sample_con, as_of, chosen, window_days=60, months=3))


def test_a_search_that_matches_nobody_explains_itself_instead_of_failing():
    at = open_page(PAGE, sb_search="no such customer")
    assert card(at, "Standard DSO").value == format.NA
    assert card(at, "Invoices settled").value == "0"
    infos = [i.value for i in at.info]
    assert any(i.startswith("No month-end in the 24 months to 31 Oct 2026") for i in infos)
    assert "No two consecutive month-ends with credit sales to compare for this selection." in infos
    assert "No invoices were settled in this period for this selection." in infos
    assert plotly_figures(at) == [] and len(at.dataframe) == 0


def test_on_the_ledgers_first_day_the_trend_and_bridge_are_undefined_and_nothing_fails(sample_con):
    # every month-end of the trend is before the first document: no AR, no sales; on the day
    # itself AR = that day's invoices = the window's sales, so standard DSO = 90 days
    at = open_page(PAGE, sb_as_of=FIRST)
    e = engine(sample_con, FIRST)
    assert e["metrics"].dso_standard == pytest.approx(90)
    assert_dso_cards(at, e["metrics"])
    assert plotly_figures(at) == []  # nothing to draw before the first document
    assert any(i.value.startswith("No month-end in the 24 months to 01 Nov 2023") for i in at.info)
    assert any(i.value.startswith("No two consecutive month-ends") for i in at.info)
    assert any("No invoices were settled" in i.value for i in at.info)


def test_an_as_of_before_the_first_document_falls_back_to_the_last_date(sample_con):
    at = open_page(PAGE, sb_as_of=date(2020, 1, 1))
    assert card(at, "Standard DSO").value == format.days(
        engine(sample_con, LAST)["metrics"].dso_standard
    )
