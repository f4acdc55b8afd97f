"""Customer page, credit risk: the grade, PD, expected credit loss and recommended limit of
the picked customer, their history at the last month-ends, its warnings and its timeline are
the engine's; a second customer reuses every cached portfolio-wide result."""

from datetime import date

import pandas as pd
import pytest

from analytics.portfolio import customer
from analytics.portfolio.ledger import ledger_info
from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.ecl import EclOptions, expected_credit_loss
from analytics.risk.limits import LimitSettings, recommended_limits
from analytics.risk.model import behavioural_model, scores_at
from analytics.risk.score import downgrade_inputs
from analytics.risk.warnings import customer_warnings, warnings_with_history
from reports import format
from tests.pages.conftest import open_page, plotly_figures, trace_values
from ui import customer_risk

PAGE = "app_pages/customer.py"
PICK = "customer_pick"


def card(at, label):
    return next(m for m in at.metric if m.label == label)


def frame(at, first_column):
    return next(df.value for df in at.dataframe if df.value.columns[0] == first_column)


@pytest.fixture(scope="module")
def engine(sample_data_dir):
    """The engine's risk figures at the sample's last date and one month-end before it."""
    from engines.duckdb.engine import connect

    con = connect(sample_data_dir / "ledger.duckdb")
    last = ledger_info(con).last_date
    model = behavioural_model(con, as_of=last)
    grades = dict(zip(model.scores["customer_key"], model.scores["grade"], strict=True))
    grades = {int(k): g for k, g in grades.items() if isinstance(g, str)}
    month_end = customer_risk.history_dates(last, None)[-2]
    earlier_model = behavioural_model(con, as_of=month_end)
    earlier_grades = {int(k): g for k, g in zip(earlier_model.scores["customer_key"],
                      earlier_model.scores["grade"], strict=True) if isinstance(g, str)}  # fmt: skip
    out = {
        "last": last,
        "month_end": month_end,
        "scores": model.scores.set_index("customer_key"),
        "scores_before": scores_at(con, model, as_of=month_end).set_index("customer_key"),
        "ecl": expected_credit_loss(con, EclOptions(as_of=last)).customers,
        "ecl_before": expected_credit_loss(con, EclOptions(as_of=month_end)).customers,
        "limits": recommended_limits(con, last, grades, LimitSettings()).set_index("customer_key"),
        "limits_before": recommended_limits(
            con, month_end, earlier_grades, LimitSettings()
        ).set_index("customer_key"),
        "warnings": warnings_with_history(
            con, last, other_at=lambda day: downgrade_inputs(con, model, day)
        ),
        "ranked": customer.customers_by_balance(snapshot(con, Options(as_of=last)).customers),
    }
    con.close()
    return out


def ecl_of(ecl: pd.DataFrame, key: int, column: str) -> float:
    return float(ecl.loc[ecl["customer_key"] == key, column].sum())  # summed over entities


def a_customer_with_warnings(engine) -> pd.Series:
    w = engine["warnings"]
    for row in engine["ranked"].itertuples():
        if (
            len(customer_warnings(w, row.customer_id, "USD"))
            and row.customer_key in engine["scores"].index
        ):
            return engine["ranked"].set_index("customer_id").loc[row.customer_id]
    raise AssertionError("the sample has no scored customer with a warning")


def test_the_credit_risk_cards_are_the_engines(engine):
    target = a_customer_with_warnings(engine)
    key, cid = int(target["customer_key"]), target.name
    at = open_page(PAGE, customer_pick=cid)
    assert at.selectbox(key=PICK).value == cid
    score = engine["scores"].loc[key]
    grade = card(at, "Behavioural grade")
    assert grade.value == (score["grade"] if isinstance(score["grade"], str) else "not graded")
    assert grade.delta == f"assigned rating {target['risk_rating']}"
    assert card(at, "PD (6 months)").value == format.pct(score["pd"], 2)
    ecl = card(at, "Expected credit loss")
    assert ecl.value == format.money(ecl_of(engine["ecl"], key, "gross_ecl_amount"), "USD")
    net = format.money(ecl_of(engine["ecl"], key, "net_ecl_amount"), "USD")
    assert ecl.delta == f"net of insurance {net}"
    limits = engine["limits"].loc[key]
    assert card(at, "Recommended limit").value == format.money(limits["recommended_limit"], "USD")
    current = (format.money(limits["credit_limit"], "USD") if limits["credit_limit"] > 0
               else "no limit")  # fmt: skip
    assert card(at, "Recommended limit").delta.startswith(f"current {current}")
    assert ("staged" in card(at, "Recommended limit").delta) == bool(limits["is_staged"])


def test_the_warnings_table_is_the_customers_warnings(engine):
    target = a_customer_with_warnings(engine)
    at = open_page(PAGE, customer_pick=target.name)
    shown = frame(at, "warning")
    expected = customer_warnings(engine["warnings"], target.name, "USD")
    assert len(expected) > 0
    assert shown[["customer_id", "rule", "reason"]].values.tolist() == (
        expected[["customer_id", "rule", "reason"]].values.tolist()
    )
    assert shown["first_seen_date"].tolist() == expected["first_seen_date"].tolist()


def test_a_customer_without_warnings_says_so(engine):
    w = engine["warnings"]
    quiet = next(c for c in engine["ranked"]["customer_id"]
                 if customer_warnings(w, c, "USD").empty)  # fmt: skip
    at = open_page(PAGE, customer_pick=quiet)
    assert any(i.value == "No warning fires for this customer." for i in at.info)


def test_the_history_is_each_dates_engine_figures(engine):
    target = a_customer_with_warnings(engine)
    key = int(target["customer_key"])
    at = open_page(PAGE, customer_pick=target.name)
    risk = plotly_figures(at)[0]
    pd_trace, ecl_trace, limit_trace = risk["data"]
    assert len(trace_values(pd_trace["y"])) == 7  # six month-ends and the as-of date
    # the month-end before the as-of date: PD by the model as of the as-of date, its own ECL
    # and recommended limit
    assert trace_values(pd_trace["y"])[-2] == pytest.approx(engine["scores_before"].loc[key, "pd"])
    assert trace_values(pd_trace["y"])[-1] == pytest.approx(engine["scores"].loc[key, "pd"])
    gross = ecl_of(engine["ecl_before"], key, "gross_ecl_amount")
    assert trace_values(ecl_trace["y"])[-2] == pytest.approx(gross)
    limit = engine["limits_before"].loc[key, "recommended_limit"]
    assert trace_values(limit_trace["y"])[-2] == pytest.approx(limit)
    caption = " ".join(c.value for c in at.caption)
    assert f"model as fitted on {engine['last']:%d %b %Y}" in caption


def test_a_second_customer_reuses_every_cached_result(engine, monkeypatch, cold_caches):
    from ui import risk_data

    calls = []
    for name in ("expected_credit_loss", "behavioural_model", "recommended_limits"):
        real = getattr(risk_data, name)
        monkeypatch.setattr(risk_data, name,
                            lambda *a, _real=real, _n=name, **k: calls.append(_n) or _real(*a, **k))  # fmt: skip
    first, second = engine["ranked"]["customer_id"].iloc[:2]
    at = open_page(PAGE, customer_pick=first)
    assert calls  # the first customer computed them
    before = len(calls)
    at.selectbox(key=PICK).set_value(second).run()
    assert not at.exception
    assert at.selectbox(key=PICK).value == second
    assert len(calls) == before


def test_the_timeline_holds_open_invoices_payments_and_warnings_newest_first(engine, sample_con):
    target = a_customer_with_warnings(engine)
    key, last = int(target["customer_key"]), engine["last"]
    at = open_page(PAGE, customer_pick=target.name)
    shown = frame(at, "date")
    items = customer.open_items(sample_con, last, key)
    kinds = shown["kind"].value_counts()
    assert kinds.get("invoice", 0) == int((~items["is_credit_note"].astype(bool)).sum())
    assert kinds.get("payment", 0) == len(customer.payment_history(sample_con, last, key))
    assert kinds.get("warning", 0) == len(customer_warnings(engine["warnings"], target.name, "USD"))
    assert shown["date"].tolist() == sorted(shown["date"], reverse=True)
    assert max(shown["date"]) <= last


def test_a_customer_without_open_items_has_no_expected_loss_not_an_unknown_one(sample_con):
    as_of = date(2025, 6, 30)
    ecl = expected_credit_loss(sample_con, EclOptions(as_of=as_of))
    assert ecl.rates is not None
    ranked = customer.customers_by_balance(snapshot(sample_con, Options(as_of=as_of)).customers)
    settled = [c for c in ranked["customer_id"] if c not in set(ecl.customers["customer_id"])]
    assert settled  # C00022, C00027 and C00030 owe nothing on that date
    at = open_page(PAGE, sb_as_of=as_of, customer_pick=settled[0])
    assert card(at, "Expected credit loss").value == format.money(0.0, "USD")
    assert card(at, "Expected credit loss").delta == f"net of insurance {format.money(0.0, 'USD')}"


def test_the_committees_decisions_are_on_the_timeline(sample_data_dir, tmp_path, monkeypatch):
    import shutil

    from stores.decisions import Decision, DecisionStore
    from stores.workspace import Workspace
    from ui.settings import DATA_DIR_ENV

    shutil.copy(sample_data_dir / "ledger.duckdb", tmp_path / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))  # a workspace of its own
    store, ids = DecisionStore(Workspace.in_folder(tmp_path)), ["C00007"]
    store.record(Decision("C00007", "limit change", date(2026, 10, 20), "A. Chair",
                          "two months late", old_limit=40_000.0, new_limit=30_000.0),
                 customers=ids)  # fmt: skip
    store.record(Decision("C00007", "watch", date(2026, 11, 15), "B. Risk", "after the date"),
                 customers=ids)  # fmt: skip
    at = open_page(PAGE, sb_as_of=date(2026, 10, 31), customer_pick="C00007")
    shown = frame(at, "date")
    decided = shown[shown["kind"] == "committee decision"]
    # the watch of 15 Nov is after the sidebar's 31 Oct: not on the timeline yet
    assert [pd.Timestamp(d).date() for d in decided["date"]] == [date(2026, 10, 20)]
    assert decided[["what", "state", "who"]].values.tolist() == [
        ["Limit change 40,000.00 → 30,000.00: two months late", "limit change", "A. Chair"]
    ]
