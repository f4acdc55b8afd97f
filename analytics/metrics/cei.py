"""Collection Effectiveness Index (spec §4)."""

from __future__ import annotations


def collection_effectiveness_index(
    ar_begin: float, sales: float, ar_end: float, current_ar_end: float
) -> float | None:
    """CEI = (AR(a) + S(a, b] − AR(b)) / (AR(a) + S(a, b] − CurrentAR(b)) × 100.

    What was collected out of what was collectable in the period. ``None`` when the
    denominator is not positive (nothing was collectable).

    >>> collection_effectiveness_index(1_000, 500, 900, 400)  # 600 / 1100
    54.54545454545454
    """
    collectable = ar_begin + sales - current_ar_end
    if collectable <= 0:
        return None
    return (ar_begin + sales - ar_end) / collectable * 100
