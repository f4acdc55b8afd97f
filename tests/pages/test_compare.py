"""Compare dates page: its cards, chart and tables equal the engine's comparison of the two
dates for any pair of dates, sidebar filter and currency; the dates live in the link."""

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from analytics.portfolio.compare import comparison
from analytics.portfolio.report import translation_rate
from analytics.portfolio.snapshot import Options, snapshot
from core.filters import ALL_CUSTOMERS, CustomerFilter
from reports import format
from tests.pages.conftest import APP, TIMEOUT, open_page, plotly_figures, trace_values

PAGE = "app_pages/compare.py"
LAST = date(2026, 10, 31)  # the sample's last date: the sidebar's default
MONTH_BEFORE = date(2026, 9, 30)  # the month-end before it: Compare's default


def engine(con, a, b, customer_filter=ALL_CUSTOMERS):
    return comparison(
        snapshot(con, Options(as_of=a), customer_filter),
        snapshot(con, Options(as_of=b), customer_filter),
    )


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def shown_tables(at):
    """The page's three tables: aging, largest customers, headline figures."""
    return [df.value for df in at.dataframe]


def assert_page_equals_engine(at, expected, currency="USD", rate=1.0):
    a_label = f"{expected.a_date:%d %b %Y}"
    rows = expected.headline.set_index("figure")
    total, share = rows.loc["Total AR"], rows.loc["Overdue share"]
    assert card(at, "Total AR").value == format.money(total["b_value"] * rate, currency)
    sign = "+" if total["change"] >= 0 else ""  # format.money puts the minus itself
    assert card(at, "Total AR").delta == sign + format.money(total["change"] * rate, currency)
    assert card(at, "Overdue share").value == format.pct(share["b_value"])
    assert card(at, "Overdue share").delta == f"{share['change'] * 100:+.1f} pp"
    assert card(at, "DSO (countback)").value == format.days(rows.loc["DSO (countback)", "b_value"])
    assert card(at, "Over limit").value == format.count(rows.loc["Over limit", "b_value"])
    assert f"{a_label}: {format.pct(share['a_value'])}" in [c.value for c in at.caption]
    aging, customers, headline = shown_tables(at)
    assert aging["bucket"].tolist() == expected.aging["bucket"].tolist()
    for column in ("a_amount", "b_amount", "change_amount"):
        assert aging[column].tolist() == pytest.approx((expected.aging[column] * rate).tolist())
    assert customers["customer_id"].tolist() == expected.customers["customer_id"].tolist()
    assert customers["b_balance_amount"].tolist() == pytest.approx(
        (expected.customers["b_balance_amount"] * rate).tolist()
    )
    assert headline["figure"].tolist() == expected.headline["figure"].tolist()
    assert headline.loc[0, "a_value"] == pytest.approx(total["a_value"] * rate)
    assert headline.loc[2, "b_value"] == pytest.approx(share["b_value"] * 100)  # in %
    bars = plotly_figures(at)[0]["data"]
    assert [t["name"] for t in bars] == [a_label, f"{expected.b_date:%d %b %Y}"]
    b_bars = trace_values(bars[1]["y"])
    assert b_bars == pytest.approx((expected.aging["b_amount"] * rate).tolist())


def test_by_default_the_sidebar_date_is_compared_with_the_month_end_before_it(sample_con):
    at = open_page(PAGE)
    assert at.title[0].value == "Compare dates"
    assert at.date_input(key="cmp_a").value == MONTH_BEFORE
    assert at.date_input(key="cmp_b").value == LAST
    expected = engine(sample_con, MONTH_BEFORE, LAST)
    assert_page_equals_engine(at, expected)
    assert "30 Sep 2026 compared with 31 Oct 2026 · USD" in at.caption[0].value
    assert (at.query_params["compare"], at.query_params["with"]) == ("2026-09-30", "2026-10-31")
    assert len(expected.customers) >= 10  # the top 10 at B, and any that left it
    assert not at.warning


def test_moving_both_dates_recomputes_everything_and_puts_them_in_the_link(sample_con):
    at = open_page(PAGE)
    a, b = date(2025, 3, 31), date(2025, 12, 15)
    at.date_input(key="cmp_a").set_value(a).run()
    at.date_input(key="cmp_b").set_value(b).run()
    assert not at.exception
    expected = engine(sample_con, a, b)
    assert_page_equals_engine(at, expected)
    # a customer in the top 10 at A only is still listed, below the top 10 at B
    shown = shown_tables(at)[1]
    assert (shown["a_rank"] <= 10).sum() == 10 and (shown["b_rank"] <= 10).sum() == 10
    assert at.query_params["compare"] == "2025-03-31"
    assert at.query_params["with"] == "2025-12-15"


def test_a_shared_link_opens_on_its_dates(sample_con):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"compare": "2024-06-30", "with": "2025-06-30"})
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.date_input(key="cmp_a").value == date(2024, 6, 30)
    assert_page_equals_engine(at, engine(sample_con, date(2024, 6, 30), date(2025, 6, 30)))


def test_a_bad_or_outside_link_date_falls_back_and_says_so():
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({"compare": "yesterday", "with": "2031-01-01"})
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    warnings = [w.value for w in at.warning]
    assert "Compare: 'yesterday' is not a date; using 30 Sep 2026." in warnings
    assert any(w.startswith("with: 01 Jan 2031 is outside the ledger") for w in warnings)
    assert at.date_input(key="cmp_b").value == LAST


def test_dates_in_the_wrong_order_are_swapped_and_said(sample_con):
    at = open_page(PAGE)
    at.date_input(key="cmp_a").set_value(date(2026, 6, 30)).run()
    at.date_input(key="cmp_b").set_value(date(2026, 1, 31)).run()
    assert [w.value for w in at.warning] == [
        "Compare (30 Jun 2026) is after with (31 Jan 2026): the dates are swapped, so "
        "31 Jan 2026 is compared with 30 Jun 2026."
    ]
    assert_page_equals_engine(at, engine(sample_con, date(2026, 1, 31), date(2026, 6, 30)))


def test_the_same_date_twice_says_there_is_nothing_to_compare():
    at = open_page(PAGE)
    at.date_input(key="cmp_a").set_value(LAST).run()
    assert [w.value for w in at.warning] == [
        "Compare and with are both 31 Oct 2026: there is nothing to compare. "
        "Pick an earlier date under Compare."
    ]
    assert not at.metric and not at.dataframe and not at.get("plotly_chart")


def test_the_sidebar_filter_and_currency_flow_into_both_dates(sample_con):
    at = open_page(PAGE, sb_regions=["Europe"], sb_currency="EUR")
    expected = engine(sample_con, MONTH_BEFORE, LAST, CustomerFilter(regions=("Europe",)))
    rate = translation_rate(sample_con, LAST, "EUR", "USD")
    assert_page_equals_engine(at, expected, "EUR", rate)
    assert "both dates at the 31 Oct 2026 rate" in at.caption[0].value
    assert "filtered" in at.caption[0].value


def test_untouched_dates_follow_the_sidebar_and_chosen_ones_stay(sample_con):
    at = open_page(PAGE)
    at.session_state["sb_as_of"] = date(2026, 5, 20)  # the sidebar date, moved
    at.run()
    assert at.date_input(key="cmp_a").value == date(2026, 4, 30)  # the month-end before May
    assert at.date_input(key="cmp_b").value == date(2026, 5, 20)
    at.date_input(key="cmp_a").set_value(date(2025, 5, 20)).run()
    at.session_state["sb_as_of"] = LAST
    at.run()
    assert at.date_input(key="cmp_a").value == date(2025, 5, 20)  # chosen: stays
    assert at.date_input(key="cmp_b").value == LAST  # never moved: follows the sidebar


def test_chosen_dates_survive_a_visit_to_another_page(sample_con):
    at = open_page(PAGE)
    at.date_input(key="cmp_a").set_value(date(2025, 3, 31)).run()
    at.switch_page("app_pages/aging.py").run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.date_input(key="cmp_a").value == date(2025, 3, 31)
    assert_page_equals_engine(at, engine(sample_con, date(2025, 3, 31), LAST))
    assert at.query_params["compare"] == "2025-03-31"  # a link copied now has the date
