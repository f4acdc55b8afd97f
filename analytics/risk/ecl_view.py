"""What the Expected credit loss page and the committee pack show of an `Ecl`: the provision
matrix (one row per aging bucket, the disputed line apart, a total), the calibration behind
the rates, the coverage of receivables by the allowance, and the allowance movement as rows.
Pure frames from results already computed; no queries.
"""

from __future__ import annotations

import math

import pandas as pd

from analytics.risk.allowance import AllowanceMovement
from analytics.risk.ecl import Ecl
from analytics.risk.loss_rates import LossRates

DISPUTED_ROW = "Disputed (assessed apart)"
TOTAL_ROW = "Total"
MATRIX_COLUMNS = ["bucket", "open_amount", "loss_rate", "rate_applied", "ecl_amount", "source"]


def provision_matrix(ecl: Ecl) -> pd.DataFrame:
    """Per bucket: positive open amount of undisputed documents, loss rate (before the
    overlay), rate applied, ECL and where the rate came from; then the disputed documents
    (each at its bucket's rate, so the line has no single rate) and the total.

    Rates and ECL are NaN when the ECL is undefined (no calibration month-end).
    """
    rates = ecl.loss_rates.rates or (math.nan,) * len(ecl.buckets)
    applied = ecl.rates or (math.nan,) * len(ecl.buckets)
    bucket_ecl = ecl.bucket_ecl or (math.nan,) * len(ecl.buckets)
    rows = pd.DataFrame(
        {
            "bucket": list(ecl.buckets),
            "open_amount": list(ecl.open_amounts),
            "loss_rate": list(rates),
            "rate_applied": list(applied),
            "ecl_amount": list(bucket_ecl),
            "source": list(ecl.loss_rates.sources),
        }
    )
    disputed_open = float(sum(ecl.disputed_open_amounts))
    disputed = _nan_if_none(ecl.disputed_ecl)
    total_open = float(sum(ecl.open_amounts)) + disputed_open
    total = _nan_if_none(ecl.total)
    extra = pd.DataFrame(
        {
            "bucket": [DISPUTED_ROW, TOTAL_ROW],
            "open_amount": [disputed_open, total_open],
            "loss_rate": [math.nan, math.nan],
            "rate_applied": [_ratio(disputed, disputed_open), _ratio(total, total_open)],
            "ecl_amount": [disputed, total],
            "source": ["each document at its bucket's rate", "weighted average rate"],
        }
    )
    return pd.concat([rows, extra], ignore_index=True)[MATRIX_COLUMNS]


def calibration_table(rates: LossRates) -> pd.DataFrame:
    """Per bucket: Σ over the calibration month-ends of the open amount and of the part later
    lost, the loss rate (lost ÷ open, or borrowed) and its source."""
    return pd.DataFrame(
        {
            "bucket": list(rates.buckets),
            "open_amount": list(rates.open_amounts),
            "lost_amount": list(rates.lost_amounts),
            "loss_rate": list(rates.rates or (math.nan,) * len(rates.buckets)),
            "source": list(rates.sources),
        }
    )


def coverage_ratio(ecl: Ecl) -> float | None:
    """The allowance as a share of the receivables it covers (undisputed and disputed
    positive open amounts): the figure a committee compares month to month.

    >>> from types import SimpleNamespace as NS
    >>> coverage_ratio(NS(total=580_000.0, open_amounts=(15e6, 7.5e6, 4e6, 2.5e6, 1e6),
    ...                   disputed_open_amounts=(0.0,) * 5))
    0.019333333333333334
    """
    covered = float(sum(ecl.open_amounts)) + float(sum(ecl.disputed_open_amounts))
    if ecl.total is None or covered <= 0:
        return None
    return ecl.total / covered


def movement_rows(movement: AllowanceMovement) -> pd.DataFrame:
    """The allowance movement as three rows (opening, charge or release, closing), NaN where
    undefined.

    >>> from datetime import date
    >>> m = AllowanceMovement(date(2025, 10, 31), date(2026, 10, 31), 100.0, 30.0, 130.0)
    >>> movement_rows(m)["amount"].tolist()
    [100.0, 30.0, 130.0]
    """
    charge = movement.charge
    word = "Release" if charge is not None and charge < 0 else "Charge"
    return pd.DataFrame(
        {
            "line": [
                f"Opening allowance ({movement.opening_date:%d %b %Y})",
                f"{word} for the period (to profit and loss)",
                f"Closing allowance ({movement.closing_date:%d %b %Y})",
            ],
            "amount": [
                _nan_if_none(movement.opening),
                _nan_if_none(charge),
                _nan_if_none(movement.closing),
            ],
        }
    )


def _nan_if_none(value: float | None) -> float:
    return math.nan if value is None else float(value)


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole > 0 and not math.isnan(part) else math.nan
