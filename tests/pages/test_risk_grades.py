"""Grades and PD page: the validation cards, the graded customers and the migration equal the
behavioural model's as of the sidebar date; the migration date moves the matrix."""

from datetime import date

import pytest

from analytics.risk.grades import grade_migration
from analytics.risk.model import behavioural_model
from tests.pages.conftest import open_page, trace_values

PAGE = "app_pages/risk_grades.py"
LAST = date(2026, 10, 31)


def card(at, label):
    return next(m for m in at.metric if m.label == label).value


@pytest.fixture(scope="module")
def model(sample_data_dir):
    from engines.duckdb.engine import connect

    con = connect(sample_data_dir / "ledger.duckdb")
    yield behavioural_model(con, as_of=LAST)
    con.close()


def test_cards_and_customers_equal_the_models(model):
    at = open_page(PAGE)
    assert at.title[0].value == "Grades and PD"
    if model.validation is not None:
        assert card(at, "AUC out of time") == f"{model.validation.auc:.3f}"
        assert card(at, "Brier score") == f"{model.validation.brier:.4f}"
    customers = at.dataframe[0].value
    scored = model.scores.set_index("customer_key")
    assert len(customers) == len(scored)
    top = customers.iloc[0]
    assert top["pd"] == pytest.approx(scored["pd"].max())
    assert set(customers["grade"].dropna()) <= {"A", "B", "C", "D", "E"}


def test_the_migration_follows_its_date(sample_con):
    at = open_page(PAGE)
    at.date_input(key="grades_before").set_value(date(2026, 4, 30)).run()
    assert not at.exception
    earlier = behavioural_model(sample_con, as_of=date(2026, 4, 30)).scores
    now = behavioural_model(sample_con, as_of=LAST).scores
    expected = grade_migration(earlier, now)
    import json

    heatmaps = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    migration = next(f for f in heatmaps if "migration" in f["layout"]["title"]["text"])
    z = migration["data"][0]["z"]
    rows = [trace_values(row) for row in (z if isinstance(z, list) else [z])]
    assert sum(float(v) for row in rows for v in row) == float(expected.to_numpy().sum())
