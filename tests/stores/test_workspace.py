"""The workspace file: migrations, one transaction per change, the append-only change log,
the import of the scenarios file that came before it, and concurrent use."""

import json
import threading
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from core.errors import LedgerError
from stores import workspace as ws
from stores.scenarios import ScenarioStore
from stores.workspace import (
    IMPORT_WHO,
    MIGRATIONS,
    Migration,
    Workspace,
    migrate,
    schema_version,
    workspace_path,
)

ROOT = Path(__file__).resolve().parents[2]
LATEST = len(MIGRATIONS)


def scenario(name: str = "x", days: int = 30) -> str:
    return json.dumps({"name": name, "terms": {"days": days}})


def named(name: str, days: int = 30) -> str:
    """The text the store keeps for scenario(…, days) saved as ``name``."""
    return json.dumps({"name": name, "terms": {"days": days}}, indent=2)


@pytest.fixture
def workspace(tmp_path):
    return Workspace(workspace_path(tmp_path))


@pytest.fixture
def store(workspace):
    return ScenarioStore(workspace, who="ana")


def tables(path: Path) -> set[str]:
    con = duckdb.connect(str(path))
    try:
        return {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    finally:
        con.close()


def log_rows(workspace: Workspace) -> list[tuple]:
    log = workspace.change_log()
    columns = ["who", "entity", "entity_key", "action", "before_json", "after_json"]
    return [tuple(None if v is None or v != v else v for v in row) for row in log[columns].values]


# --- migrations ------------------------------------------------------------------------------


def test_the_migrations_have_distinct_names():
    assert len({m.name for m in MIGRATIONS}) == LATEST >= 2


def test_the_first_change_creates_the_file_at_the_latest_version(workspace, store):
    assert workspace.version() == LATEST and not workspace.path.exists()  # reading writes nothing
    store.save("a", scenario())
    assert workspace.version() == LATEST
    assert {"schema_version", "change_log", "scenarios"} <= tables(workspace.path)
    con = duckdb.connect(str(workspace.path))
    versions = con.execute("select version, name from schema_version order by 1").fetchall()
    con.close()
    assert versions[:2] == [(1, "change log"), (2, "scenarios")] and len(versions) == LATEST


@pytest.mark.parametrize("start", range(LATEST + 1))
def test_opening_a_file_at_any_earlier_version_migrates_it_to_the_latest(workspace, start):
    workspace.path.parent.mkdir(parents=True)
    con = duckdb.connect(str(workspace.path))
    assert migrate(con, MIGRATIONS[:start]) == start
    con.close()
    ScenarioStore(workspace).save("a", scenario())
    assert workspace.version() == LATEST
    con = duckdb.connect(str(workspace.path))
    versions = con.execute("select version from schema_version order by 1").fetchall()
    con.close()
    assert versions == [(v,) for v in range(1, LATEST + 1)]  # each applied once


def test_a_file_at_the_latest_version_keeps_its_data_when_opened_again(workspace, store):
    store.save("a", scenario())
    assert ScenarioStore(Workspace(workspace.path)).names() == ["a"]
    assert len(workspace.change_log()) == 1


def test_a_failing_migration_changes_nothing_and_keeps_the_version(tmp_path):
    def half_done(con):
        con.execute("create table half (x integer)")
        raise RuntimeError("boom")

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    migrate(con)
    with pytest.raises(RuntimeError, match="boom"):
        migrate(con, MIGRATIONS + (Migration("half", half_done),))
    assert schema_version(con) == LATEST
    assert con.execute("select count(*) from duckdb_tables() where table_name = 'half'").fetchone()[0] == 0  # fmt: skip
    con.close()


def test_a_file_newer_than_the_app_is_refused(tmp_path):
    con = duckdb.connect(":memory:")
    migrate(con, MIGRATIONS[:2])
    with pytest.raises(LedgerError, match="schema version 2, newer than this app knows \\(1\\)"):
        migrate(con, MIGRATIONS[:1])
    con.close()


# --- the change log ------------------------------------------------------------------------


def test_each_change_writes_one_log_row_with_who_what_and_before_and_after(workspace, store):
    started = ws.utc_now()
    store.save("a", scenario(days=30))  # create
    store.save("a", scenario(days=45))  # update
    store.rename("a", "b")
    store.duplicate("b")  # "b (copy)"
    store.delete("b (copy)")
    assert log_rows(workspace) == [
        ("ana", "scenario", "a", "create", None, named("a", 30)),
        ("ana", "scenario", "a", "update", named("a", 30), named("a", 45)),
        ("ana", "scenario", "b", "rename", named("a", 45), named("b", 45)),
        ("ana", "scenario", "b (copy)", "create", None, named("b (copy)", 45)),
        ("ana", "scenario", "b (copy)", "delete", named("b (copy)", 45), None),
    ]
    log = workspace.change_log()
    assert log["change_id"].is_monotonic_increasing
    assert log["changed_at_utc"].between(started, ws.utc_now()).all()  # UTC, not local


def test_who_defaults_to_the_local_user(workspace):
    ScenarioStore(workspace).save("a", scenario())
    assert workspace.change_log()["who"].tolist() == ["local user"]


def test_a_refused_change_writes_no_log_row(workspace, store):
    store.save("a", scenario())
    with pytest.raises(LedgerError):
        store.save("a", scenario(), overwrite=False)
    with pytest.raises(LedgerError):
        store.delete("zz")
    assert len(workspace.change_log()) == 1


def test_the_log_only_grows_through_the_api(workspace, store):
    seen: list[tuple] = []
    for action in (
        lambda: store.save("a", scenario()),
        lambda: store.save("a", scenario(days=60)),
        lambda: store.rename("a", "b"),
        lambda: store.duplicate("b", "c"),
        lambda: store.delete("b"),
        lambda: store.delete("c"),
    ):
        action()
        rows = [tuple(r) for r in workspace.change_log().astype(str).values]
        assert rows[: len(seen)] == seen and len(rows) == len(seen) + 1  # earlier rows untouched
        seen = rows


def test_no_store_code_updates_or_deletes_the_log():
    for path in (ROOT / "stores").glob("*.py"):
        text = " ".join(path.read_text().lower().split())
        for verb in ("update change_log", "delete from change_log", "drop table change_log"):
            assert verb not in text, f"{path.name}: {verb}"


def test_a_change_that_fails_midway_leaves_no_record_and_no_log_row(workspace, store, monkeypatch):
    store.save("a", scenario(days=30))
    real_log = ws.Change.log

    def log_then_fail(self, *args):
        real_log(self, *args)  # the record and its log row are written…
        raise RuntimeError("disk full")  # …then the change fails before its commit

    monkeypatch.setattr(ws.Change, "log", log_then_fail)
    for action in (
        lambda: store.save("b", scenario()),
        lambda: store.save("a", scenario(days=90)),
        lambda: store.rename("a", "z"),
        lambda: store.duplicate("a"),
        lambda: store.delete("a"),
    ):
        with pytest.raises(RuntimeError, match="disk full"):
            action()
    monkeypatch.undo()
    assert store.names() == ["a"]
    assert json.loads(store.load("a"))["terms"]["days"] == 30
    assert [r[3] for r in log_rows(workspace)] == ["create"]


# --- the scenarios file that came before the workspace -----------------------------------

OLD_SCHEMA = """
create table if not exists scenarios (
    name varchar primary key,
    scenario_json varchar not null,
    created_at timestamp not null default current_timestamp,
    updated_at timestamp not null default current_timestamp
)
"""  # as the old stores/scenarios.py (data/scenario_store.py) created it

OLD_ROWS = [
    (
        "SMB to 60 days",
        named("SMB to 60 days", 30),
        datetime(2026, 3, 1, 9),
        datetime(2026, 3, 2, 10),
    ),  # fmt: skip
    ("tight", named("tight", -10), datetime(2026, 4, 1, 8, 30), datetime(2026, 4, 1, 8, 30)),
]


def write_old_store(data_dir: Path, rows=OLD_ROWS) -> Path:
    """A scenarios file as the code before the workspace wrote it."""
    path = data_dir / "scenarios" / "scenarios.duckdb"
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute(OLD_SCHEMA)
    for row in rows:
        con.execute("insert into scenarios values (?, ?, ?, ?)", row)
    con.close()
    return path


def test_the_first_open_imports_every_old_scenario_and_sets_the_old_file_aside(tmp_path):
    old = write_old_store(tmp_path)
    store = ScenarioStore(Workspace.in_folder(tmp_path))
    assert store.names() == ["SMB to 60 days", "tight"]  # a read is enough to import
    kept = store.table()
    assert list(kept.itertuples(index=False, name=None)) == OLD_ROWS  # names, JSON, timestamps
    assert log_rows(store.workspace) == [
        (IMPORT_WHO, "scenario", name, "import", None, text) for name, text, *_ in OLD_ROWS
    ]
    assert not old.exists() and (old.parent / "scenarios.duckdb.migrated").is_file()
    assert workspace_path(tmp_path).is_file()


def test_a_second_start_imports_nothing(tmp_path):
    write_old_store(tmp_path)
    ScenarioStore(Workspace.in_folder(tmp_path)).names()
    store = ScenarioStore(Workspace.in_folder(tmp_path))
    store.save("new", scenario())
    assert store.names() == ["new", "SMB to 60 days", "tight"]
    assert [r[3] for r in log_rows(store.workspace)] == ["import", "import", "create"]
    assert sorted(p.name for p in (tmp_path / "scenarios").iterdir()) == ["scenarios.duckdb.migrated"]  # fmt: skip


def test_an_import_run_again_skips_what_it_imported_and_keeps_every_file(tmp_path):
    old = write_old_store(tmp_path)
    ScenarioStore(Workspace.in_folder(tmp_path)).names()
    write_old_store(tmp_path)  # as if renaming the old file had failed: it is still there
    store = ScenarioStore(Workspace.in_folder(tmp_path))
    assert store.names() == ["SMB to 60 days", "tight"]
    assert len(store.workspace.change_log()) == 2
    assert sorted(p.name for p in old.parent.iterdir()) == [
        "scenarios.duckdb.migrated", "scenarios.duckdb.migrated-2"]  # fmt: skip


def test_an_old_scenario_whose_name_is_taken_is_imported_under_a_new_name(tmp_path):
    ScenarioStore(workspace_path(tmp_path)).save("tight", scenario(days=5))  # no import here
    write_old_store(tmp_path)
    store = ScenarioStore(Workspace.in_folder(tmp_path))
    assert store.names() == ["SMB to 60 days", "tight", "tight (imported)"]
    assert json.loads(store.load("tight"))["terms"]["days"] == 5
    assert json.loads(store.load("tight (imported)")) == {"name": "tight (imported)", "terms": {"days": -10}}  # fmt: skip


def test_an_old_file_with_no_scenarios_table_is_set_aside(tmp_path):
    old = tmp_path / "scenarios" / "scenarios.duckdb"
    old.parent.mkdir()
    duckdb.connect(str(old)).close()
    assert ScenarioStore(Workspace.in_folder(tmp_path)).names() == []
    assert (old.parent / "scenarios.duckdb.migrated").is_file()


# --- concurrent use --------------------------------------------------------------------------


def test_threads_saving_at_once_each_get_their_change_and_log_row(tmp_path):
    errors: list[BaseException] = []

    def save(i: int) -> None:
        try:
            ScenarioStore(Workspace.in_folder(tmp_path), who=f"user {i}").save(f"s{i}", scenario())
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    workspace = Workspace.in_folder(tmp_path)
    assert ScenarioStore(workspace).names() == [f"s{i}" for i in range(8)]
    assert sorted(workspace.change_log()["who"]) == [f"user {i}" for i in range(8)]


def test_the_file_is_closed_between_operations_so_another_process_can_open_it(store):
    store.save("a", scenario())
    con = duckdb.connect(str(store.path))
    assert con.execute("select count(*) from change_log").fetchone() == (1,)
    con.close()
