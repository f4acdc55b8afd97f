"""Saved policy scenarios: a small DuckDB database of its own, keyed by scenario name.

Not the ledger database: that one is replaced atomically on every load and the app opens it
read-only. The scenarios live in ``<data folder>/scenarios/scenarios.duckdb`` (a folder of
their own, so the sidebar's ledger list — every ``*.duckdb`` of the data folder — never
offers them as a ledger and a ledger loaded under the name "scenarios" cannot replace
them). Each row holds one scenario as JSON text; this layer only checks that it is a JSON
object and keeps its ``name`` equal to the key — what the levers mean is
``analytics.policy.scenario``'s business. Every operation opens the file, does its work in one
transaction and closes it, so the file is never held open between page runs.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from core.errors import LedgerError

STORE_FOLDER = "scenarios"
STORE_FILE = "scenarios.duckdb"
MAX_NAME_LENGTH = 80  # as analytics.policy.scenario.MAX_NAME_LENGTH
_LOCK = threading.Lock()  # one writer at a time within the server process

SCHEMA = """
create table if not exists scenarios (
    name varchar primary key,
    scenario_json varchar not null,
    created_at timestamp not null default current_timestamp,
    updated_at timestamp not null default current_timestamp
)
"""


def store_path(data_dir: Path | str) -> Path:
    """Where the scenarios of a data folder live."""
    return Path(data_dir) / STORE_FOLDER / STORE_FILE


class ScenarioStore:
    """save / rename / duplicate / delete / list / load named scenarios (JSON text)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    @contextmanager
    def _connect(self, write: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        if not write and not self.path.is_file():  # nothing saved yet: an empty store
            con = duckdb.connect(":memory:")
            try:
                con.execute(SCHEMA)
                yield con
            finally:
                con.close()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with _LOCK:
            try:
                con = duckdb.connect(str(self.path))
            except duckdb.Error as exc:
                raise LedgerError(
                    f"{self.path}: cannot open the scenarios database ({exc})"
                ) from exc
            try:
                con.execute(SCHEMA)
                con.execute("begin transaction")
                yield con
                con.execute("commit")
            except BaseException:
                con.execute("rollback")
                raise
            finally:
                con.close()

    # --- reading -----------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Saved scenario names, alphabetical (case-insensitive)."""
        return self.table()["name"].tolist()

    def table(self) -> pd.DataFrame:
        """name, scenario_json, created_at, updated_at of every saved scenario."""
        with self._connect() as con:
            return con.execute(
                "select name, scenario_json, created_at, updated_at from scenarios"
                " order by lower(name), name"
            ).df()

    def load(self, name: str) -> str:
        """The saved JSON text of ``name``."""
        with self._connect() as con:
            row = con.execute(
                "select scenario_json from scenarios where name = $name", {"name": name}
            ).fetchone()
        if row is None:
            raise LedgerError(f"no saved scenario named {name!r}")
        return row[0]

    # --- writing -----------------------------------------------------------------------------

    def save(self, name: str, scenario_json: str, overwrite: bool = True) -> None:
        """Save ``scenario_json`` under ``name`` (its "name" field is set to it)."""
        name = _checked_name(name)
        text = _named(scenario_json, name)
        with self._connect(write=True) as con:
            exists = _exists(con, name)
            if exists and not overwrite:
                raise LedgerError(f"a scenario named {name!r} already exists")
            if exists:
                con.execute(
                    "update scenarios set scenario_json = $json, updated_at = current_timestamp"
                    " where name = $name",
                    {"json": text, "name": name},
                )
            else:
                con.execute(
                    "insert into scenarios (name, scenario_json) values ($name, $json)",
                    {"name": name, "json": text},
                )

    def rename(self, old: str, new: str) -> None:
        """Give ``old`` the name ``new`` (refused when ``new`` is taken)."""
        new = _checked_name(new)
        with self._connect(write=True) as con:
            text = _json_of(con, old)
            if new != old and _exists(con, new):
                raise LedgerError(f"a scenario named {new!r} already exists")
            con.execute(
                "update scenarios set name = $new, scenario_json = $json,"
                " updated_at = current_timestamp where name = $old",
                {"new": new, "json": _named(text, new), "old": old},
            )

    def duplicate(self, name: str, new: str | None = None) -> str:
        """A copy of ``name`` under ``new`` (default "<name> (copy)", "(copy 2)"…); its name."""
        with self._connect(write=True) as con:
            text = _json_of(con, name)
            new = _checked_name(new) if new else _free_copy_name(con, name)
            if _exists(con, new):
                raise LedgerError(f"a scenario named {new!r} already exists")
            con.execute(
                "insert into scenarios (name, scenario_json) values ($name, $json)",
                {"name": new, "json": _named(text, new)},
            )
        return new

    def delete(self, name: str) -> None:
        with self._connect(write=True) as con:
            _json_of(con, name)
            con.execute("delete from scenarios where name = $name", {"name": name})


def _exists(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    query = "select count(*) from scenarios where name = $name"
    return con.execute(query, {"name": name}).fetchone()[0] > 0


def _json_of(con: duckdb.DuckDBPyConnection, name: str) -> str:
    query = "select scenario_json from scenarios where name = $name"
    row = con.execute(query, {"name": name}).fetchone()
    if row is None:
        raise LedgerError(f"no saved scenario named {name!r}")
    return row[0]


def _free_copy_name(con: duckdb.DuckDBPyConnection, name: str) -> str:
    base = f"{name} (copy)"[:MAX_NAME_LENGTH]
    candidate, n = base, 2
    while _exists(con, candidate):
        candidate, n = f"{name} (copy {n})"[:MAX_NAME_LENGTH], n + 1
    return candidate


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME_LENGTH:
        raise LedgerError(f"a scenario name needs 1 to {MAX_NAME_LENGTH} characters, got {name!r}")
    return name


def _named(scenario_json: str, name: str) -> str:
    """The JSON text with its "name" set to ``name`` (it must be a JSON object)."""
    try:
        data = json.loads(scenario_json)
    except ValueError as exc:
        raise LedgerError(f"scenario {name!r}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise LedgerError(f"scenario {name!r}: a scenario is a JSON object")
    return json.dumps({**data, "name": name}, indent=2, ensure_ascii=False)
