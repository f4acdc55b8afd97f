"""A loaded ledger in a few facts, for the audit trail of a load (stores/audit.py): where it
came from, when it was loaded, its reporting currency, schema version and rows per table."""

from __future__ import annotations

from pathlib import Path

import duckdb

from data.export import ledger_settings
from data.loader import LoadReport, table_counts

KEPT = ("source", "loaded_at", "reporting_currency", "schema_version")


def ledger_summary(path: Path | str) -> dict | None:
    """What the ledger file at ``path`` holds now: None when there is no file, only its name
    when it cannot be read as a loaded ledger. Read through a fresh in-memory database that
    attaches the file read-only (engines/duckdb/engine.py says why)."""
    path = Path(path)
    if not path.is_file():
        return None
    con = duckdb.connect(":memory:")
    try:
        con.execute("attach $path as ledger (read_only)", {"path": str(path)})
        con.execute("use ledger")
        settings, rows = ledger_settings(con), table_counts(con)
    except duckdb.Error:
        return {"file": path.name, "readable": False}
    finally:
        con.close()
    return {"file": path.name, **{k: settings[k] for k in KEPT if k in settings}, "rows": rows}


def load_summary(path: Path | str, report: LoadReport) -> dict:
    """The ledger as a successful load left it, with the load's warnings and seconds."""
    state = ledger_summary(path) or {"file": Path(path).name}
    return {**state, "rows": dict(report.counts), "warnings": len(report.warnings),
            "seconds": round(report.seconds, 1)}  # fmt: skip
