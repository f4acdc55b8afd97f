"""Faults (issue 13 item 4): a load killed with kill -9 at several points leaves the previous
ledger byte for byte and the next load working; the workspace survives a kill in the middle
of its writes; a full disk during a load is one clear message and loses nothing.

The killed loads are real ``python -m analytics load`` processes on a 200,000-invoice ledger,
killed 0.2, 0.5 and 1.0 s after their new database file appears (that is, while it is being
written, whatever the machine's speed). A full disk is a small tmpfs when the test may mount
one (root), else the write is made to fail with ENOSPC.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from core.errors import LedgerError
from data import loader
from data.loader import load_ledger
from data.sample import generate_sample
from stores.workspace import Workspace
from tests.data.conftest import GOOD, good_database, write_csv

ROOT = Path(__file__).resolve().parents[2]
BIG_INVOICES = 200_000
KILL_AFTER = (0.2, 0.5, 1.0)  # seconds after the new database file appears
APPEARS_WITHIN = 120  # seconds: a loaded CI machine imports slowly


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def big_ledger(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "ledger"
    generate_sample(folder, invoices=BIG_INVOICES, seed=5)
    return folder


@pytest.fixture
def good_db(tmp_path: Path) -> Path:
    """A data folder whose ledger.duckdb holds the small GOOD ledger: the one to keep."""
    return good_database(tmp_path)


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if loader.TEMP_NAME.fullmatch(p.name)]


def kill_mid_load(ledger: Path, db: Path, after: float) -> None:
    """Start ``python -m analytics load`` into `db`; kill -9 it `after` s into its write."""
    child = subprocess.Popen(
        [sys.executable, "-m", "analytics", "load", "--ledger", str(ledger), "--db", str(db)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + APPEARS_WITHIN
    while not temp_files(db.parent) and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(after)
    assert child.poll() is None, "the load ended before it could be killed"
    child.send_signal(signal.SIGKILL)
    child.wait()


def test_a_load_killed_at_any_point_keeps_the_ledger_and_the_next_load_works(
    big_ledger, good_db, tmp_path
) -> None:
    before = digest(good_db)
    for after in KILL_AFTER:
        kill_mid_load(big_ledger, good_db, after)
        assert digest(good_db) == before, f"killed {after} s in"
    assert temp_files(good_db.parent)  # what the kills left: the next load removes it
    report = load_ledger(tmp_path / "good", good_db)
    assert report.counts["invoices"] == 3
    assert not temp_files(good_db.parent)
    with duckdb.connect(str(good_db), read_only=True) as con:
        assert con.execute("select count(*) from invoices").fetchone() == (3,)


WRITER = """
import sys
from stores.scenarios import ScenarioStore
store = ScenarioStore(sys.argv[1])
for i in range(100_000):
    store.save(f"s{i}", '{"name": "x", "padding": "%s"}' % ("p" * 20_000))
    print(i, flush=True)
"""


def test_the_workspace_survives_a_kill_in_the_middle_of_its_writes(tmp_path: Path) -> None:
    path = tmp_path / "workspace" / "workspace.duckdb"
    child = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)  # fmt: skip
    for _ in range(30):  # 30 whole changes, then a kill while the next ones are written
        assert child.stdout.readline(), "the writer stopped"
    child.send_signal(signal.SIGKILL)
    child.wait()
    workspace = Workspace(path)
    with workspace.read() as con:
        saved = con.execute("select count(*) from scenarios").fetchone()[0]
        logged = con.execute(
            "select count(*) from change_log where entity = 'scenario' and action = 'create'"
        ).fetchone()[0]
    assert saved >= 30 and saved == logged  # each change whole, with its change-log row
    from stores.scenarios import ScenarioStore

    ScenarioStore(workspace).save("after the kill", json.dumps({"name": "x"}))
    assert "after the kill" in ScenarioStore(workspace).names()


def _mount_tmpfs(folder: Path, size_kb: int) -> bool:
    """Mount a tmpfs of `size_kb` on `folder`; False when not permitted (not root, no mount)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(folder)],
                          capture_output=True)  # fmt: skip
    return done.returncode == 0


def test_a_full_disk_is_one_message_and_keeps_the_ledger(big_ledger, tmp_path: Path) -> None:
    small = tmp_path / "small"
    for table, text in GOOD.items():
        write_csv(small, f"{table}.csv", text)
    measured = tmp_path / "measured.duckdb"
    load_ledger(small, measured)
    # room for the small ledger and a little more, far less than the 200,000 invoices need
    size_kb = 3 * measured.stat().st_size // 1024
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, size_kb):
        pytest.skip("cannot mount a tmpfs here (tests/data/test_refused_loads.py makes ENOSPC)")
    try:
        db = disk / "ledger.duckdb"
        load_ledger(small, db)
        before = digest(db)
        with pytest.raises(LedgerError) as caught:
            load_ledger(big_ledger, db)  # 200,000 invoices do not
        message = str(caught.value)
        assert message.startswith("the disk is full") and "ledger.duckdb is unchanged" in message
        assert "\n" not in message and "Traceback" not in message
        assert digest(db) == before
        assert sorted(p.name for p in disk.iterdir()) == ["ledger.duckdb"]
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_enospc_at_the_replace_is_the_same_message(tmp_path: Path, monkeypatch) -> None:
    """Where no tmpfs can be mounted: the disk fills at the very last step."""
    for table, text in GOOD.items():
        write_csv(tmp_path / "good", f"{table}.csv", text)
    db = tmp_path / "data" / "ledger.duckdb"
    load_ledger(tmp_path / "good", db)
    before = digest(db)

    def full(*_args) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(loader.os, "replace", full)
    with pytest.raises(LedgerError, match="^the disk is full.*ledger.duckdb is unchanged$"):
        load_ledger(tmp_path / "good", db)
    assert digest(db) == before
    assert sorted(p.name for p in db.parent.iterdir()) == ["ledger.duckdb"]
