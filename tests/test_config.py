"""Settings in one place: defaults, environment, secrets file (the environment wins), refusals
that name the variable; and the scenario sliders' ranges are the model's own bounds."""

import ast
import dataclasses
from pathlib import Path

import pytest

import config
from analytics.policy.scenario import BOUNDS, Scenario, ScenarioError
from config import ConfigError, load_config
from ui import scenarios_data, settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def secrets(tmp_path):
    """Write a secrets.toml; returns its path (absent until written)."""
    path = tmp_path / "secrets.toml"

    def write(text: str) -> Path:
        path.write_text(text)
        return path

    write.path = path
    return write


def test_the_defaults_are_the_project_data_folder_its_ledger_and_duckdb(secrets):
    c = load_config({}, secrets.path)
    assert c == config.Config(ROOT / "data", ROOT / "data" / "ledger.duckdb", "duckdb")


def test_the_environment_sets_each_setting(tmp_path, secrets):
    c = load_config({"AR_DATA_DIR": str(tmp_path), "AR_ENGINE": "DuckDB"}, secrets.path)
    assert (c.data_dir, c.default_ledger, c.engine) == (
        tmp_path, tmp_path / "ledger.duckdb", "duckdb")  # fmt: skip
    c = load_config({"AR_DEFAULT_LEDGER": str(tmp_path / "q3.duckdb")}, secrets.path)
    assert (c.data_dir, c.default_ledger) == (ROOT / "data", tmp_path / "q3.duckdb")


def test_the_import_folder_is_none_unless_set_in_the_environment_or_the_file(tmp_path, secrets):
    assert load_config({}, secrets.path).import_root is None
    assert load_config({"AR_IMPORT_ROOT": str(tmp_path)}, secrets.path).import_root == tmp_path
    secrets(f'AR_IMPORT_ROOT = "{tmp_path / "drop"}"\n')
    assert load_config({}, secrets.path).import_root == tmp_path / "drop"


def test_the_earlier_variable_name_still_works_and_the_new_one_wins(tmp_path, secrets):
    old = {"RECEIVABLES_DATA_DIR": str(tmp_path / "old")}
    assert load_config(old, secrets.path).data_dir == tmp_path / "old"
    both = {**old, "AR_DATA_DIR": str(tmp_path / "new")}
    assert load_config(both, secrets.path).data_dir == tmp_path / "new"


def test_an_empty_variable_counts_as_unset(secrets):
    assert load_config({"AR_DATA_DIR": " ", "AR_ENGINE": ""}, secrets.path) == load_config(
        {}, secrets.path
    )


def test_the_secrets_file_sets_what_the_environment_does_not(tmp_path, secrets):
    path = secrets(f'AR_DATA_DIR = "{tmp_path}"\nAR_DEFAULT_LEDGER = "/srv/q3.duckdb"\n'
                   '[auth]\nclient_id = "ignored for now"\n')  # fmt: skip
    c = load_config({}, path)
    assert (c.data_dir, c.default_ledger) == (tmp_path, Path("/srv/q3.duckdb"))
    c = load_config({"AR_DATA_DIR": "/env/data"}, path)  # the environment wins
    assert (c.data_dir, c.default_ledger) == (Path("/env/data"), Path("/srv/q3.duckdb"))


@pytest.mark.parametrize("where", ["env", "secrets"])
def test_an_unknown_engine_is_refused_naming_the_variable(where, secrets):
    environ = {"AR_ENGINE": "spark"} if where == "env" else {}
    path = secrets('AR_ENGINE = "spark"\n') if where == "secrets" else secrets.path
    with pytest.raises(ConfigError, match="AR_ENGINE must be one of duckdb, got 'spark'"):
        load_config(environ, path)


def test_a_setting_that_is_not_text_or_a_broken_file_is_refused(secrets):
    with pytest.raises(ConfigError, match="AR_DATA_DIR must be text, got 3"):
        load_config({}, secrets("AR_DATA_DIR = 3\n"))
    with pytest.raises(ConfigError, match="secrets.toml: cannot read the settings"):
        load_config({}, secrets("AR_DATA_DIR = \n"))


def test_settings_cannot_be_changed_once_read(secrets):
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_config({}, secrets.path).engine = "spark"


# --- the app reads them ----------------------------------------------------------------------


def test_the_ledger_picker_lists_the_data_folder_default_first_and_never_the_workspace(
    tmp_path, monkeypatch
):
    for name in ("a.duckdb", "ledger.duckdb", "workspace/workspace.duckdb"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).touch()
    monkeypatch.setenv(settings.DATA_DIR_ENV, str(tmp_path))
    assert settings.DATA_DIR_ENV == "AR_DATA_DIR"
    assert settings.data_dir() == tmp_path
    assert [p.name for p in settings.available_ledgers()] == ["ledger.duckdb", "a.duckdb"]
    monkeypatch.setenv("AR_DEFAULT_LEDGER", str(tmp_path / "a.duckdb"))
    assert [p.name for p in settings.available_ledgers()] == ["a.duckdb", "ledger.duckdb"]


# --- slider ranges -------------------------------------------------------------------------

# The page's slider ranges before they were read from the model: the same values, kept.
SLIDERS_BEFORE = {
    "terms.days.change": (-30, 90), "terms.days.set": (0, 180),
    "sales.elasticity_pct_per_10_days": (-50.0, 50.0), "collection.late_reduction_pct": (0.0, 100.0),
    "limits.months": (0.5, 24.0), "limits.multipliers": (0.0, 5.0),
    "limits.tolerance_pct": (0.0, 100.0), "economics.cost_of_capital_pct": (0.0, 50.0),
    "economics.gross_margin_pct": (0.0, 100.0), "economics.lgd_pct": (0.0, 100.0),
    "economics.insurance_cover_pct": (0.0, 100.0),
}  # fmt: skip


def test_the_model_bounds_are_the_slider_ranges_of_before():
    assert BOUNDS == SLIDERS_BEFORE
    assert {k: tuple(map(type, v)) for k, v in BOUNDS.items()} == {
        k: tuple(map(type, v)) for k, v in SLIDERS_BEFORE.items()}  # fmt: skip


def test_the_model_refuses_values_just_outside_its_bounds():
    with pytest.raises(ScenarioError, match="lever terms.days must be between -30 and 90 days"):
        Scenario.from_dict({"terms": {"mode": "change", "days": 91}})
    with pytest.raises(ScenarioError, match="lever economics.lgd_pct must be between 0 and 100"):
        Scenario.from_dict({"economics": {"lgd_pct": 100.5}})
    Scenario.from_dict({"terms": {"mode": "set", "days": 180}, "limits": {"months": 0.5}})


def test_every_slider_on_the_scenarios_page_takes_its_range_from_the_model(monkeypatch):
    page = ROOT / "app_pages" / "scenarios.py"
    levers = [
        node.args[1].value
        for node in ast.walk(ast.parse(page.read_text()))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "sc.slider"
    ]
    assert "st.slider(" not in page.read_text()  # no range written in the page
    assert sorted(levers) == sorted(BOUNDS)  # one slider per bounded lever
    drawn = []
    monkeypatch.setattr(scenarios_data.st, "slider", lambda *a, **k: drawn.append(a))
    for lever in BOUNDS:
        scenarios_data.slider("label", lever, 1, f"k_{lever}")
    assert drawn == [("label", *bounds) for bounds in BOUNDS.values()]
