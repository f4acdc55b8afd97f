"""Aging buckets (spec §3)."""

from __future__ import annotations

from collections.abc import Sequence

from core.constants import DEFAULT_BUCKET_EDGES
from core.errors import LedgerError


def validate_edges(edges: Sequence[int]) -> tuple[int, ...]:
    """Bucket upper edges: positive whole days, strictly increasing, at least one."""
    out = tuple(int(e) for e in edges)
    if not out:
        raise LedgerError("--buckets: give at least one edge, e.g. 30,60,90,120")
    if any(e < 1 for e in out) or any(b <= a for a, b in zip(out, out[1:], strict=False)):
        raise LedgerError(
            f"--buckets: edges must be positive and strictly increasing, got {','.join(map(str, out))}"
        )
    return out


def parse_edges(text: str) -> tuple[int, ...]:
    """'30,60,90,120' -> (30, 60, 90, 120), with a clear message for anything else."""
    try:
        edges = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise LedgerError(
            f"--buckets: expected whole days separated by commas, got {text!r}"
        ) from None
    return validate_edges(edges)


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
