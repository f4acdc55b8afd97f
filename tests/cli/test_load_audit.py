"""A load from the command line is in the audit trail of the data folder's workspace, in the
name cli:<user>: a new ledger as "create", the next load of it as "update" with what it
replaced."""

import getpass
import json

from stores.audit import trail
from stores.workspace import Workspace
from tests.cli.test_portfolio_and_ingest import ledger_folder as ledger_folder  # noqa: F401
from tests.cli.test_portfolio_and_ingest import run


def test_each_load_is_logged_with_before_and_after(ledger_folder, tmp_path):  # noqa: F811
    db = tmp_path / "data" / "books.duckdb"
    db.parent.mkdir()
    for _ in range(2):
        loaded = run("load", "--ledger", str(ledger_folder), "--db", str(db))
        assert loaded.returncode == 0, loaded.stderr
    rows = trail(Workspace.in_folder(db.parent))
    assert list(zip(rows["entity"], rows["entity_key"], rows["action"], strict=True)) == [
        ("ledger", "books", "update"),
        ("ledger", "books", "create"),
    ]
    assert set(rows["who"]) == {f"cli:{getpass.getuser()}"}
    first, second = json.loads(rows["after_json"][1]), json.loads(rows["after_json"][0])
    assert json.loads(rows["before_json"][0]) == {k: v for k, v in first.items()
                                                   if k not in ("warnings", "seconds")}  # fmt: skip
    assert first["file"] == "books.duckdb" and first["source"] == str(ledger_folder.resolve())
    assert second["rows"] == first["rows"] and first["rows"]["invoices"] > 0


def test_a_load_the_trail_cannot_record_says_the_ledger_was_loaded(ledger_folder, tmp_path):  # noqa: F811
    db = tmp_path / "data" / "books.duckdb"
    (tmp_path / "data" / "workspace" / "workspace.duckdb").mkdir(parents=True)  # not a file
    loaded = run("load", "--ledger", str(ledger_folder), "--db", str(db))
    assert loaded.returncode != 0 and db.is_file()
    assert f"{db} was loaded, but the load is not in the audit trail" in loaded.stderr
    assert "Traceback" not in loaded.stderr
