"""Checks of user-chosen settings shared by the CLI, the sidebar and the analytics options.

Each raises `LedgerError` with a message naming the setting (e.g. ``--buckets``).
"""

from __future__ import annotations

from collections.abc import Sequence

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
