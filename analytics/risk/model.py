"""The behavioural PD model (spec §10): a logistic regression on pooled month-end points.

``behavioural_model(engine, as_of=D)`` builds the observations up to D, validates out of
time (fit on points m ≤ D − 12 months, evaluate on (D − 12, D − 6 months]: AUC, Gini,
Brier, calibration by PD decile and the AUC of ranking by current max dpd alone), refits
on every point whose 6-month outcome is known at D and scores every customer at D. With
fewer than ``MIN_DEFAULTS`` known defaults there is no model: PDs, grades and figures are
undefined (NaN / None), never an exception. Method and figures: docs/risk-model.md.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.linalg import qr

from analytics.risk import discrimination as disc
from analytics.risk.grades import scores_of
from analytics.risk.observations import FEATURES, Observations, customers_at, observations
from engines.base import Engine

MIN_DEFAULTS = 10  # known defaulted points needed to fit (and evaluated ones to validate)
VALIDATION_FIT_MONTHS = 12  # validation fits on points m ≤ D − 12 months ...
VALIDATION_EVAL_MONTHS = 6  # ... and evaluates on (D − 12, D − 6 months]
BENCHMARK = "max_dpd_raw"  # ranks by current max dpd alone (no open invoice: lowest)
NO_OPEN_ITEM_DPD = -10_000.0  # the benchmark's value for a customer with nothing open


@dataclass(frozen=True)
class FittedLogit:
    """A fitted logistic regression: PD = 1 / (1 + exp(−(b₀ + Σ bᵢ·xᵢ))).

    ``features`` are the columns kept (constant or collinear ones are dropped before the
    fit); ``params``, ``std_errors`` and ``p_values`` start with the intercept."""

    features: tuple[str, ...]
    params: np.ndarray
    std_errors: np.ndarray
    p_values: np.ndarray
    n_points: int
    n_defaults: int
    through: date  # the last month-end of the points it was fitted on

    def pd(self, points: pd.DataFrame) -> np.ndarray:
        """PD of each row of ``points`` (which has the ``features`` columns)."""
        x = points[list(self.features)].to_numpy(float)
        return 1.0 / (1.0 + np.exp(-(self.params[0] + x @ self.params[1:])))


@dataclass(frozen=True)
class Validation:
    """Out-of-time figures: a model fitted on points up to ``fitted_through`` scores the
    points in (``evaluated_after``, ``evaluated_through``]."""

    fitted_through: date
    evaluated_after: date
    evaluated_through: date
    n_points: int
    n_defaults: int
    auc: float
    gini: float
    brier: float
    auc_benchmark: float
    mean_pd: float
    default_rate: float
    calibration: pd.DataFrame  # by PD decile: decile, n_points, mean_pd, default_rate
    points: pd.DataFrame  # the evaluated points: customer_key, as_of, is_defaulted, pd, benchmark


@dataclass(frozen=True)
class BehaviouralModel:
    """The model as of ``as_of``: fitted on every known point, its out-of-time validation
    and the scores at as_of (customer_key, pd, grade, is_in_default, risk_rating, features).
    ``fitted`` / ``validation`` are None when there were too few defaults."""

    as_of: date
    fitted: FittedLogit | None
    validation: Validation | None
    scores: pd.DataFrame
    observations: Observations


def behavioural_model(engine: Engine, *, as_of: date, validated: bool = True) -> BehaviouralModel:
    """Observations up to ``as_of``, out-of-time validation, refit on all known points, and
    the PD and grade of every customer at as_of (spec §10). ``validated=False`` leaves the
    validation out (None): its second fit is a fifth of the model's time, and a committee
    snapshot, which keeps only the scores, takes one per date of a backfill."""
    obs = observations(engine, as_of=as_of)
    fitted = fit_logit(obs.known())
    scores = scores_of(obs.at(as_of), fitted.pd if fitted else None)
    return BehaviouralModel(as_of, fitted, validate(obs) if validated else None, scores, obs)


def scores_at(engine: Engine, model: BehaviouralModel, *, as_of: date) -> pd.DataFrame:
    """PD and grade of every customer at another date with ``model``'s fitted coefficients
    (one query; the model's own date is already scored in ``model.scores``)."""
    if as_of == model.as_of:
        return model.scores
    return scores_of(customers_at(engine, as_of=as_of), model.fitted.pd if model.fitted else None)


def fit_logit(
    points: pd.DataFrame, features: tuple[str, ...] = tuple(FEATURES)
) -> FittedLogit | None:
    """Maximum-likelihood logit of ``is_defaulted`` on ``features`` (statsmodels), or None
    with fewer than MIN_DEFAULTS defaulted or performing points (or a singular fit)."""
    y = points["is_defaulted"].to_numpy(float)
    if min(y.sum(), len(y) - y.sum()) < MIN_DEFAULTS:
        return None
    kept = usable_features(points, features)
    x = sm.add_constant(points[list(kept)].to_numpy(float), has_constant="add")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence / separation: the fit is still usable
        try:
            result = sm.Logit(y, x).fit(method="newton", maxiter=100, disp=0)
        except np.linalg.LinAlgError:  # a singular Hessian left after usable_features
            return None
    return FittedLogit(
        kept,
        np.asarray(result.params),
        np.asarray(result.bse),
        np.asarray(result.pvalues),
        len(y),
        int(y.sum()),
        pd.Timestamp(points["as_of"].max()).date(),
    )


def usable_features(points: pd.DataFrame, features: tuple[str, ...]) -> tuple[str, ...]:
    """``features`` less those constant on ``points`` and those that are a linear combination
    of the others (with the intercept), kept in their order."""
    varying = [f for f in features if points[f].nunique() > 1]
    x = np.column_stack([np.ones(len(points)), points[varying].to_numpy(float)])
    x = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    x[:, 0] = 1.0
    _, r, pivots = qr(x, mode="economic", pivoting=True)
    rank = int((np.abs(np.diag(r)) > 1e-8 * np.abs(r[0, 0])).sum())
    independent = {int(p) - 1 for p in pivots[:rank] if p > 0}
    return tuple(f for i, f in enumerate(varying) if i in independent)


def coefficient_table(fitted: FittedLogit) -> pd.DataFrame:
    """One row per term: feature, coefficient, std_error, p_value, odds_ratio (the odds of
    default multiply by it for one unit more) and meaning."""
    names = ("intercept", *fitted.features)
    return pd.DataFrame(
        {
            "feature": names,
            "coefficient": fitted.params,
            "std_error": fitted.std_errors,
            "p_value": fitted.p_values,
            "odds_ratio": np.exp(fitted.params),
            "meaning": ["log-odds of default with every feature at 0"]
            + [FEATURES.get(f, "") for f in fitted.features],
        }
    )


def validate(obs: Observations) -> Validation | None:
    """Fit on known points m ≤ D − 12 months, evaluate on (D − 12, D − 6 months] (spec
    §10), or None when either side has too few defaulted points to say anything."""
    fit_through = _months_before(obs.as_of, VALIDATION_FIT_MONTHS)
    eval_through = _months_before(obs.as_of, VALIDATION_EVAL_MONTHS)
    known = obs.known()
    when = known["as_of"]
    fitted = fit_logit(known[when <= pd.Timestamp(fit_through)])
    test = known[(when > pd.Timestamp(fit_through)) & (when <= pd.Timestamp(eval_through))]
    y = test["is_defaulted"].to_numpy(float)
    if fitted is None or min(y.sum(), len(y) - y.sum()) < 1:
        return None
    return _validation_figures(fitted, test, fit_through, eval_through)


def _validation_figures(
    fitted: FittedLogit, test: pd.DataFrame, fit_through: date, eval_through: date
) -> Validation:
    y = test["is_defaulted"].to_numpy(float)
    p = fitted.pd(test)
    benchmark = test[BENCHMARK].fillna(NO_OPEN_ITEM_DPD).to_numpy(float)
    area = disc.auc(y, p)
    points = pd.DataFrame(
        {
            "customer_key": test["customer_key"].to_numpy(),
            "as_of": test["as_of"].to_numpy(),
            "is_defaulted": y,
            "pd": p,
            "benchmark": benchmark,
        }
    )
    return Validation(
        fitted.through,
        fit_through,
        eval_through,
        len(y),
        int(y.sum()),
        area,
        disc.gini(area),
        disc.brier_score(y, p),
        disc.auc(y, benchmark),
        float(p.mean()),
        float(y.mean()),
        disc.calibration_by_decile(y, p),
        points,
    )


def _months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (a month-end stays a month-end)."""
    shifted = pd.Timestamp(day) - pd.DateOffset(months=months)
    if (pd.Timestamp(day) + pd.Timedelta(days=1)).day == 1:
        shifted = shifted + pd.offsets.MonthEnd(0)
    return shifted.date()
