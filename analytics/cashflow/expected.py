"""Expected receipts from open AR, exactly (no draws): the one definition the projection's
expected columns and the policy simulator's baseline share.

An open-item group's collectible amount (``model.conditioned``) is spread over the days after
the as-of date by its lateness distribution conditioned on the days already past due: the
distribution ``model.draw_receipts`` samples from, so the mean of the draws tends to it.
"""

from __future__ import annotations

import numpy as np

from analytics.cashflow.model import MIN_DAYS_LATE, NEVER, TAIL_DAYS, Conditioned

CHUNK_ITEMS = 4096  # items whose daily shares are gathered at once (bounds memory)


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
    groups of ``c``, summed into row ``target[group]`` (a customer, or 0 for a total).

    The sum of ``expected_daily`` × collectible over the groups, without an items × horizon
    array: a group's shares are a slice of its row's paid bins (``day_windows``) times one
    weight (collectible ÷ the paid mass left after its days past due), gathered a chunk of
    groups at a time and summed into the targets by one matrix product; the tail rule's
    groups add collectible ÷ TAIL_DAYS to each of the first TAIL_DAYS days.
    """
    out = np.zeros((n_targets, horizon))
    windows = day_windows(pmf, horizon)
    start, weight = window_starts(pmf, c.days_past_due, c.row, horizon)
    weight = np.where(c.tail, 0.0, weight * c.collectible)
    for first in range(0, len(c.row), CHUNK_ITEMS):
        part = slice(first, first + CHUNK_ITEMS)
        shares = windows[c.row[part], start[part]]
        out += _by_target(target[part], weight[part], n_targets) @ shares
    tail = np.bincount(target[c.tail], c.collectible[c.tail], n_targets)
    out[:, :TAIL_DAYS] += tail[:, None] / TAIL_DAYS
    return out


def day_windows(pmf: np.ndarray, horizon: int) -> np.ndarray:
    """rows × (horizon + NEVER + 1) × horizon view: window s of a row is its paid bins
    b = s − horizon … s − horizon + horizon − 1, zero outside 0 … NEVER − 1."""
    padded = np.zeros((len(pmf), horizon + NEVER + horizon))
    padded[:, horizon : horizon + NEVER] = pmf[:, :NEVER]
    return np.lib.stride_tricks.sliding_window_view(padded, horizon, axis=1)


def window_starts(
    pmf: np.ndarray, dpd: np.ndarray, row: np.ndarray, horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per item: its window in ``day_windows`` (day 1 = lateness bin dpd + 1) and 1 ÷ the paid
    mass after dpd (0 when none is left), as ``expected_daily`` renormalises."""
    first = np.clip(dpd - MIN_DAYS_LATE + 1, 0, NEVER)
    paid_after = np.cumsum(pmf[:, :NEVER][:, ::-1], axis=1)[:, ::-1]  # Σ paid bins ≥ b, per row
    left = np.where(first < NEVER, paid_after[row, np.minimum(first, NEVER - 1)], 0.0)
    scale = np.divide(1.0, left, out=np.zeros_like(left), where=left > 1e-12)
    start = np.clip(dpd - MIN_DAYS_LATE + 1, -horizon, NEVER) + horizon
    return start, scale


def _by_target(target: np.ndarray, weight: np.ndarray, n_targets: int):
    """The targets × items matrix summing weighted items into their targets (sparse)."""
    from scipy.sparse import csr_matrix

    items = np.arange(len(target))
    return csr_matrix((weight, (target, items)), shape=(n_targets, len(target)))


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
