"""Cash flow page: cards, fan chart, funding gap and backtest equal the engine's figures."""

from datetime import date, timedelta

import pandas as pd
import pytest

from analytics.cashflow.backtest import backtest, backtest_origins, data_end
from analytics.cashflow.funding import constant_outflows, funding_gap
from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from analytics.portfolio.report import translation_rate
from core.filters import CustomerFilter
from engines import facts
from reports import format
from stores.collections import CollectionsStore
from stores.workspace import Workspace
from tests.pages.conftest import open_page, plotly_figures, trace_values
from ui.settings import DATA_DIR_ENV

PAGE = "app_pages/cashflow.py"
LAST = date(2026, 10, 31)  # the sample ledger's last date
FIRST = date(2023, 11, 1)
NO_BACKTEST = {"cf_backtest": False}  # the backtest has its own test


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def figure(at, title_start):
    return next(
        f for f in plotly_figures(at) if f["layout"]["title"]["text"].startswith(title_start)
    )


def trace(fig, name):
    return next(t for t in fig["data"] if t.get("name") == name)


def engine(con, as_of=LAST, customer_filter=None, **kw):
    keys = customer_filter.customer_keys(facts.customers(con)) if customer_filter else None
    return project(con, CashflowOptions(as_of=as_of, **kw), keys)


def assert_cards(at, p):
    total = p.weekly["mean_amount"].sum()
    assert card(at, "Receipts, next 13 weeks").value == format.money(total, "USD")
    assert card(at, "of which from open AR").value == format.money(
        p.weekly["open_ar_amount"].sum(), "USD"
    )
    assert card(at, "Open AR collectible").value == format.money(p.open_ar.collectible, "USD")
    not_expected = p.open_ar.never_expected + p.open_ar.disputed_excluded
    assert (
        card(at, "Open AR collectible").delta == f"{format.money(not_expected, 'USD')} not expected"
    )


def test_default_view_shows_the_engine_projection(sample_con):
    at = open_page(PAGE, **NO_BACKTEST)
    assert at.title[0].value == "Cash flow"
    p = engine(sample_con)
    assert_cards(at, p)
    fan = figure(at, "Projected receipts per week")
    assert trace_values(trace(fan, "P50 (median)")["y"]) == pytest.approx(
        p.weekly["p50_amount"].tolist()
    )
    assert trace_values(trace(fan, "Expected from new sales")["y"]) == pytest.approx(
        p.weekly["new_sales_amount"].tolist()
    )
    assert len(trace_values(trace(fan, "Actual receipts")["y"])) == 26  # history before D
    shown = at.dataframe[0].value
    assert shown["p90_amount"].to_numpy() == pytest.approx(p.weekly["p90_amount"].to_numpy())
    assert f"Sales forecast: {p.sales.model}" in " ".join(c.value for c in at.caption)
    assert any(x.label == "How this is computed" for x in at.expander)


def test_page_widgets_and_sidebar_filters_change_the_projection(sample_con):
    as_of = date(2025, 9, 30)
    chosen = CustomerFilter(segments=("SMB", "Mid-market"))
    at = open_page(PAGE, sb_as_of=as_of, sb_segments=list(chosen.segments), **NO_BACKTEST)
    assert_cards(at, engine(sample_con, as_of, chosen))
    assert "filtered" in at.caption[0].value

    at.radio(key="cf_disputed").set_value("exclude").run()
    at.toggle(key="cf_sales").set_value(False).run()
    p = engine(sample_con, as_of, chosen, disputed="exclude", include_sales=False)
    assert p.open_ar.disputed_excluded > 0  # there are disputes, and they are left out now
    assert_cards(at, p)
    assert card(at, "of which from new sales").value == format.money(0, "USD")

    at.radio(key="cf_unit").set_value("month").run()
    fan = figure(at, "Projected receipts per month")
    assert trace_values(trace(fan, "P10-P90")["y"]) == pytest.approx(
        p.monthly["p10_amount"].tolist()
    )
    assert len(at.dataframe[0].value) == 12


def test_the_funding_gap_flags_short_weeks_with_engine_shortfalls(sample_con):
    at = open_page(PAGE, **NO_BACKTEST)
    at.text_input(key="cf_opening").set_value("1,000,000").run()  # typed as finance does
    at.text_input(key="cf_outflow").set_value("400000").run()
    at.text_input(key="cf_buffer").set_value("900,000").run()
    assert not at.exception
    p = engine(sample_con)
    gap = funding_gap(p.weekly_draws, LAST, constant_outflows(400_000.0, 13), 1e6, 9e5)
    assert (gap["status"] != "ok").any()  # the inputs make some week short or at risk
    shown = at.dataframe[1].value
    assert shown["status"].tolist() == gap["status"].tolist()
    assert shown["shortfall_p90_amount"].to_numpy() == pytest.approx(
        gap["shortfall_p90_amount"].to_numpy()
    )
    worst = format.money(gap["shortfall_p90_amount"].max(), "USD")
    assert any(worst in w.value for w in at.warning)
    buffer_line = figure(at, "Projected cash at each week-end")["layout"]["shapes"][0]
    assert buffer_line["y0"] == 900_000.0


def test_the_backtest_table_equals_the_engine_backtest(sample_con):
    at = open_page(PAGE, sb_as_of=date(2026, 6, 30))
    origins = backtest_origins(FIRST, min(data_end(sample_con), date(2026, 6, 30)))
    assert origins[-1] == date(2026, 3, 31)  # 13 weeks after it fit before 30 Jun
    bt = backtest(sample_con, CashflowOptions(as_of=date(2026, 6, 30)), origins=origins)
    assert card(at, "P10-P90 coverage of actual weeks").value == format.pct(bt.coverage)
    shown = at.dataframe[-1].value.set_index("method")
    errors = bt.errors.pivot(index="method", columns="horizon_weeks", values="mape")
    for method in ("Projection (ours)", "Due date", "13-week average"):
        assert shown.loc[method, ["error_4w", "error_8w", "error_13w"]].to_numpy(float) == (
            pytest.approx(errors.loc[method].to_numpy(float))
        )
    history = figure(at, "Receipts in the 13 weeks after each past month-end")
    assert len(trace_values(trace(history, "Actual")["y"])) == len(origins)


def test_a_filter_that_matches_nobody_explains_itself():
    at = open_page(PAGE, sb_search="no such customer")
    assert any("nothing to project" in i.value for i in at.info)
    assert plotly_figures(at) == []


def test_on_the_first_day_there_is_no_history_and_nothing_fails(sample_con):
    # no payment yet: every customer falls back to "paid on the due date", and the first
    # day's invoices (terms 30 days or more) are not due within 4 weeks
    at = open_page(PAGE, sb_as_of=FIRST)
    p = engine(sample_con, FIRST)
    assert_cards(at, p)
    assert p.weekly["open_ar_amount"].iloc[:4].tolist() == [0.0] * 4
    assert p.weekly["open_ar_amount"].sum() > 0
    assert any(i.value.startswith("A backtest needs month-ends") for i in at.info)


def test_amounts_are_shown_in_the_display_currency(sample_con):
    at = open_page(PAGE, sb_currency="EUR", **NO_BACKTEST)
    rate = translation_rate(sample_con, LAST, "EUR", "USD")  # USD amount × rate = EUR
    p = engine(sample_con)
    assert card(at, "Receipts, next 13 weeks").value == format.money(
        p.weekly["mean_amount"].sum() * rate, "EUR"
    )
    assert at.dataframe[0].value["p50_amount"].to_numpy() == pytest.approx(
        p.weekly["p50_amount"].to_numpy() * rate
    )
    assert "Receipts (EUR)" in figure(at, "Projected receipts")["layout"]["yaxis"]["title"]["text"]


def test_money_fields_show_thousands_separators_and_refuse_words(sample_con):
    at = open_page(PAGE, **NO_BACKTEST)
    opening = at.text_input(key="cf_opening")
    assert "," in opening.value  # the placeholder reads 1,200,000, not 1200000.0
    opening.set_value("1,000,000").run()
    at.text_input(key="cf_buffer").set_value("a lot").run()
    assert any("Minimum buffer (USD): 'a lot' is not an amount of at least 0" in e.value
               for e in at.error)  # fmt: skip
    at.text_input(key="cf_buffer").set_value("-5").run()  # a buffer cannot be negative
    assert any("'-5' is not an amount of at least 0" in e.value for e in at.error)
    assert not at.exception


def test_the_funding_gap_names_its_cases_one_way(sample_con):
    at = open_page(PAGE, **NO_BACKTEST)
    at.text_input(key="cf_opening").set_value("0").run()
    at.text_input(key="cf_buffer").set_value("900,000").run()
    warning = " ".join(w.value for w in at.warning)
    assert "median case" in warning and "pessimistic case" in warning
    assert "at P90" not in warning
    assert any("do not add up across weeks" in c.value for c in at.caption)


@pytest.fixture
def own_workspace(sample_data_dir, tmp_path, monkeypatch):
    """A data folder of its own (the sample ledger linked in) whose workspace starts empty."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "ledger.duckdb").symlink_to(sample_data_dir / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    return data


def test_a_recorded_promise_moves_its_customers_cash_to_the_promised_week(sample_con,
                                                                          own_workspace):  # fmt: skip
    groups = facts.cashflow_open_items(sample_con, as_of=LAST, customer_keys=None)
    debit = groups[~groups["is_credit"]]
    biggest = int(debit.groupby("customer_key")["open_amount"].sum().idxmax())
    customer_id = facts.customers(sample_con).set_index("customer_key").loc[biggest, "customer_id"]
    open_amount = float(debit.loc[debit["customer_key"] == biggest, "open_amount"].sum())
    # more than the customer owes, on LAST + 30 (day 30: week 5); capped at what it owes
    CollectionsStore(Workspace.in_folder(own_workspace)).add_promise(
        customer_id, open_amount + 1_000_000, LAST + timedelta(days=30), as_of=LAST,
        currency="USD")  # fmt: skip
    at = open_page(PAGE, **NO_BACKTEST)
    note = f"1 promise or plan worth {format.money(open_amount, 'USD')} replaces the model's timing"
    assert any(c.value.startswith(note) for c in at.caption)
    promised = pd.DataFrame([{"expected_date": LAST + timedelta(days=30),
                              "amount": open_amount + 1_000_000, "customer_id": customer_id,
                              "source": "promise", "record_id": 1, "instalment_no": 0,
                              "invoice_ids": ()}])  # fmt: skip
    options = CashflowOptions(as_of=LAST)
    p, model = project(sample_con, options, promised=promised), project(sample_con, options)
    shown = at.dataframe[0].value["open_ar_amount"].to_numpy()
    assert shown == pytest.approx(p.weekly["open_ar_amount"].to_numpy())
    assert_cards(at, p)
    # week 5 gains the customer's whole open amount less what the model already put there
    gained = shown[4] - model.weekly["open_ar_amount"].iloc[4]
    assert open_amount * 0.5 < gained <= open_amount + 1e-6
    assert (shown[:4] <= model.weekly["open_ar_amount"].to_numpy()[:4] + 1e-6).all()


def test_without_promises_the_page_says_nothing_of_them():
    at = open_page(PAGE, **NO_BACKTEST)
    assert not any("replace" in c.value for c in at.caption)
