"""New customer application page: the grade, terms and limit it shows are the scorecard's for
the application typed in, a decision is saved and found again in a new session, and bad input
(an application, a decision, the settings file) is said in one message with nothing saved."""

from __future__ import annotations

import shutil
from dataclasses import replace

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from analytics.risk.scorecard import Application, score_application
from analytics.risk.scorecard_card import DEFAULT_CARD, load_scorecard
from reports import format
from stores.applications import ApplicationStore
from stores.workspace import Workspace, migrate
from tests.pages.conftest import open_page, shown
from ui.settings import DATA_DIR_ENV

PAGE = "app_pages/risk_application.py"
CARD = load_scorecard(DEFAULT_CARD)
# 12 + 18 + 10 + 7 + 6 + 10 + 6 = 69 → B; 45 days; 100,000, a new customer starts at 50,000
WORKED = Application(
    years_trading=7, bureau_grade="B", equity_ratio_pct=25, current_ratio=1.3, net_margin_pct=4,
    payment_references="mostly_on_time", industry_risk="medium", requested_limit=100_000,
    requested_terms_days=60, applicant="Acme Ltd",
)  # fmt: skip


@pytest.fixture
def data_dir(sample_data_dir, tmp_path, monkeypatch):
    """A data folder of its own (the sample ledger beside it), so saved applications and a
    scorecard copy stay in this test."""
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(sample_data_dir / "ledger.duckdb", folder / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


def fill(at: AppTest, app: Application = WORKED) -> AppTest:
    at.text_input(key="app_name").set_value(app.applicant)
    if app.bureau_grade is not None:
        at.radio(key="app_bureau_source").set_value("Grade").run()
        at.selectbox(key="app_bureau_grade").set_value(app.bureau_grade)
    else:
        at.radio(key="app_bureau_source").set_value("Score").run()
        at.number_input(key="app_bureau_score").set_value(app.bureau_score)
    for key, value in (("app_years", app.years_trading), ("app_equity", app.equity_ratio_pct),
                       ("app_current", app.current_ratio), ("app_margin", app.net_margin_pct),
                       ("app_terms", app.requested_terms_days)):  # fmt: skip
        at.number_input(key=key).set_value(value)
    at.selectbox(key="app_references").set_value(app.payment_references)
    at.selectbox(key="app_industry").set_value(app.industry_risk)
    at.text_input(key="app_limit").set_value(f"{app.requested_limit:,.0f}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    return next(m for m in at.metric if m.label == label).value


def saved_rows(folder) -> int:
    return len(ApplicationStore(Workspace.in_folder(folder)).table())


def test_the_page_says_which_card_is_in_force_and_what_is_left_to_fill_in(data_dir):
    at = open_page(PAGE)
    assert at.title[0].value == "New customer application"
    assert any("Scorecard in force: the default card (analytics/risk/scorecard.toml)" in c.value
               for c in at.caption)  # fmt: skip
    assert at.info[0].value.startswith("Still to fill in: Years trading, Bureau score or grade")
    assert not at.metric and not [b for b in at.button if b.key == "app_save"]


def test_the_grade_terms_and_limit_are_the_scorecards(data_dir):
    at = fill(open_page(PAGE))
    scoring = score_application(CARD, WORKED)
    rec = scoring.recommendation
    assert metric(at, "Total points") == f"{scoring.total:g} of 100" == "69 of 100"
    assert metric(at, "Grade") == rec.grade == "B"
    assert metric(at, "Recommended terms") == f"{rec.terms_days} days" == "45 days"
    assert metric(at, "Starting limit") == format.money(rec.starting_limit, "USD", compact=False)
    assert rec.starting_limit == 50_000
    points = at.dataframe[0].value
    assert points["points"].tolist() == [f.points for f in scoring.factors]
    assert "60 days requested; grade B's terms are at most 45 days." in at.warning[0].value
    assert any("first 6 months = 50,000;" in m.value for m in at.markdown)  # staged


def test_a_saved_decision_is_in_the_list_in_a_new_session(data_dir):
    at = fill(open_page(PAGE))
    at.radio(key="app_decision").set_value("approved with conditions")
    at.text_input(key="app_reason").set_value("quarterly accounts")
    at.button(key="app_save").click().run()
    assert [s.value for s in at.success][-1] == "Saved as application 1: approved with conditions."
    again = open_page(PAGE)  # a new session
    saved = again.dataframe[0].value
    assert saved[["applicant", "grade", "decision", "granted_limit_amount"]].values.tolist() == [
        ["Acme Ltd", "B", "approved with conditions", 50_000]
    ]
    assert saved["decided_by"].tolist() == ["local user"]


def test_an_override_without_a_reason_or_no_decision_at_all_is_not_saved(data_dir):
    at = fill(open_page(PAGE))
    at.button(key="app_save").click().run()
    assert "Not saved. Decision: choose one" in at.error[0].value
    at.radio(key="app_decision").set_value("override")
    at.button(key="app_save").click().run()
    assert "Not saved. Reason: an override needs a reason" in [e.value for e in at.error]
    assert saved_rows(data_dir) == 0


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"equity_ratio_pct": -5.0}, "Equity ratio (%): -5 is below the scorecard's lowest band"),
        ({"years_trading": -1.0}, "Years trading: -1 is negative"),
        ({"bureau_grade": None, "bureau_score": 120.0},
         "Bureau score or grade: score 120 is above the bureau's scale (0 to 100)"),
    ],
)  # fmt: skip
def test_a_bad_application_is_said_and_cannot_be_saved(data_dir, changes, message):
    at = fill(open_page(PAGE), replace(WORKED, **changes))
    assert len(at.error) == 1 and at.error[0].value.startswith(message)
    assert not at.metric and not [b for b in at.button if b.key == "app_save"]
    assert saved_rows(data_dir) == 0


def test_a_bad_scorecard_copy_is_said_and_nothing_is_scored(data_dir):
    copy = data_dir / "scorecard.toml"
    copy.write_text(DEFAULT_CARD.read_text().replace("points = 12 }", "points = -12 }"))
    at = open_page(PAGE)
    assert not at.exception
    assert shown(at.error[0].value) == (f"The scorecard cannot be used: {copy}: "
                                 "factors.years_trading.bands[4].points: negative points (-12): "
                                 "points are 0 or more")  # fmt: skip
    assert not [w for w in at.number_input if w.key == "app_years"]  # no form on a bad card
    assert any(str(copy) in c.value for c in at.caption)  # it says which file


def test_the_data_folders_copy_is_the_card_in_force(data_dir):
    (data_dir / "scorecard.toml").write_text(
        DEFAULT_CARD.read_text().replace("max_limit = 150_000", "max_limit = 80_000")
    )
    at = fill(open_page(PAGE))
    # grade B now: min(100,000, 80,000) = 80,000; a new customer starts at 40,000
    assert metric(at, "Starting limit") == "USD 40,000"
    assert any("the data folder's own card" in c.value for c in at.caption)


def test_a_workspace_the_app_cannot_read_is_said_not_a_traceback(data_dir):
    workspace = Workspace.in_folder(data_dir)
    workspace.path.parent.mkdir(parents=True)
    con = duckdb.connect(str(workspace.path))
    migrate(con)
    con.execute("insert into schema_version values (99, 'from the future', now())")
    con.close()
    at = fill(open_page(PAGE))
    assert any("newer than this app knows" in e.value for e in at.error)
    at.radio(key="app_decision").set_value("approved")
    at.button(key="app_save").click().run()
    assert not at.exception
    assert any(e.value.startswith("Not saved.") for e in at.error)
