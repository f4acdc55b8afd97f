"""Watchlist page: its counts and rows equal the engine's warnings for the page's thresholds,
filters and the sidebar; thresholds move, go into the link and come back from it; a bad one
is said naming it."""

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.risk.model import behavioural_model
from analytics.risk.score import downgrade_inputs
from analytics.risk.warning_rules import RULES
from analytics.risk.warning_settings import WarningSettings
from analytics.risk.warnings import selected, warning_rows, warnings_with_history
from core.filters import CustomerFilter
from engines import facts
from reports import format
from tests.pages.conftest import APP, TIMEOUT, open_page, shown

PAGE = "app_pages/watchlist.py"
NO_PROMISES = pd.DataFrame(columns=["customer_id", "n_broken", "shortfall_amount"])
LAST = date(2026, 10, 31)


def cards(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def expected_cards(counts: dict) -> dict[str, str]:
    return {r.label: format.count(counts[r.name]) for r in RULES}


@pytest.fixture(scope="module")
def engine_warnings(sample_data_dir):
    from engines.duckdb.engine import connect

    con = connect(sample_data_dir / "ledger.duckdb")
    model = behavioural_model(con, as_of=LAST)

    def other_at(day):  # grades at each date and the month-end before, by the model as of LAST;
        # no promise recorded: none broken at LAST (and promises unchecked at earlier dates)
        other = downgrade_inputs(con, model, day)
        return replace(other, broken_promises=NO_PROMISES) if day == LAST else other

    out = {
        "default": warnings_with_history(con, LAST, other_at=other_at),
        "late_30": warnings_with_history(con, LAST, WarningSettings(late_days=30), other_at),
        "customers": facts.customers(con),
    }
    con.close()
    return out


def test_the_counts_and_rows_are_the_engines(engine_warnings):
    at = open_page(PAGE)
    assert at.title[0].value == "Watchlist"
    w = engine_warnings["default"]
    assert sum(v or 0 for v in w.counts().values()) > 0  # the sample has warnings to show
    assert cards(at) == expected_cards(w.counts())
    assert cards(at)["Grade downgrade"] != "n/a" and cards(at)["Broken promise"] == "0"
    shown = at.dataframe[0].value
    expected = warning_rows(w, selected(w), "USD")
    assert shown[["customer_id", "rule"]].values.tolist() == (
        expected[["customer_id", "rule"]].values.tolist()
    )
    assert shown["first_seen_date"].tolist() == expected["first_seen_date"].tolist()
    assert shown["reason"].tolist() == expected["reason"].tolist()


def test_a_moved_threshold_changes_the_counts_and_the_link(engine_warnings):
    at = open_page(PAGE)
    at.number_input(key="wl_late_days").set_value(30).run()
    assert not at.exception and not at.error
    assert cards(at) == expected_cards(engine_warnings["late_30"].counts())
    assert at.query_params["late_days"] in ("30", ["30"])
    changed = "Thresholds changed: Late item: days past due, more than 30 (default 15)."
    assert changed in [c.value for c in at.caption]
    at.button(key="wl_reset").click().run()
    assert at.number_input(key="wl_late_days").value == 15
    assert "late_days" not in at.query_params


def test_the_warning_filter_and_the_minimum_balance_choose_rows(engine_warnings):
    w = engine_warnings["default"]
    at = open_page(PAGE)
    at.selectbox(key="wl_rule").set_value("Over limit").run()
    rows = at.dataframe[0].value
    assert set(rows["rule"]) == {"over_limit"}
    assert len(rows) == w.counts()["over_limit"]
    assert at.query_params["warning"] in ("Over limit", ["Over limit"])
    at.selectbox(key="wl_rule").set_value("All warnings").run()
    at.text_input(key="wl_min_balance").set_value("100,000").run()
    rows = at.dataframe[0].value
    assert len(rows) == len(selected(w, min_balance_amount=100_000.0))
    assert (rows["balance_amount"] >= 100_000).all()


def test_the_sidebar_filter_chooses_the_customers_not_the_shares(engine_warnings):
    w = engine_warnings["default"]
    only_e = CustomerFilter(ratings=("E",))
    keys = only_e.customer_keys(engine_warnings["customers"])
    at = open_page(PAGE, sb_ratings=["E"])
    assert cards(at) == expected_cards(w.counts(keys))


def test_thresholds_come_back_from_a_link_and_a_bad_one_is_said(engine_warnings):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["late_days"] = "30"
    at.query_params["disputes_share"] = "-5"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.number_input(key="wl_late_days").value == 30
    assert at.number_input(key="wl_disputes_share").value == 10.0  # kept its default
    said = shown(" ".join(w.value for w in at.warning))
    assert "disputes_share='-5' (disputes share of balance: must be from 0 to 100 %" in said
    assert cards(at) == expected_cards(engine_warnings["late_30"].counts())


def test_near_limit_at_or_above_over_limit_is_said_and_the_defaults_used(engine_warnings):
    at = open_page(PAGE)
    at.number_input(key="wl_near_limit_utilisation").set_value(100.0).run()
    assert any(
        "near_limit utilisation: must be below over_limit's" in shown(e.value) for e in at.error
    )
    assert cards(at) == expected_cards(engine_warnings["default"].counts())


def test_the_watchlist_is_in_the_collections_section_at_its_own_path():
    """Issue 11: a Collections section with the worklist, the watchlist and the disputes; the
    page keeps the url path its file gives it (/watchlist), so old links still open it."""
    app = Path(APP).read_text()
    sections = dict(
        re.findall(r'^    "(\w+)": \[(.*?)^    \],', app, flags=re.MULTILINE | re.DOTALL)
    )
    pages = {name: re.findall(r"app_pages/(\w+)\.py", body) for name, body in sections.items()}
    assert pages["Collections"] == ["collections", "watchlist", "disputes"]
    assert "watchlist" not in pages["Risk"]
    assert "url_path" not in sections["Collections"]
    at = open_page("app_pages/watchlist.py")
    assert at.title[0].value == "Watchlist"
