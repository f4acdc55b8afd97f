"""The ledger's stamp for the pack's footer: its content hash when the snapshot code can
compute one (analytics.history.snapshots), else the load time the caller read."""

from __future__ import annotations

import importlib
from typing import Any

from reports.pack.model import LedgerStamp
from reports.pack.sources import missing_source

FINGERPRINT = ("analytics.history.snapshots", "ledger_fingerprint")


def ledger_stamp(
    engine: Any, name: str, *, source: str = "", loaded_at: str | None = None
) -> LedgerStamp:
    """``name`` with the ledger's content hash, source and load time when the fingerprint is
    there; otherwise ``source`` and ``loaded_at`` as given (no hash)."""
    if missing_source(*FINGERPRINT):
        return LedgerStamp(name, source, loaded_at)
    print_ = importlib.import_module(FINGERPRINT[0]).ledger_fingerprint(engine)
    return LedgerStamp(
        name, print_.source or source, print_.loaded_at or loaded_at, print_.content_hash
    )
