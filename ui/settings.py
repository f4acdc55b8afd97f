"""The shared sidebar: one `Settings` every page honours, mirrored in the URL query string."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from config import DATA_DIR_ENV as DATA_DIR_ENV  # tests point the app elsewhere with it
from config import ROOT as ROOT
from config import load_config
from core.constants import DEFAULT_BUCKET_EDGES, DEFAULT_WINDOW_DAYS
from core.filters import CustomerFilter


def data_dir() -> Path:
    """Folder of loaded ledger databases: config.py's data folder ($AR_DATA_DIR, else data/)."""
    return load_config().data_dir


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
    entity: str | None = None  # a legal entity's figures; None: consolidated (spec §8)


def available_ledgers() -> list[Path]:
    """Loaded ledger databases in the data folder, the default (config.py's default ledger,
    data/ledger.duckdb unless set) first."""
    config = load_config()
    default = config.default_ledger.resolve()
    found = config.data_dir.glob("*.duckdb")
    return sorted(found, key=lambda p: (p.resolve() != default, p.name))
