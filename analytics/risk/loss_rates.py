"""Loss rates per aging bucket (spec §9, IFRS 9 simplified approach): calibrated on the
ledger's own month-ends with a 365-day outcome, borrowed where a bucket has no history, with
the forward-looking overlay; or given by the user (e.g. the auditor's matrix).

The month-end facts come from `engines/sql/risk_calibration_outcomes.sql`, a read of the
load-time month-end outcomes (data/sql/10) for the default horizon, or from the as-of route
`risk_calibration_outcomes_full.sql` (any horizon; a ledger loaded before that table); both give
the same rows. Everything here works on one row per month-end × bucket, never on documents.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from analytics.metrics.aging import bucket_labels, sql_edges
from core.calendar import month_ends
from core.errors import LedgerError
from engines import facts
from engines.base import Engine

HORIZON_DAYS = 365  # §9: outcome horizon H
LOADED_HORIZON_DAYS = 365  # the horizon data/sql/10_month_end_outcomes.sql builds at load
MAX_CALIBRATION_MONTH_ENDS = 24  # §9: at most the latest 24 month-ends
MIN_CALIBRATION_MONTH_ENDS = 6  # §9: fewer is said (and what there is used)

CALIBRATED = "calibrated"
GIVEN = "given"
NO_HISTORY = "none (0)"  # no bucket as young or younger has history: rate 0
BORROWED_FROM = "borrowed from "  # + the label of the bucket whose rate it takes


@dataclass(frozen=True)
class Calibration:
    """The calibration book: which month-ends, and their outcomes (one row per month-end ×
    bucket × next bucket, the columns of `facts.risk_calibration_outcomes`)."""

    month_ends: tuple[date, ...]
    outcomes: pd.DataFrame


@dataclass(frozen=True)
class LossRates:
    """Loss rate per bucket before the overlay, with where each came from.

    ``rates`` is None when there is nothing to calibrate on (no month-end m with m + H ≤ D):
    the ECL is then undefined. ``open_amounts`` and ``lost_amounts`` are the calibration sums
    Σ_m per bucket (0 for given rates).
    """

    buckets: tuple[str, ...]
    rates: tuple[float, ...] | None
    sources: tuple[str, ...]
    open_amounts: tuple[float, ...]
    lost_amounts: tuple[float, ...]
    month_ends: tuple[date, ...] = ()

    @property
    def n_month_ends(self) -> int:
        return len(self.month_ends)

    @property
    def is_given(self) -> bool:
        return all(s == GIVEN for s in self.sources)

    @property
    def borrowed(self) -> tuple[bool, ...]:
        """Per bucket: its rate is not its own history (borrowed from a younger bucket, or 0)."""
        return tuple(s not in (CALIBRATED, GIVEN) for s in self.sources)


def calibration_month_ends(
    as_of: date,
    first_date: date | None,
    *,
    horizon_days: int = HORIZON_DAYS,
    max_month_ends: int = MAX_CALIBRATION_MONTH_ENDS,
) -> tuple[date, ...]:
    """The month-ends m with m + H ≤ D on or after the ledger's first document, the latest
    ``max_month_ends`` of them, oldest first (spec §9).

    >>> calibration_month_ends(date(2025, 3, 31), date(2023, 12, 5), max_month_ends=3)
    (datetime.date(2024, 1, 31), datetime.date(2024, 2, 29), datetime.date(2024, 3, 31))
    >>> calibration_month_ends(date(2025, 3, 30), date(2024, 3, 1))
    ()
    """
    if first_date is None:
        return ()
    last = as_of - timedelta(days=horizon_days)
    return tuple(m for m in month_ends(last, max_month_ends) if m >= first_date)


def calibration(
    engine: Engine,
    *,
    as_of: date,
    edges: Sequence[int],
    horizon_days: int = HORIZON_DAYS,
    max_month_ends: int = MAX_CALIBRATION_MONTH_ENDS,
) -> Calibration:
    """The calibration book as of ``as_of``: its month-ends and their outcomes."""
    first = facts.first_document_date(engine).get("first_date")
    ends = calibration_month_ends(
        as_of, first, horizon_days=horizon_days, max_month_ends=max_month_ends
    )
    if not ends:
        return Calibration((), pd.DataFrame())
    if is_precomputed(engine, ends, horizon_days):
        outcomes = facts.risk_calibration_outcomes(
            engine, days=list(ends), edges=sql_edges(edges), horizon_days=horizon_days
        )
    else:
        outcomes = facts.risk_calibration_outcomes_full(
            engine, edges=sql_edges(edges), horizon_days=horizon_days, month_ends=list(ends)
        )
    return Calibration(ends, outcomes)


def is_precomputed(engine: Engine, ends: Sequence[date], horizon_days: int) -> bool:
    """Whether the load-time month-end outcomes answer these month-ends at this horizon: the
    load built them (a ledger loaded before that did not), at its horizon, up to its last
    month-end (a later as-of date can ask for month-ends past the ledger's end)."""
    if horizon_days != LOADED_HORIZON_DAYS:
        return False
    coverage = facts.month_end_outcomes_coverage(engine)
    last = coverage.get("last_month_end")
    return bool(coverage.get("is_built")) and last is not None and max(ends) <= last


def calibrated_loss_rates(cal: Calibration, edges: Sequence[int]) -> LossRates:
    """loss rate_b = Σ_m lost_b,m / Σ_m open_b,m (spec §9); a bucket without calibration
    amount borrows (`borrow_rates`); no month-ends: rates None."""
    labels = bucket_labels(edges)
    opened, lost = bucket_sums(cal.outcomes, len(labels))
    if not cal.month_ends:
        return LossRates(tuple(labels), None, (NO_HISTORY,) * len(labels), opened, lost)
    own = [lo / op if op > 0 else None for op, lo in zip(opened, lost, strict=True)]
    rates, sources = borrow_rates(own, labels)
    return LossRates(tuple(labels), rates, sources, opened, lost, cal.month_ends)


def bucket_sums(outcomes: pd.DataFrame, n_buckets: int) -> tuple[tuple[float, ...], ...]:
    """Σ over month-ends of the open and the lost amount per bucket (0 where none)."""
    if outcomes.empty:
        return (0.0,) * n_buckets, (0.0,) * n_buckets
    sums = outcomes.groupby("bucket")[["open_amount", "lost_amount"]].sum()
    sums = sums.reindex(range(n_buckets), fill_value=0.0).fillna(0.0)
    return tuple(sums["open_amount"].astype(float)), tuple(sums["lost_amount"].astype(float))


def borrow_rates(
    own: Sequence[float | None], labels: Sequence[str]
) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """Each bucket's own rate, or (None) the rate of the nearest younger bucket that has one,
    flagged as borrowed; when no younger bucket has one, 0 (spec §9).

    >>> borrow_rates([None, 0.02, None, 0.5], ["current", "1-30", "31-60", "60+"])
    ((0.0, 0.02, 0.02, 0.5), ('none (0)', 'calibrated', 'borrowed from 1-30', 'calibrated'))
    """
    rates: list[float] = []
    sources: list[str] = []
    lender: int | None = None
    for i, rate in enumerate(own):
        if rate is not None:
            lender = i
            rates.append(float(rate))
            sources.append(CALIBRATED)
        elif lender is None:
            rates.append(0.0)
            sources.append(NO_HISTORY)
        else:
            rates.append(rates[lender])
            sources.append(BORROWED_FROM + labels[lender])
    return tuple(rates), tuple(sources)


def given_loss_rates(rates: Sequence[float], edges: Sequence[int]) -> LossRates:
    """The user's rates, one per bucket (spec §9 given rates), checked."""
    labels = bucket_labels(edges)
    checked = validate_given_rates(rates, edges)
    zeros = (0.0,) * len(labels)
    return LossRates(tuple(labels), checked, (GIVEN,) * len(labels), zeros, zeros)


def validate_given_rates(
    rates: Sequence[float], edges: Sequence[int], field: str = "--loss-rates"
) -> tuple[float, ...]:
    """One rate per bucket of ``edges``, each a number in [0, 1]; else LedgerError naming
    ``field`` (the CLI flag, or the page's field)."""
    labels = bucket_labels(edges)
    if len(rates) != len(labels):
        raise LedgerError(
            f"{field}: expected {len(labels)} rates, one per bucket ({', '.join(labels)}),"
            f" got {len(rates)}"
        )
    for label, rate in zip(labels, rates, strict=True):
        if not (isinstance(rate, int | float) and math.isfinite(rate) and 0 <= rate <= 1):
            raise LedgerError(
                f"{field}: the rate for bucket {label} must be between 0 and 1"
                f" (0.016 = 1.6 %), got {rate}"
            )
    return tuple(float(r) for r in rates)


def parse_rates(text: str) -> tuple[float, ...]:
    """'0.003,0.016' → (0.003, 0.016); anything not a number is refused naming --loss-rates.

    >>> parse_rates("0.003, 0.016,1")
    (0.003, 0.016, 1.0)
    """
    parts = [p.strip() for p in text.split(",")]
    try:
        return tuple(float(p) for p in parts)
    except ValueError:
        raise LedgerError(
            f"--loss-rates: expected numbers between 0 and 1 separated by commas, one per"
            f" bucket (e.g. 0.003,0.016,0.036,0.066,0.106), got {text!r}"
        ) from None


def parse_percent_rates(text: str, edges: Sequence[int], field: str) -> tuple[float, ...]:
    """A page's given rates typed in percent, one per bucket ('0.3, 1.6, 3.6') → fractions,
    checked like `validate_given_rates`; anything else is refused naming ``field``.

    >>> parse_percent_rates("0.3, 1.6 %, 100", (30,), "Given rates")  # current, 1-30, 30+
    (0.003, 0.016, 1.0)
    """
    try:
        percents = [float(p.strip().removesuffix("%").strip()) for p in text.split(",")]
    except ValueError:
        raise LedgerError(
            f"{field}: expected percentages separated by commas, one per bucket"
            f" ({', '.join(bucket_labels(edges))}), e.g. 0.3, 1.6, 3.6; got {text!r}"
        ) from None
    labels = bucket_labels(edges)
    for label, pct in zip(labels, percents, strict=False):
        if not (math.isfinite(pct) and 0 <= pct <= 100):
            raise LedgerError(f"{field}: the rate for bucket {label} must be between 0 and 100 %,"
                              f" got {pct:g}")  # fmt: skip
    return validate_given_rates([round(p / 100, 12) for p in percents], edges, field)


def parse_overlay(text: str) -> float:
    """'0.1' → 0.1 (rates 10 % higher); anything else is refused naming --overlay."""
    try:
        value = float(text)
    except ValueError:
        raise LedgerError(
            f"--overlay: expected a number such as 0.1 (= rates 10 % higher), got {text!r}"
        ) from None
    return validate_overlay(value)


def validate_overlay(overlay: float) -> float:
    """The forward-looking overlay x: a finite number ≥ −1 (−100 %); else LedgerError."""
    if not (isinstance(overlay, int | float) and math.isfinite(overlay) and overlay >= -1):
        raise LedgerError(
            f"--overlay: expected a number of at least -1 (0.1 = rates 10 % higher), got {overlay}"
        )
    return float(overlay)


def with_overlay(rates: Sequence[float], overlay: float) -> tuple[float, ...]:
    """rate'_b = min(1, rate_b × (1 + x)) (spec §9 forward-looking overlay).

    >>> with_overlay([0.01, 0.5, 0.9], 0.25)
    (0.0125, 0.625, 1.0)
    """
    return tuple(min(1.0, r * (1 + overlay)) for r in rates)


def rate_warnings(rates: LossRates) -> tuple[str, ...]:
    """What a reader of the rates must know: too little history, and borrowed rates."""
    if rates.is_given:
        return ()
    n = rates.n_month_ends
    if n == 0:
        return ("no calibration month-end (none a year or more before the as-of date):"
                " no loss rates, expected credit loss undefined",)  # fmt: skip
    out = []
    if n < MIN_CALIBRATION_MONTH_ENDS:
        out.append(f"only {n} calibration month-end(s), fewer than {MIN_CALIBRATION_MONTH_ENDS}:"
                   " the loss rates rest on little history")  # fmt: skip
    for label, source in zip(rates.buckets, rates.sources, strict=True):
        if source not in (CALIBRATED, GIVEN):
            out.append(f"bucket {label}: no calibration amount, rate {source}")
    return tuple(out)
