"""A large CSV loads in bounded memory (issue 13 item 5): DuckDB works under the loader's
memory cap and spills past it, so the load's peak memory follows the cap, not the file.

A ~36 MB invoices.csv (600,000 rows) loads in a fresh process with the cap lowered to 128 MB;
its peak resident memory must stay under the cap plus what Python, pandas and DuckDB take
before reading anything (measured here, about 200 MB), with room for the machine. Uncapped the
same load peaks near 400 MB and a 72 MB file near 570 MB, growing with the file; capped, the
72 MB file peaked at 310 MB. Set AR_STREAM_TEST_MB=200 to try a 200 MB file by hand.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILE_MB = int(os.environ.get("AR_STREAM_TEST_MB", "36"))
ROWS_PER_MB = 19_000  # rows of `write_invoices` per MB (about 55 bytes a row)
CAP_MB = 128
HEADROOM_MB = 150  # allocator and thread arenas over the cap, on a busy machine

CHILD = """
import json, resource, sys
import data.loader as loader
baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
loader.MEMORY_LIMIT = sys.argv[3]
report = loader.load_ledger(sys.argv[1], sys.argv[2])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(json.dumps({"baseline_mb": baseline, "peak_mb": peak, "invoices": report.counts["invoices"]}))
"""


def write_invoices(folder: Path, rows: int) -> Path:
    """An invoices.csv of `rows` rows (about 55 bytes each), 5,000 customers."""
    folder.mkdir(parents=True)
    with (folder / "invoices.csv").open("w") as out:
        out.write("invoice_id,customer_id,invoice_date,due_date,amount,currency\n")
        for i in range(rows):
            month, day = 1 + i % 12, 1 + i % 28
            out.write(f"INV-{i:09d},C{i % 5000:05d},2024-{month:02d}-{day:02d},"
                      f"2024-{month:02d}-{day:02d},{(i % 9973) * 1.37:.2f},USD\n")  # fmt: skip
    return folder


@pytest.mark.slow
def test_a_large_csv_loads_within_the_memory_cap(tmp_path: Path) -> None:
    rows = FILE_MB * ROWS_PER_MB
    folder = write_invoices(tmp_path / "ledger", rows)
    size_mb = (folder / "invoices.csv").stat().st_size / 2**20
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(folder), str(tmp_path / "ledger.duckdb"), f"{CAP_MB}MB"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    assert measured["invoices"] == rows
    assert size_mb > FILE_MB * 0.9
    bound = measured["baseline_mb"] + CAP_MB + HEADROOM_MB
    assert measured["peak_mb"] < bound, (measured, f"{size_mb:.0f} MB file")
    print(measured, f"{size_mb:.0f} MB file")
    assert not list(tmp_path.glob("ledger.duckdb.tmp*"))  # spill files gone with the load
