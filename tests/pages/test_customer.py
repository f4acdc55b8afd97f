"""Customer page: every figure equals the engine's for the chosen customer and sidebar."""

import base64
from datetime import date

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from analytics.portfolio import customer
from analytics.portfolio.ledger import ledger_info
from analytics.portfolio.report import translation_rate
from analytics.portfolio.snapshot import Options, snapshot
from core.filters import ALL_CUSTOMERS, CustomerFilter
from reports import format
from tests.pages.conftest import APP, TIMEOUT, open_page, plotly_figures

PAGE = "app_pages/customer.py"
PICK = "customer_pick"


def ranked(con, as_of, customer_filter=ALL_CUSTOMERS):
    """The engine's customers for the sidebar, largest balance first (the picker's order)."""
    snap = snapshot(con, Options(as_of=as_of), customer_filter)
    return customer.customers_by_balance(snap.customers).set_index("customer_id", drop=False)


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def values(trace_array) -> list[float]:
    """A plotly 7 array: a list, or {"dtype", "bdata"} base64."""
    if isinstance(trace_array, dict):
        raw = base64.b64decode(trace_array["bdata"])
        return np.frombuffer(raw, dtype=trace_array["dtype"]).tolist()
    return [np.nan if v is None else v for v in trace_array]


def frame(at, name):
    """The page's dataframe whose first column is ``name``."""
    return next(df.value for df in at.dataframe if df.value.columns[0] == name)


def arrive(query_customer: str) -> AppTest:
    """Open the Customer page with ?customer=<id> in the URL before the first run (a shared
    link or an Overview link: the shared sidebar runs, as it does in the browser)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["customer"] = query_customer
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_sample_has_eur_rates_for_the_currency_tests(sample_con):
    currencies = sample_con.con.execute("select distinct currency from rates").df()["currency"]
    assert set(currencies) == {"EUR", "USD"}


def test_default_is_the_largest_balance_with_the_engine_figures(sample_con):
    last = ledger_info(sample_con).last_date
    at = open_page(PAGE)
    assert at.title[0].value == "Customer"
    engine = ranked(sample_con, last)
    top = engine.iloc[0]
    picker = at.selectbox(key=PICK)
    assert picker.value == top["customer_id"]
    assert picker.options == [
        f"{c} · {n}" for c, n in zip(engine["customer_id"], engine["name"], strict=True)
    ]
    assert at.query_params["customer"] == top["customer_id"]
    assert card(at, "Balance").value == format.money(top["balance_amount"], "USD")
    assert card(at, "Overdue").value == format.money(top["overdue_amount"], "USD")
    has_limit = top["credit_limit"] > 0
    assert card(at, "Utilisation").value == (
        format.pct(top["utilisation"]) if has_limit else "no limit"
    )
    assert card(at, "Risk rating").value == top["risk_rating"]
    assert card(at, "Payment terms").value == f"{int(top['payment_terms_days'])} days"
    items = customer.open_items(sample_con, last, top["customer_key"])
    shown = frame(at, "Document")
    assert shown["Document"].tolist() == items["invoice_id"].tolist()
    assert shown["Open (USD)"].tolist() == pytest.approx(items["open_amount_rc"].tolist())
    assert shown["Open (USD)"].sum() == pytest.approx(top["open_amount"])


def test_sidebar_presets_and_the_picker_drive_every_figure(sample_con):
    as_of = date(2025, 6, 30)
    segment = sample_con.con.execute("select min(segment) from customers").fetchone()[0]
    chosen = CustomerFilter(segments=(segment,))
    at = open_page(PAGE, sb_as_of=as_of, sb_currency="EUR", sb_segments=[segment])
    engine = ranked(sample_con, as_of, chosen)
    assert at.selectbox(key=PICK).value == engine.index[0]
    assert len(at.selectbox(key=PICK).options) == len(engine)

    second = engine.iloc[1]
    at.selectbox(key=PICK).set_value(second["customer_id"]).run()
    assert not at.exception
    assert at.query_params["customer"] == second["customer_id"]
    rate = translation_rate(sample_con, as_of, "EUR", "USD")
    assert rate != 1.0
    assert card(at, "Balance").value == format.money(second["balance_amount"] * rate, "EUR")
    limit = second["credit_limit"]
    expected_limit = format.money(limit * rate, "EUR") if limit > 0 else "no limit"
    assert card(at, "Credit limit").value == expected_limit

    key = int(second["customer_key"])
    items = customer.open_items(sample_con, as_of, key)
    shown = frame(at, "Document")
    assert shown["Open"].tolist() == pytest.approx(items["open_amount"].tolist())
    assert shown["Open (EUR)"].tolist() == pytest.approx((items["open_amount_rc"] * rate).tolist())
    disputed = customer.disputes(items)
    assert card(at, "Disputed open items").value == format.count(disputed.n_items)
    assert card(at, "Disputed amount").value == format.money(disputed.open_amount * rate, "EUR")

    _risk_fig, aging_fig, trend_fig = plotly_figures(at)  # the credit-risk history comes first
    aging = customer.customer_aging(second, (30, 60, 90, 120))
    assert values(aging_fig["data"][0]["y"]) == pytest.approx([v * rate for v in aging.values()])
    trend = customer.days_late_trend(sample_con, as_of, key)
    by_name = {t["name"]: t for t in trend_fig["data"]}
    assert values(by_name["Invoices settled"]["y"]) == trend["n_settled"].tolist()
    late = values(by_name["Days late"]["y"])
    assert late == pytest.approx(trend["days_late"].tolist(), nan_ok=True)
    assert trend_fig["layout"]["yaxis2"]["title"]["text"] == "Days (amount-weighted average)"

    payments = customer.payment_history(sample_con, as_of, key)
    shown = frame(at, "Payment")  # the payment history comes before unapplied cash
    assert shown["Payment"].tolist() == payments["payment_id"].tolist()
    assert shown["Date"].is_monotonic_decreasing
    assert max(shown["Date"]) <= as_of


def test_a_search_keeps_only_matching_customers_in_the_picker(sample_con):
    last = ledger_info(sample_con).last_date
    target = ranked(sample_con, last).iloc[5]
    at = open_page(PAGE, sb_search=target["name"].lower())
    assert at.selectbox(key=PICK).value == target["customer_id"]
    assert card(at, "Balance").value == format.money(target["balance_amount"], "USD")


def test_a_filter_that_matches_nobody_explains_itself():
    at = open_page(PAGE, sb_search="no such customer")
    assert any("No customers match the sidebar filter" in i.value for i in at.info)
    assert not at.main.selectbox


def test_the_ledgers_first_day_shows_empty_states_not_errors(sample_con):
    first = ledger_info(sample_con).first_date
    at = open_page(PAGE, sb_as_of=first)
    infos = " ".join(i.value for i in at.info)
    assert "No invoice of this customer was settled" in infos
    assert "No unapplied cash" in infos


def test_a_link_with_a_customer_opens_that_customer(sample_con):
    last = ledger_info(sample_con).last_date
    target = ranked(sample_con, last).iloc[3]
    at = arrive(target["customer_id"])
    assert at.selectbox(key=PICK).value == target["customer_id"]
    assert card(at, "Balance").value == format.money(target["balance_amount"], "USD")
    assert not at.warning
    # the URL still names the linked customer when the picker moves: the picker must win
    other = ranked(sample_con, last).iloc[4]
    at.selectbox(key=PICK).set_value(other["customer_id"]).run()
    assert at.selectbox(key=PICK).value == other["customer_id"]
    assert at.query_params["customer"] == other["customer_id"]
    assert card(at, "Balance").value == format.money(other["balance_amount"], "USD")


def test_an_unknown_customer_in_the_link_warns_and_shows_the_largest(sample_con):
    last = ledger_info(sample_con).last_date
    at = arrive("C99999")
    assert any("'C99999'" in w.value and "not in this ledger" in w.value for w in at.warning)
    assert at.selectbox(key=PICK).value == ranked(sample_con, last).index[0]


def test_a_chosen_customer_the_filter_drops_gives_way_to_the_largest_with_a_note(sample_con):
    last = ledger_info(sample_con).last_date
    engine = ranked(sample_con, last)
    kept, dropped = engine.iloc[0], engine.iloc[1]
    at = open_page(PAGE, sb_search=kept["customer_id"].lower(), customer_pick=dropped.name)
    assert any(f"{dropped.name} is not kept by the sidebar filter" in i.value for i in at.info)
    assert at.selectbox(key=PICK).value == kept["customer_id"]
