"""The shared sidebar: one `Settings` every page honours, mirrored in the URL query string."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.constants import DEFAULT_BUCKET_EDGES, DEFAULT_WINDOW_DAYS
from core.filters import CustomerFilter

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR_ENV = "RECEIVABLES_DATA_DIR"  # where loaded ledgers live (tests point it elsewhere)
DEFAULT_DB_NAME = "ledger.duckdb"


def data_dir() -> Path:
    """Folder of loaded ledger databases: $RECEIVABLES_DATA_DIR or the project's data/."""
    return Path(os.environ.get(DATA_DIR_ENV) or ROOT / "data")


@dataclass(frozen=True)
class Settings:
    """What the sidebar says: which ledger, when, in what currency, for whom, how."""

    db_path: str
    as_of: date
    currency: str
    reporting_currency: str
    customer_filter: CustomerFilter = field(default_factory=CustomerFilter)
    edges: tuple[int, ...] = DEFAULT_BUCKET_EDGES
    window_days: int = DEFAULT_WINDOW_DAYS


def available_ledgers() -> list[Path]:
    """Loaded ledger databases in the data folder, the default (ledger.duckdb) first."""
    found = data_dir().glob("*.duckdb")
    return sorted(found, key=lambda p: (p.name != DEFAULT_DB_NAME, p.name))
