"""Limits review page: the queue and the recommendations equal the engine's; moving the
thresholds moves the queue; the arithmetic of a picked customer is shown step by step."""

from datetime import date

from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.limits import LimitSettings, recommended_limits, review_queue
from analytics.risk.model import behavioural_model
from reports import format
from tests.pages.conftest import open_page

PAGE = "app_pages/risk_limits.py"
LAST = date(2026, 10, 31)


def model_grades(con):
    """The behavioural grades the page uses (graded customers only)."""
    scores = behavioural_model(con, as_of=LAST).scores.dropna(subset=["grade"])
    return dict(zip(scores["customer_key"].astype(int), scores["grade"], strict=True))


def engine_queue(con, **settings):
    s = LimitSettings(**settings)
    limits = recommended_limits(con, LAST, model_grades(con), s)
    return review_queue(limits, snapshot(con, Options(as_of=LAST)).customers, LAST, s)


def card(at, label):
    return next(m for m in at.metric if m.label == label).value


def test_the_queue_equals_the_engines_and_moves_with_the_thresholds(sample_con):
    at = open_page(PAGE)
    assert at.title[0].value == "Limits review"
    expected = engine_queue(sample_con)
    assert card(at, "To review") == format.count(len(expected))
    shown = at.dataframe[0].value
    assert shown["customer_id"].tolist() == expected["customer_id"].tolist()
    assert shown["recommended_limit"].tolist() == expected["recommended_limit"].tolist()
    at.number_input(key="lim_gap").set_value(100).run()
    at.number_input(key="lim_months").set_value(36).run()
    assert not at.exception
    looser = engine_queue(sample_con, gap_share=1.0, review_months=36)
    assert len(looser) < len(expected)
    assert at.dataframe[0].value["customer_id"].tolist() == looser["customer_id"].tolist()
    assert at.query_params["gap"] in ("100", ["100"])


def test_a_picked_customers_arithmetic_ends_in_its_recommendation(sample_con):
    at = open_page(PAGE)
    limits = recommended_limits(sample_con, LAST, model_grades(sample_con)).set_index("customer_id")
    graded = limits[limits["grade"].notna()]
    customer = graded.index[0]
    at.selectbox(key="lim_customer").set_value(customer).run()
    text = "\n".join(m.value for m in at.markdown)
    recommended = format.money(graded.loc[customer, "recommended_limit"], "USD", compact=False)
    assert f"recommended {recommended}" in text
    assert "× (terms" in text and "multiplier" in text
