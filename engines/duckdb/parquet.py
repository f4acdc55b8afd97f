"""A loaded ledger's canonical tables written as Parquet: what the Spark engine reads.

The loaded tables (keys assigned, currencies filled, entities defaulted) rather than the raw
files, so that both engines build their facts from exactly the same rows.
"""

from __future__ import annotations

from pathlib import Path

from engines.duckdb.engine import DuckDBEngine
from engines.spark.tables import CANONICAL


def write_canonical(engine: DuckDBEngine, folder: Path | str) -> list[Path]:
    """Write every canonical table of ``engine``'s ledger (consolidated) to
    ``<folder>/<table>.parquet``; the files written, in table order."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    cur = engine.scoped(None).cursor()
    written = []
    try:
        for table in CANONICAL:
            path = out / f"{table}.parquet"
            cur.table(table).select(*CANONICAL[table]).write_parquet(str(path))
            written.append(path)
    finally:
        cur.close()
    return written
