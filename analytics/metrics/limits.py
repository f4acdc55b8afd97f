"""Credit limits and insurance (spec §6)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.constants import DEFAULT_INSURANCE_COVERAGE


def exposure(balance: pd.Series, open_orders: pd.Series) -> pd.Series:
    """Exposure_c = max(B_c(D), 0) + open orders_c."""
    return balance.clip(lower=0) + open_orders.fillna(0)


def utilisation(exposure_amount: pd.Series, credit_limit: pd.Series) -> pd.Series:
    """Exposure / limit for customers with a limit > 0; NaN for the no-limit class."""
    limit = credit_limit.where(credit_limit > 0)
    return exposure_amount / limit


def headroom(exposure_amount: pd.Series, credit_limit: pd.Series) -> pd.Series:
    """Limit − exposure (negative = over limit); NaN without a limit."""
    return credit_limit.where(credit_limit > 0) - exposure_amount


def portfolio_utilisation(exposure_amount: pd.Series, credit_limit: pd.Series) -> float | None:
    """Σ exposure of limited customers / Σ their limits; ``None`` when nobody has a limit."""
    limited = credit_limit > 0
    total_limit = credit_limit[limited].sum()
    if not limited.any() or total_limit <= 0:
        return None
    return float(exposure_amount[limited].sum() / total_limit)


def insured_part(
    exposure_amount: pd.Series,
    insured_limit: pd.Series,
    coverage: float = DEFAULT_INSURANCE_COVERAGE,
) -> pd.Series:
    """min(exposure, insured limit) × coverage; 0 for uninsured customers."""
    if not 0 <= coverage <= 1:
        raise ValueError(f"insurance coverage must be between 0 and 1, got {coverage}")
    covered = np.minimum(exposure_amount, insured_limit.fillna(0).clip(lower=0))
    return covered * coverage


def uninsured_exposure(
    exposure_amount: pd.Series,
    insured_limit: pd.Series,
    coverage: float = DEFAULT_INSURANCE_COVERAGE,
) -> pd.Series:
    """Exposure − insured part."""
    return exposure_amount - insured_part(exposure_amount, insured_limit, coverage)
