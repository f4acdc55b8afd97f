"""Customer and group concentration (spec §5)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.constants import HHI_HIGH, HHI_MODERATE


def balance_shares(balances: pd.Series) -> pd.Series:
    """Share of each positive balance in the sum of positive balances, largest first.

    Non-positive balances are left out (spec §5). Empty when nothing is positive.
    """
    positive = balances[balances > 0].sort_values(ascending=False)
    total = positive.sum()
    return positive / total if total > 0 else positive.astype(float)


def top_n_share(balances: pd.Series, n: int) -> float | None:
    """Sum of the N largest shares; ``None`` when no balance is positive."""
    shares = balance_shares(balances)
    if shares.empty:
        return None
    return float(shares.iloc[:n].sum())


def hhi(balances: pd.Series) -> float | None:
    """Herfindahl-Hirschman index Σ (100·s)², 0-10,000; ``None`` when nothing is positive."""
    shares = balance_shares(balances)
    if shares.empty:
        return None
    return float(np.sum((100 * shares.to_numpy()) ** 2))


def hhi_reading(value: float | None) -> str:
    """'unconcentrated' below 1,500, 'moderately concentrated' to 2,500, else 'highly'."""
    if value is None:
        return "no balances"
    if value < HHI_MODERATE:
        return "unconcentrated"
    if value <= HHI_HIGH:
        return "moderately concentrated"
    return "highly concentrated"


def group_balances(balances: pd.Series, groups: pd.Series) -> pd.Series:
    """Balances summed by group (e.g. group_id) before shares are taken."""
    return balances.groupby(groups).sum()
