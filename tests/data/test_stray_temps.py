"""A killed load leaves its new database, WAL and spill folder behind; the next load into the
folder removes them (issue 13: 14 kills had left 28 files, 321 MB), and keeps those of a load
still running in a live process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from data.loader import load_ledger, remove_stray_temps
from tests.data.conftest import GOOD, write_csv

HEX = "0123456789abcdef" * 2  # 32 hex digits, as uuid4().hex


def dead_pid() -> int:
    """The id of a process that has exited (and been waited for)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def strays(folder: Path, pid: int) -> list[Path]:
    """What a load killed with kill -9 leaves: its database, its WAL, its spill folder; and an
    earlier version's names (no process id)."""
    made = [folder / f"ledger.duckdb.tmp-{pid}-{HEX}", folder / f"ledger.duckdb.tmp-{pid}-{HEX}.wal",
            folder / f"q3.duckdb.tmp-{HEX}", folder / f"q3.duckdb.tmp-{HEX}.wal"]  # fmt: skip
    for path in made:
        path.write_bytes(b"\0" * 4096)
    spill = folder / f"ledger.duckdb.tmp-{pid}-{HEX}.tmp"
    spill.mkdir()
    (spill / "duckdb_temp_storage-0.tmp").write_bytes(b"\0" * 4096)
    return [*made, spill]


def test_the_next_load_removes_what_killed_loads_left_and_works(tmp_path: Path) -> None:
    for table, text in GOOD.items():
        write_csv(tmp_path / "good", f"{table}.csv", text)
    folder = tmp_path / "db"
    folder.mkdir()
    strays(folder, dead_pid())
    mine = folder / "notes.tmp-draft.txt"  # not a load's name: left alone
    mine.write_text("keep")
    report = load_ledger(tmp_path / "good", folder / "ledger.duckdb")
    assert report.counts["invoices"] == 3
    assert sorted(p.name for p in folder.iterdir()) == ["ledger.duckdb", mine.name]


def test_a_live_process_keeps_its_temporary_files(tmp_path: Path) -> None:
    live = tmp_path / f"ledger.duckdb.tmp-{os.getpid()}-{HEX}"  # this process: still loading
    live.write_bytes(b"")
    dead = strays(tmp_path, dead_pid())
    removed = remove_stray_temps(tmp_path)
    assert sorted(removed) == sorted(dead)
    assert sorted(tmp_path.iterdir()) == [live]
