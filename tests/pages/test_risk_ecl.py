"""Expected credit loss page: its cards and tables equal the engine's ECL for the page's
options (calibrated, overlay, given rates), the movement adds up, bad given rates are said."""

from datetime import date

import pytest

from analytics.risk.ecl import EclOptions, ecl_by, expected_credit_loss
from analytics.risk.ecl_view import TOTAL_ROW
from core.filters import CustomerFilter
from reports import format
from tests.pages.conftest import open_page

PAGE = "app_pages/risk_ecl.py"
LAST = date(2026, 10, 31)


def card(at, label):
    return next(m for m in at.metric if m.label == label).value


def engine_ecl(con, **options):
    return expected_credit_loss(con, EclOptions(as_of=LAST, **options))


def test_the_calibrated_ecl_equals_the_engines(sample_con):
    at = open_page(PAGE)
    assert at.title[0].value == "Expected credit loss"
    ecl = engine_ecl(sample_con)
    assert ecl.total is not None and ecl.total > 0  # three years: 24 calibration month-ends
    assert card(at, "Expected credit loss") == format.money(ecl.total, "USD")
    assert card(at, "Net of insurance") == format.money(ecl.total_net_of_insurance, "USD")
    assert card(at, "Of which disputed") == format.money(ecl.disputed_ecl, "USD")
    matrix = at.dataframe[0].value.set_index("bucket")
    assert matrix.loc[TOTAL_ROW, "ecl_amount"] == pytest.approx(ecl.total)
    assert matrix["open_amount"].iloc[: len(ecl.buckets)].tolist() == pytest.approx(
        list(ecl.open_amounts)
    )


def test_the_overlay_raises_the_rates(sample_con):
    at = open_page(PAGE)
    at.number_input(key="ecl_overlay").set_value(50).run()
    assert not at.exception
    ecl = engine_ecl(sample_con, overlay=0.5)
    assert card(at, "Expected credit loss") == format.money(ecl.total, "USD")
    assert at.query_params["overlay"] in ("50", ["50"])


def test_given_rates_replace_the_calibrated_ones_and_bad_ones_are_said(sample_con):
    at = open_page(PAGE)
    at.radio(key="ecl_source").set_value("Given (e.g. the auditor's matrix)").run()
    # six buckets (edges 30,60,90,120): five rates are one short
    at.text_input(key="ecl_given").set_value("0.3, 1.6, 3.6, 6.6, 10.6").run()
    assert any("Given loss rates (%): expected 6 rates" in e.value for e in at.error)
    at.text_input(key="ecl_given").set_value("0.3, 1.6, 3.6, 6.6, 10.6, 25").run()
    assert not at.error
    ecl = engine_ecl(sample_con, given_rates=(0.003, 0.016, 0.036, 0.066, 0.106, 0.25))
    assert card(at, "Expected credit loss") == format.money(ecl.total, "USD")


def test_the_movement_adds_up_and_grouping_moves(sample_con):
    at = open_page(PAGE)
    at.date_input(key="ecl_opening").set_value(date(2026, 6, 30)).run()
    assert not at.exception
    movement = at.dataframe[1].value["amount"].tolist()
    assert movement[0] + movement[1] == pytest.approx(movement[2])
    closing = engine_ecl(sample_con)
    earlier = expected_credit_loss(sample_con, EclOptions(as_of=date(2026, 6, 30)))
    assert movement == pytest.approx([earlier.total, closing.total - earlier.total, closing.total])
    at.radio(key="ecl_by").set_value("Risk rating").run()
    by_rating = at.dataframe[2].value
    expected = ecl_by(closing, "risk_rating")
    assert by_rating["risk_rating"].tolist() == expected["risk_rating"].tolist()
    assert by_rating["gross_ecl_amount"].sum() == pytest.approx(closing.total)


def test_the_sidebar_filter_and_entity_choose_the_receivables(sample_con):
    at = open_page(PAGE, sb_ratings=["E"])
    only_e = expected_credit_loss(
        sample_con, EclOptions(as_of=LAST), CustomerFilter(ratings=("E",))
    )
    assert card(at, "Expected credit loss") == format.money(only_e.total, "USD")
    at = open_page(PAGE, sb_entity="EU01")
    eu = expected_credit_loss(sample_con.scoped("EU01"), EclOptions(as_of=LAST))
    assert card(at, "Expected credit loss") == format.money(eu.total, "USD")


def test_the_loss_by_behavioural_grade_adds_up_to_the_total(sample_con):
    at = open_page(PAGE)
    at.radio(key="ecl_by").set_value("Behavioural grade").run()
    assert not at.exception
    by_grade = at.dataframe[2].value
    assert set(by_grade["grade"]) <= {"A", "B", "C", "D", "E", "(no grade)"}
    assert by_grade["gross_ecl_amount"].sum() == pytest.approx(engine_ecl(sample_con).total)
