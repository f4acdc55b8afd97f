"""The risk output for machines (spec §15): one JSON-ready dict, keys in the spec's order.

Each part comes from its own module (ecl here, score from analytics.risk.score, warnings and
collections from theirs); the caller passes what it computed.
"""

from __future__ import annotations

from typing import Any

from analytics.risk.ecl import Ecl

SCORE_KEYS = ("auc_out_of_time", "auc_benchmark_max_dpd", "brier")


def risk_json(
    ecl: Ecl,
    currency: str,
    rate: float = 1.0,
    *,
    score: dict[str, Any] | None = None,
    warnings: dict[str, Any] | None = None,
    collections: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The exact JSON object of spec §15, money translated by ``rate``; ``score`` from
    `analytics.risk.score.score_json`, ``warnings`` and ``collections`` from their modules
    (a part not given is printed in the spec's shape with null values)."""
    return {
        "as_of": ecl.options.as_of.isoformat(),
        "currency": currency,
        "ecl": ecl_json(ecl, rate),
        "score": score if score is not None else pending_score(),
        "warnings": warnings,
        "collections": collections,
    }


def ecl_json(ecl: Ecl, rate: float = 1.0) -> dict[str, Any]:
    """Spec §15 "ecl": the rates applied (given rates echoed), open and ECL per bucket
    (undisputed), the disputed ECL, totals gross and net of insurance; null where undefined."""
    n = len(ecl.buckets)
    return {
        "buckets": list(ecl.buckets),
        "loss_rates": list(ecl.rates) if ecl.rates is not None else [None] * n,
        "open": [_money(v, rate) for v in ecl.open_amounts],
        "ecl": [_money(v, rate) for v in ecl.bucket_ecl or [None] * n],
        "disputed_ecl": _money(ecl.disputed_ecl, rate),
        "total": _money(ecl.total, rate),
        "total_net_of_insurance": _money(ecl.total_net_of_insurance, rate),
        "calibration_month_ends": ecl.loss_rates.n_month_ends,
        "overlay": ecl.options.overlay,
    }


def pending_score() -> dict[str, Any]:
    """Spec §15 "score" until the behavioural model (spec §10) is built: every value null."""
    return {**dict.fromkeys(SCORE_KEYS), "grades": None}


def _money(value: float | None, rate: float) -> float | None:
    return None if value is None else round(value * rate, 6)
