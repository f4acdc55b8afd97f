"""Expected receipts from open AR, exactly (no draws): the one definition the projection's
expected columns and the policy simulator's baseline share.

An open-item group's collectible amount (``model.conditioned``) is spread over the days after
the as-of date by its lateness distribution conditioned on the days already past due: the
distribution ``model.draw_receipts`` samples from, so the mean of the draws tends to it.
"""

from __future__ import annotations

import numpy as np

from analytics.cashflow.model import MIN_DAYS_LATE, NEVER, TAIL_DAYS, Conditioned

CHUNK_PAIRS = 4096  # (group, day) rows spread at once (bounds memory)


def subset(c: Conditioned, mask: np.ndarray) -> Conditioned:
    """The groups of ``c`` where ``mask`` is true."""
    return Conditioned(*(getattr(c, f)[mask] for f in Conditioned.__dataclass_fields__))


def expected_total(c: Conditioned, pmf: np.ndarray, horizon: int) -> np.ndarray:
    """horizon + 1: expected receipts of all groups on day t = 1 … horizon, and (last column)
    the collectible amount expected after the horizon."""
    inside = expected_by_target(c, pmf, np.zeros(len(c.row), np.int64), 1, horizon)[0]
    return np.append(inside, float(c.collectible.sum()) - float(inside.sum()))


def expected_by_target(
    c: Conditioned, pmf: np.ndarray, target: np.ndarray, n_targets: int, horizon: int
) -> np.ndarray:
    """n_targets × horizon: expected receipts on day t = 1 … horizon (column t − 1) of the
    groups of ``c``, summed into row ``target[group]`` (a customer, or 0 for a total)."""
    out = np.zeros((n_targets, horizon))
    for start in range(0, len(c.row), CHUNK_PAIRS):
        part = slice(start, start + CHUNK_PAIRS)
        daily = expected_daily(pmf, c.row[part], c.days_past_due[part], c.tail[part], horizon)
        np.add.at(out, target[part], daily * c.collectible[part, None])
    return out


def expected_daily(
    pmf: np.ndarray, row: np.ndarray, dpd: np.ndarray, tail: np.ndarray, horizon: int
) -> np.ndarray:
    """items × horizon: share of an item's collectible amount paid on day t = 1 … horizon.

    Day t means lateness bin dpd + t; the item's distribution is its row's paid bins after
    dpd, renormalised (what ``cashflow.draw_receipts`` samples from). Under the tail rule (no
    history this late) it is paid evenly over TAIL_DAYS days.
    """
    t = np.arange(1, horizon + 1)
    first = np.clip(dpd - MIN_DAYS_LATE + 1, 0, NEVER)
    paid_after = np.cumsum(pmf[row, :NEVER][:, ::-1], axis=1)[:, ::-1]  # Σ paid bins ≥ b
    left = np.where(first < NEVER, paid_after[np.arange(len(row)), np.minimum(first, NEVER - 1)], 0)
    b = dpd[:, None] - MIN_DAYS_LATE + t[None, :]
    valid = (b >= first[:, None]) & (b < NEVER)
    share = np.where(valid, pmf[row[:, None], np.clip(b, 0, NEVER - 1)], 0.0)
    share = np.divide(share, left[:, None], out=np.zeros_like(share), where=left[:, None] > 1e-12)
    even = (t[None, :] <= TAIL_DAYS) / TAIL_DAYS
    return np.where(tail[:, None], even, share)
