"""The workspace: what users write, in one DuckDB file apart from the ledger.

A ledger file is replaced on every load and the app opens it read-only; what users write
(scenarios today; decisions, promises, notes, snapshots and the audit trail later) lives in
``<data folder>/workspace/workspace.duckdb`` instead. The sub-folder keeps it out of the
sidebar's ledger list (every ``*.duckdb`` of the data folder), so a ledger loaded under the
name "workspace" cannot replace it. Backing up what users wrote is copying this one file.

Tables (see ``MIGRATIONS``):

``schema_version``
    one row per applied migration: ``version`` (1, 2, …), ``name``, ``applied_at_utc``.
    The schema's version is the largest ``version``.
``change_log``
    append-only, one row per change: ``change_id`` (increasing), ``changed_at_utc``,
    ``who``, ``entity`` ("scenario"…), ``entity_key`` (the record's key after the change),
    ``action`` (create, update, rename, delete, import), ``before_json`` and ``after_json``
    (the record as JSON text; NULL before a create or after a delete). Nothing in this
    package updates or deletes a row of it.
``scenarios``
    ``name`` (key), ``scenario_json``, ``created_at``, ``updated_at`` (stores.scenarios;
    UTC, like every time the workspace writes; imported scenarios keep their times).
``credit_applications``
    one row per scored and decided application (stores.applications): its inputs, points,
    grade, recommendation, exceptions, decision, who and when.

On first open the scenarios file that came before the workspace
(``<data folder>/scenarios/scenarios.duckdb``) is imported, one "import" change-log row per
scenario, and renamed ``scenarios.duckdb.migrated`` (``import_legacy_scenarios``).

Every operation opens the file, does its work and closes it, so the file is never held open
between page runs and another process can open it. Opening applies pending migrations, each
in its own transaction together with its ``schema_version`` row. A change runs in one
transaction with its change-log row (``Workspace.change``): it is written whole or not at all.

A new kind of record is a new migration appended to ``MIGRATIONS`` (never edit one that has
shipped) plus a small module like stores/scenarios.py that writes it through
``Workspace.change`` and logs each change with ``Change.log``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from core.constants import MAX_SCENARIO_NAME_LENGTH
from core.errors import LedgerError
from stores.collections_schema import COLLECTIONS
from stores.committee_schema import DECISIONS, SNAPSHOTS

WORKSPACE_FOLDER = "workspace"
WORKSPACE_FILE = "workspace.duckdb"
LEGACY_SCENARIOS = Path("scenarios") / "scenarios.duckdb"  # before the workspace (one file each)
MIGRATED_SUFFIX = ".migrated"
DEFAULT_WHO = "local user"  # until users log in
IMPORT_WHO = "workspace migration"
ACTIONS = ("create", "update", "rename", "delete", "import")
_LOCK = threading.Lock()  # one connection at a time within the server process


def workspace_path(data_dir: Path | str) -> Path:
    """Where the workspace of a data folder lives."""
    return Path(data_dir) / WORKSPACE_FOLDER / WORKSPACE_FILE


def legacy_scenarios_path(data_dir: Path | str) -> Path:
    """Where saved scenarios lived before the workspace (imported on first open)."""
    return Path(data_dir) / LEGACY_SCENARIOS


def utc_now() -> datetime:
    """Now in UTC, as the naive timestamp the tables hold."""
    return datetime.now(UTC).replace(tzinfo=None)


# --- migrations ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    """One schema step: SQL text or a function of the connection (runs inside a transaction)."""

    name: str
    apply: str | Callable[[duckdb.DuckDBPyConnection], None]


CHANGE_LOG = """
create sequence change_log_id;
create table change_log (
    change_id bigint primary key default nextval('change_log_id'),
    changed_at_utc timestamp not null,
    who varchar not null,
    entity varchar not null,
    entity_key varchar not null,
    action varchar not null
        check (action in ('create', 'update', 'rename', 'delete', 'import')),
    before_json varchar,
    after_json varchar
);
"""

SCENARIOS = """
create table scenarios (
    name varchar primary key,
    scenario_json varchar not null,
    created_at timestamp not null default current_timestamp,
    updated_at timestamp not null default current_timestamp
);
"""

CREDIT_APPLICATIONS = """
create sequence credit_application_id;
create table credit_applications (
    application_id bigint primary key default nextval('credit_application_id'),
    applicant varchar not null,
    customer_id varchar,
    is_new_customer boolean not null,
    inputs_json varchar not null,
    points_json varchar not null,
    total_points double not null,
    grade varchar not null check (grade in ('A', 'B', 'C', 'D', 'E')),
    policy varchar not null,
    recommended_terms_days integer not null,
    full_limit_amount double not null,
    starting_limit_amount double not null,
    currency varchar not null,
    exceptions_json varchar not null,
    decision varchar not null
        check (decision in ('approved', 'approved with conditions', 'declined', 'override')),
    reason varchar,
    granted_terms_days integer not null,
    granted_limit_amount double not null,
    scorecard_file varchar not null,
    decided_by varchar not null,
    decided_at_utc timestamp not null
);
"""

# Append only: version n is MIGRATIONS[n - 1]. A file at version n gets n+1, n+2, … on open.
MIGRATIONS: tuple[Migration, ...] = (
    Migration("change log", CHANGE_LOG),
    Migration("scenarios", SCENARIOS),
    Migration("credit applications", CREDIT_APPLICATIONS),  # stores/applications.py
    Migration("collections", COLLECTIONS),  # stores/collections.py (spec §13)
    Migration("snapshots", SNAPSHOTS),  # stores/snapshots.py (spec §14)
    Migration("decisions", DECISIONS),  # stores/decisions.py (the committee's decisions)
)

SCHEMA_VERSION = """
create table if not exists schema_version (
    version integer primary key,
    name varchar not null,
    applied_at_utc timestamp not null
)
"""


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The version of an open workspace (0 for an empty file)."""
    con.execute(SCHEMA_VERSION)
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection, migrations: tuple[Migration, ...] = MIGRATIONS) -> int:
    """Apply the pending ``migrations`` in order, each in its own transaction with its
    ``schema_version`` row; returns the version reached."""
    version = schema_version(con)
    if version > len(migrations):
        raise LedgerError(
            f"the workspace is at schema version {version}, newer than this app knows"
            f" ({len(migrations)}): update the app"
        )
    for number, migration in enumerate(migrations[version:], start=version + 1):
        con.execute("begin transaction")
        try:
            if isinstance(migration.apply, str):
                con.execute(migration.apply)
            else:
                migration.apply(con)
            con.execute(
                "insert into schema_version values ($version, $name, $at)",
                {"version": number, "name": migration.name, "at": utc_now()},
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return len(migrations)


# --- the store -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """An open transaction: write the records with ``con``, then ``log`` each change."""

    con: duckdb.DuckDBPyConnection
    who: str
    at: datetime

    def log(
        self, entity: str, key: str, action: str, before: str | None, after: str | None
    ) -> None:
        """Append one change-log row (same transaction as the change)."""
        if action not in ACTIONS:
            raise ValueError(f"change-log action must be one of {', '.join(ACTIONS)}: {action!r}")
        row = {"at": self.at, "who": self.who, "entity": entity, "key": key, "action": action,
               "before": before, "after": after}  # fmt: skip
        self.con.execute(
            "insert into change_log (changed_at_utc, who, entity, entity_key, action,"
            " before_json, after_json) values ($at, $who, $entity, $key, $action, $before, $after)",
            row,
        )


class Workspace:
    """The workspace file: migrations on open, one transaction per change, the change log.

    ``legacy_scenarios``: an old scenarios file to import on first open (see
    ``import_legacy_scenarios``); ``Workspace.in_folder(data_dir)`` sets both paths.
    """

    def __init__(self, path: Path | str, *, legacy_scenarios: Path | str | None = None) -> None:
        self.path = Path(path)
        self.legacy_scenarios = Path(legacy_scenarios) if legacy_scenarios else None

    @classmethod
    def in_folder(cls, data_dir: Path | str) -> Workspace:
        """The workspace of a data folder (importing its old scenarios file, if any)."""
        return cls(workspace_path(data_dir), legacy_scenarios=legacy_scenarios_path(data_dir))

    def _has_legacy(self) -> bool:
        return self.legacy_scenarios is not None and self.legacy_scenarios.is_file()

    @contextmanager
    def _open(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A migrated connection; in memory (and empty) for a read while no file exists."""
        if not write and not self.path.is_file() and not self._has_legacy():
            con = duckdb.connect(":memory:")
            try:
                migrate(con)
                yield con
            finally:
                con.close()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK:
            try:
                con = duckdb.connect(str(self.path))
            except duckdb.Error as exc:
                raise LedgerError(f"{self.path}: cannot open the workspace ({exc})") from exc
            try:
                migrate(con)
                if self._has_legacy():
                    import_legacy_scenarios(con, self.legacy_scenarios)
                yield con
            finally:
                con.close()

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to read from (closed afterwards)."""
        with self._open() as con:
            yield con

    @contextmanager
    def change(self, who: str = DEFAULT_WHO) -> Iterator[Change]:
        """One transaction: the records and their change-log rows, committed together or
        (on any exception) not at all."""
        with self._open(write=True) as con:
            con.execute("begin transaction")
            try:
                yield Change(con, who, utc_now())
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise

    def version(self) -> int:
        with self.read() as con:
            return schema_version(con)

    def change_log(self) -> pd.DataFrame:
        """Every change-log row, oldest first."""
        with self.read() as con:
            return con.execute("select * from change_log order by change_id").df()


# --- the scenarios file before the workspace ----------------------------------------------


def import_legacy_scenarios(con: duckdb.DuckDBPyConnection, legacy: Path) -> int:
    """Copy every scenario of the old scenarios file into the workspace (names, JSON and
    timestamps kept), one "import" change-log row each, in one transaction; then rename the
    old file to ``*.migrated``. A scenario already there with the same JSON is skipped (an
    import whose rename failed runs again harmlessly); a name taken by another scenario gets
    " (imported)". Returns how many were imported."""
    rows = _legacy_rows(legacy)
    imported = 0
    con.execute("begin transaction")
    try:
        change = Change(con, IMPORT_WHO, utc_now())
        for name, text, created_at, updated_at in rows:
            if scenario_json(con, name) == text:
                continue
            key, n = name, 1
            while scenario_json(con, key) is not None:
                key, n = numbered_name(name, "imported", n), n + 1
            if key != name:
                text = json.dumps({**json.loads(text), "name": key}, indent=2, ensure_ascii=False)
            con.execute(
                "insert into scenarios values ($name, $json, $created, $updated)",
                {"name": key, "json": text, "created": created_at, "updated": updated_at},
            )
            change.log("scenario", key, "import", None, text)
            imported += 1
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    _set_aside(legacy)
    return imported


def _set_aside(legacy: Path) -> None:
    """Rename ``legacy`` (and its WAL, if any) to ``*.migrated`` (``*.migrated-2``… when that
    is taken): nothing is deleted or overwritten."""
    target, n = legacy.with_name(legacy.name + MIGRATED_SUFFIX), 2
    while target.exists():
        target, n = legacy.with_name(f"{legacy.name}{MIGRATED_SUFFIX}-{n}"), n + 1
    wal = legacy.with_name(legacy.name + ".wal")
    legacy.rename(target)
    if wal.exists():  # the file and its WAL stay a pair
        wal.rename(target.with_name(target.name + ".wal"))


def _legacy_rows(legacy: Path) -> list[tuple]:
    try:
        old = duckdb.connect(str(legacy), read_only=True)
    except duckdb.Error as exc:
        raise LedgerError(f"{legacy}: cannot open the old scenarios database ({exc})") from exc
    try:
        return old.execute(
            "select name, scenario_json, created_at, updated_at from scenarios order by name"
        ).fetchall()
    except duckdb.CatalogException:  # a file with no scenarios table: nothing was saved
        return []
    finally:
        old.close()


def scenario_json(con: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """The saved JSON text of scenario ``name``, None when there is none."""
    query = "select scenario_json from scenarios where name = $name"
    row = con.execute(query, {"name": name}).fetchone()
    return None if row is None else row[0]


def numbered_name(name: str, word: str, n: int) -> str:
    """ "name (word)" for n = 1, else "name (word n)", the name cut so it fits the limit."""
    suffix = f" ({word})" if n == 1 else f" ({word} {n})"
    return name[: MAX_SCENARIO_NAME_LENGTH - len(suffix)] + suffix
