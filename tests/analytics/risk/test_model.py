"""The behavioural PD model (spec §10): the fit, validation, no look-ahead and its quality."""

from datetime import date

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from analytics.risk.discrimination import auc_difference_interval
from analytics.risk.grades import grade_migration
from analytics.risk.model import (
    MIN_DEFAULTS,
    behavioural_model,
    coefficient_table,
    fit_logit,
    scores_at,
    usable_features,
)
from analytics.risk.observations import FEATURES, observations
from analytics.risk.score import score_json
from data.loader import load_ledger
from data.sample import generate_sample
from engines.duckdb.engine import connect
from tests.ledger_factory import inv, load

D = date(2026, 10, 31)


def two_groups(defaults_0=4, defaults_1=12, n=20):
    """n points with x = 0 (defaults_0 defaulted) and n with x = 1 (defaults_1 defaulted)."""
    y = (
        [1.0] * defaults_0
        + [0.0] * (n - defaults_0)
        + [1.0] * defaults_1
        + [0.0] * (n - defaults_1)
    )
    return pd.DataFrame(
        {"x": [0.0] * n + [1.0] * n, "is_defaulted": y, "as_of": pd.Timestamp("2024-01-31")}
    )


def test_a_logit_on_one_binary_feature_gives_the_log_odds_of_each_group():
    fitted = fit_logit(two_groups(), ("x",))
    # x = 0: 4 of 20 → log(4 / 16) = −1.3863; x = 1: 12 of 20 → log(12 / 8) = 0.4055;
    # slope 0.4055 + 1.3863 = 1.7918; standard errors of a 2×2 table:
    # √(1/4 + 1/16) = 0.5590 and √(1/4 + 1/16 + 1/12 + 1/8) = 0.7217
    assert fitted.params == pytest.approx([np.log(4 / 16), np.log(12 / 8) - np.log(4 / 16)])
    assert fitted.std_errors == pytest.approx([0.5590, 0.7217], abs=1e-4)
    assert fitted.pd(pd.DataFrame({"x": [0.0, 1.0]})) == pytest.approx([0.2, 0.6])
    assert (fitted.n_points, fitted.n_defaults, fitted.through) == (40, 16, date(2024, 1, 31))
    table = coefficient_table(fitted)
    assert table["feature"].tolist() == ["intercept", "x"]
    assert table["odds_ratio"].iloc[1] == pytest.approx((12 / 8) / (4 / 16))  # 6


def test_fewer_than_the_minimum_of_defaults_gives_no_model():
    assert fit_logit(two_groups(defaults_0=0, defaults_1=MIN_DEFAULTS - 1), ("x",)) is None
    assert fit_logit(two_groups(defaults_0=5, defaults_1=5), ("x",)) is not None


def test_constant_and_collinear_features_are_left_out():
    points = two_groups().assign(same=1.0, double=lambda f: 2 * f["x"], other=np.arange(40.0) % 3)
    assert usable_features(points, ("x", "same", "double", "other")) == ("x", "other")


def test_a_ledger_without_defaults_has_no_model_and_says_null(tmp_path):
    engine = load(tmp_path, invoices=[inv("I1", "C1", "2024-01-01", "2024-01-31", 100)])
    model = behavioural_model(engine, as_of=date(2024, 12, 31))
    assert model.fitted is None and model.validation is None
    # C1's invoice has been 91+ days past due since 1 May: in default, so E
    assert model.scores["grade"].tolist() == ["E"]
    assert score_json(engine, as_of=date(2024, 12, 31), model=model) == {
        "auc_out_of_time": None,
        "auc_benchmark_max_dpd": None,
        "brier": None,
        "grades": {"A": 0, "B": 0, "C": 0, "D": 0, "E": 1},
    }


# On the bundled sample (seed 7, 60,000 invoices) -------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("risk-sample")
    generate_sample(folder / "sample", invoices=60_000, seed=7)
    load_ledger(folder / "sample", folder / "ledger.duckdb")
    return folder


@pytest.fixture(scope="module")
def engine(sample):
    con = connect(sample / "ledger.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="module")
def model(engine):
    return behavioural_model(engine, as_of=D)


def test_out_of_time_quality_on_the_sample(model):
    v = model.validation
    assert (v.fitted_through, v.evaluated_after, v.evaluated_through) == (
        date(2025, 10, 31), date(2025, 10, 31), date(2026, 4, 30))  # fmt: skip
    # the targets: AUC >= 0.80 and 0.03 above ranking by max dpd alone; above 0.95
    # would mean leakage; mean PD within a factor 1.5 of the observed default rate
    assert 0.80 <= v.auc <= 0.95
    assert v.auc - v.auc_benchmark >= 0.03
    assert 1 / 1.5 <= v.mean_pd / v.default_rate <= 1.5
    assert v.gini == pytest.approx(2 * v.auc - 1)
    # the figures as they stand (docs/risk-model.md); a change to the model shows here first
    assert (v.n_points, v.n_defaults) == (1475, 94)
    assert [v.auc, v.auc_benchmark, v.brier] == pytest.approx([0.9229, 0.8691, 0.0355], abs=5e-4)


def test_the_riskiest_decile_defaults_most_and_the_safest_least(model):
    table = model.validation.calibration
    assert table["default_rate"].iloc[-1] == table["default_rate"].max()
    assert table["default_rate"].iloc[:5].mean() < table["default_rate"].iloc[5:].mean()


def test_the_difference_to_the_benchmark_has_a_bootstrap_interval(model):
    p = model.validation.points
    low, high = auc_difference_interval(
        p["is_defaulted"], p["pd"], p["benchmark"], p["customer_key"], draws=300
    )
    assert low < model.validation.auc - model.validation.auc_benchmark < high


def test_every_feature_has_a_coefficient_a_standard_error_and_a_meaning(model):
    table = coefficient_table(model.fitted)
    assert set(table["feature"]) == {"intercept", *FEATURES} - {"is_unrated"}  # all rated
    assert (table["std_error"] > 0).all() and table["meaning"].str.len().min() > 10


def test_scores_at_the_as_of_date_and_the_json(engine, model):
    s = model.scores
    assert s["customer_key"].is_unique and s["grade"].notna().all()
    assert (s.loc[s["is_in_default"], "grade"] == "E").all()
    out = score_json(engine, as_of=D, model=model)
    assert sum(out["grades"].values()) == len(s)
    assert out["auc_out_of_time"] == pytest.approx(model.validation.auc)


def test_without_validation_the_scores_and_fit_are_the_same(engine, model):
    # a snapshot asks for the scores only: the out-of-time fit is left out, nothing else
    quick = behavioural_model(engine, as_of=D, validated=False)
    assert quick.validation is None and model.validation is not None
    pd.testing.assert_frame_equal(quick.scores, model.scores)
    assert list(quick.fitted.params) == pytest.approx(list(model.fitted.params), rel=1e-9)


def test_grades_migrate_between_two_dates_with_one_model(engine, model):
    before = scores_at(engine, model, as_of=date(2026, 7, 31))
    m = grade_migration(before, model.scores)
    assert m.loc[["A", "B", "C", "D", "E"]].to_numpy().sum() == before["grade"].notna().sum()
    assert m[["A", "B", "C", "D", "E"]].to_numpy().sum() == len(model.scores)


# No look-ahead -------------------------------------------------------------------------------

CUT = date(2025, 12, 15)  # not a month-end: the as-of row is scored apart from the month-ends


@pytest.fixture(scope="module")
def cut_engine(sample, tmp_path_factory):
    """The same ledger with every document, payment and order dated after CUT dropped."""
    folder = tmp_path_factory.mktemp("risk-cut")
    for name, column in [("invoices", "invoice_date"), ("payments", "payment_date"),
                         ("orders", "order_date"), ("customers", None), ("fx_rates", None)]:  # fmt: skip
        table = pq.read_table(sample / "sample" / f"{name}.parquet")
        if column:
            table = table.filter(pc.less_equal(table[column], pd.Timestamp(CUT)))
        pq.write_table(table, folder / f"{name}.parquet")
    load_ledger(folder, folder / "ledger.duckdb")
    con = connect(folder / "ledger.duckdb")
    yield con
    con.close()


def test_a_ledger_cut_at_d_gives_the_same_features_at_every_date_to_d(engine, cut_engine):
    whole = observations(engine, as_of=CUT).points
    cut = observations(cut_engine, as_of=CUT).points
    pd.testing.assert_frame_equal(whole, cut, check_exact=False, rtol=1e-9)


def test_a_ledger_cut_at_d_gives_the_same_model_and_scores_at_d(engine, cut_engine):
    whole, cut = behavioural_model(engine, as_of=CUT), behavioural_model(cut_engine, as_of=CUT)
    assert whole.fitted.params == pytest.approx(cut.fitted.params, rel=1e-9)
    assert whole.validation.auc == cut.validation.auc
    pd.testing.assert_frame_equal(whole.scores, cut.scores, check_exact=False, rtol=1e-9)
