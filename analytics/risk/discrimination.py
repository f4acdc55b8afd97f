"""How well a score ranks and how well a PD is calibrated (spec §10's validation figures).

Pure functions of arrays: ``is_defaulted`` holds 1 / 0 (True / False) per point, a score
or PD one number per point (higher = riskier). Undefined figures (no defaulted or no
performing point, no point at all) are NaN, never an exception.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import rankdata


def auc(is_defaulted: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve: the chance that a random defaulted point scores higher than a
    random performing one, ties counting one half (Mann–Whitney U / (n₁·n₀)).

    >>> auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    0.75
    """
    y = np.asarray(is_defaulted, bool)
    n1, n0 = int(y.sum()), int((~y).sum())
    if n1 == 0 or n0 == 0:
        return float("nan")
    ranks = rankdata(np.asarray(score, float))
    return float((ranks[y].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def gini(area: float) -> float:
    """Gini (accuracy ratio) = 2 · AUC − 1."""
    return 2.0 * area - 1.0


def brier_score(is_defaulted: np.ndarray, pd_values: np.ndarray) -> float:
    """Mean squared difference between PD and outcome (0 = perfect; NaN with no point).

    >>> brier_score(np.array([0, 1, 1]), np.array([0.5, 0.5, 1.0]))  # (0.25 + 0.25 + 0) / 3
    0.16666666666666666
    """
    y = np.asarray(is_defaulted, float)
    if len(y) == 0:
        return float("nan")
    return float(np.mean((np.asarray(pd_values, float) - y) ** 2))


def calibration_by_decile(
    is_defaulted: np.ndarray, pd_values: np.ndarray, bins: int = 10
) -> pd.DataFrame:
    """Points sorted by PD and cut into ``bins`` groups of (nearly) equal size, lowest PD
    first: ``decile`` (1..bins), ``n_points``, ``mean_pd``, ``default_rate``."""
    order = np.argsort(np.asarray(pd_values, float), kind="stable")
    y, p = np.asarray(is_defaulted, float)[order], np.asarray(pd_values, float)[order]
    groups = [g for g in np.array_split(np.arange(len(order)), bins) if len(g)]
    return pd.DataFrame(
        {
            "decile": np.arange(1, len(groups) + 1),
            "n_points": [len(g) for g in groups],
            "mean_pd": [float(p[g].mean()) for g in groups],
            "default_rate": [float(y[g].mean()) for g in groups],
        }
    )


def auc_difference_interval(
    is_defaulted: np.ndarray,
    score: np.ndarray,
    benchmark: np.ndarray,
    groups: np.ndarray,
    *,
    draws: int = 1000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float]:
    """Percentile bootstrap interval of AUC(score) − AUC(benchmark) on the same points,
    resampling whole ``groups`` (customers: a customer's month-ends are not independent).
    Draws with no defaulted or no performing point are skipped."""
    y, s, b = (np.asarray(a) for a in (is_defaulted, score, benchmark))
    labels, members = np.unique(np.asarray(groups), return_inverse=True)
    by_group = np.split(np.argsort(members, kind="stable"), np.cumsum(np.bincount(members))[:-1])
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(draws):
        rows = np.concatenate([by_group[g] for g in rng.integers(0, len(labels), len(labels))])
        diff = auc(y[rows], s[rows]) - auc(y[rows], b[rows])
        if not np.isnan(diff):
            diffs.append(diff)
    if not diffs:
        return float("nan"), float("nan")
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    return float(low), float(high)
