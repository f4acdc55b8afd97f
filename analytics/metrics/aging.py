"""Aging buckets (spec §3)."""

from __future__ import annotations

from collections.abc import Sequence

from analytics.metrics.dso import positive_or_nan
from core.constants import DEFAULT_BUCKET_EDGES


def bucket_labels(edges: Sequence[int] = DEFAULT_BUCKET_EDGES) -> list[str]:
    """Labels of the buckets for the given upper edges.

    ``(30, 60, 90, 120)`` gives ``current, 1-30, 31-60, 61-90, 91-120, 120+``; the last
    bucket holds everything at or above the last edge + 1 (spec §3, upper edges inclusive).
    """
    labels = ["current"]
    lower = 1
    for edge in edges:
        labels.append(f"{lower}-{edge}")
        lower = edge + 1
    labels.append(f"{edges[-1]}+")
    return labels


def sql_edges(edges: Sequence[int]) -> list[int]:
    """The edge list the SQL bucketing expects: 0 (current) then the upper edges."""
    return [0, *edges]


def aging_buckets(amount_by_bucket: dict[int, float], edges: Sequence[int]) -> dict[str, float]:
    """Amount per labelled bucket from amounts keyed by bucket index (0 = current).

    Every bucket is present, empty ones at 0.0, in order.
    """
    labels = bucket_labels(edges)
    return {label: float(amount_by_bucket.get(i, 0.0)) for i, label in enumerate(labels)}


def overdue_share_of(overdue, open_amount):
    """Overdue ÷ open amounts (spec §3), element-wise over arrays, Series or scalars: the one
    definition (NaN where nothing positive is open).

    >>> import numpy as np
    >>> overdue_share_of(np.array([25.0, 5.0]), np.array([100.0, 0.0])).tolist()
    [0.25, nan]
    """
    return overdue / positive_or_nan(open_amount)
