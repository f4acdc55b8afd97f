"""`python -m analytics snapshot`: one JSON line per snapshot (created, then existed), a
backfill with progress on stderr, into the data folder's workspace, and one message for each
bad combination of flags."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from config import DATA_DIR_ENV
from stores.snapshots import SnapshotStore
from stores.workspace import Workspace
from tests.ledger_factory import inv, load, pay


@pytest.fixture(scope="module")
def ledger_db(tmp_path_factory) -> str:
    invoices = [inv("I1", "A", "2024-01-05", "2024-02-04", 500),
                inv("I2", "A", "2024-02-20", "2024-03-21", 700)]  # fmt: skip
    engine = load(tmp_path_factory.mktemp("cli"), customers=[{"customer_id": "A"}],
                  invoices=invoices, payments=[pay("P1", "A", "2024-02-10", 500, "I1")])  # fmt: skip
    engine.close()
    return str(engine.path)


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path))
    return tmp_path


def snapshot(capsys, *args: str) -> tuple[int, list[dict], str]:
    code = main(["snapshot", *args])
    out = capsys.readouterr()
    return code, [json.loads(line) for line in out.out.splitlines()], out.err


def test_a_snapshot_is_created_then_found(ledger_db, data_dir, capsys):
    code, lines, _ = snapshot(capsys, "--ledger", ledger_db, "--as-of", "2024-03-01")
    assert code == 0 and len(lines) == 1
    assert lines[0]["status"] == "created" and lines[0]["as_of"] == "2024-03-01"
    assert set(lines[0]) == {"id", "as_of", "hash", "status"}
    code, again, _ = snapshot(capsys, "--ledger", ledger_db, "--as-of", "2024-03-01")
    assert again == [{**lines[0], "status": "existed"}]
    headers = SnapshotStore(Workspace.in_folder(data_dir)).headers()
    assert headers["snapshot_id"].tolist() == [lines[0]["id"]]


def test_without_a_date_the_snapshot_is_of_the_last_document_date(ledger_db, data_dir, capsys):
    _, lines, _ = snapshot(capsys, "--ledger", ledger_db)
    assert lines[0]["as_of"] == "2024-02-20"


def test_a_backfill_every_week_with_progress(ledger_db, data_dir, capsys):
    code, lines, err = snapshot(capsys, "--ledger", ledger_db, "--from", "2024-02-01",
                                "--to", "2024-02-20", "--every", "week")  # fmt: skip
    assert code == 0
    assert [x["as_of"] for x in lines] == ["2024-02-01", "2024-02-08", "2024-02-15"]
    assert {x["status"] for x in lines} == {"created"} and len({x["hash"] for x in lines}) == 1
    assert "[100%] 3/3 2024-02-15: done" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "2024-03-01", "--from", "2024-02-01"], "give one or the other"),
        (["--to", "2024-02-01"], "--to needs --from"),
        (["--from", "2024-03-01", "--to", "2024-02-01"], "--from 2024-03-01 is after --to"),
        (["--as-of", "2023-12-31"], "--as-of 2023-12-31: the ledger starts on 2024-01-05"),
    ],
)
def test_bad_flags_are_one_message(ledger_db, data_dir, capsys, args, message):
    code, lines, err = snapshot(capsys, "--ledger", ledger_db, *args)
    assert code == 2 and lines == []
    assert err.strip().splitlines()[-1].startswith("error:") and message in err
