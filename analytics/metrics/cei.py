"""Collection Effectiveness Index (spec §4)."""

from __future__ import annotations

from analytics.metrics.dso import none_if_nan, positive_or_nan


def collection_effectiveness_index_of(ar_begin, sales, ar_end, current_ar_end):
    """CEI = (AR(a) + S(a, b] − AR(b)) / (AR(a) + S(a, b] − CurrentAR(b)) × 100, element-wise
    over arrays or Series: the one definition (NaN where nothing was collectable).
    """
    collectable = ar_begin + sales - current_ar_end
    return (ar_begin + sales - ar_end) / positive_or_nan(collectable) * 100


def collection_effectiveness_index(
    ar_begin: float, sales: float, ar_end: float, current_ar_end: float
) -> float | None:
    """CEI for one period: what was collected out of what was collectable. ``None`` when the
    denominator is not positive (nothing was collectable).

    >>> collection_effectiveness_index(1_000, 500, 900, 400)  # 600 / 1100
    54.54545454545454
    """
    return none_if_nan(collection_effectiveness_index_of(ar_begin, sales, ar_end, current_ar_end))
