"""Overview page: headline figures equal the metrics engine's for every sidebar setting."""

from datetime import date

from analytics.portfolio.problems import largest_problems
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from core.filters import ALL_CUSTOMERS, CustomerFilter
from reports import format
from tests.pages.conftest import open_page, plotly_figures


def engine_metrics(con, as_of, customer_filter=ALL_CUSTOMERS, **options):
    return portfolio_metrics(snapshot(con, Options(as_of=as_of, **options), customer_filter))


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def test_default_view_shows_the_engine_figures_as_of_the_last_date(sample_con):
    at = open_page()
    assert at.title[0].value == "Portfolio overview"
    last = date(2026, 10, 31)
    m = engine_metrics(sample_con, last)
    assert card(at, "Total AR").value == format.money(m.ar_total, "USD")
    assert card(at, "Overdue").value == format.money(m.ar_overdue, "USD")  # issue 9: an amount
    assert card(at, "Overdue share").value == format.pct(m.overdue_share)
    assert card(at, "DSO (countback)").value == format.days(m.dso_countback)
    assert card(at, "Over limit").value == format.count(m.customers_over_limit)
    assert card(at, "Top-10 share").value == format.pct(m.top_n_share)
    figures = plotly_figures(at)
    assert [f["layout"]["title"]["text"] for f in figures] == [
        "Receivables and overdue at month-end",
        "Aging of open items",
    ]
    problems = at.dataframe[0].value  # the largest problems, one row per customer
    expected = largest_problems(snapshot(sample_con, Options(as_of=last)).customers)
    assert problems["customer_id"].tolist() == expected["customer_id"].tolist()
    assert problems["customer_id"].is_unique
    # to the cent: DuckDB's parallel sums of doubles may differ in the last bit between runs
    assert (
        problems["at_issue_amount"].round(2).tolist()
        == expected["at_issue_amount"].round(2).tolist()
    )


def test_every_sidebar_control_changes_the_figures(sample_con):
    as_of = date(2025, 6, 30)
    dims = sample_con.con.execute("select segment, region, risk_rating from customers").df()
    segment, region = dims["segment"].iloc[0], dims["region"].iloc[0]
    chosen = CustomerFilter(segments=(segment,), regions=(region,))
    at = open_page(
        sb_as_of=as_of, sb_segments=[segment], sb_regions=[region], sb_window=30, sb_edges="15,45"
    )
    m = engine_metrics(sample_con, as_of, chosen, window_days=30, edges=(15, 45))
    assert card(at, "Total AR").value == format.money(m.ar_total, "USD")
    assert card(at, "Best possible DSO").value == format.days(m.dso_best_possible)
    aging = plotly_figures(at)[1]["data"][0]["x"]
    assert aging == ["current", "1-15", "16-45", "45+"]
    assert "DSO window 30 days" in at.caption[0].value and "filtered" in at.caption[0].value


def test_a_search_that_matches_nobody_explains_itself_instead_of_failing():
    at = open_page(sb_search="no such customer")
    assert card(at, "Total AR").value == format.money(0, "USD")
    assert any("No overdue or over-limit customers" in s.value for s in at.success)


def test_bad_link_parameters_fall_back_with_a_warning():
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["as_of"] = "yesterday"
    at.query_params["edges"] = "90,30"
    at.run()
    assert not at.exception
    assert any("as_of='yesterday' is not a date" in w.value for w in at.sidebar.warning)
    assert any("strictly increasing" in e.value for e in at.sidebar.error)


def test_moving_the_sidebar_widgets_recomputes_the_page(sample_con):
    at = open_page()
    at.sidebar.text_input(key="sb_as_of_text").set_value("2025-06-30").run()
    assert card(at, "Total AR").value == format.money(
        engine_metrics(sample_con, date(2025, 6, 30)).ar_total, "USD"
    )
    segment = at.sidebar.multiselect(key="sb_segments").options[0]
    at.sidebar.multiselect(key="sb_segments").set_value([segment]).run()
    expected = engine_metrics(sample_con, date(2025, 6, 30), CustomerFilter(segments=(segment,)))
    assert card(at, "Total AR").value == format.money(expected.ar_total, "USD")
    assert at.query_params["segment"] in (segment, [segment])
    assert at.query_params["as_of"] in ("2025-06-30", ["2025-06-30"])


def test_the_early_warning_counts_are_the_watchlists():
    from ui.warnings_data import warning_count_line  # noqa: F401 (the page's one line)

    at = open_page()
    line = next(m.value for m in at.markdown if "**" in m.value and "·" in m.value)
    watch = open_page("app_pages/watchlist.py")
    counts = {m.label: m.value for m in watch.metric}
    for label, value in counts.items():
        if value not in ("0", "n/a"):
            assert f"{label} **{value}**" in line
