"""Saved policy scenarios: the ``scenarios`` table of the workspace, keyed by scenario name.

Each row holds one scenario as JSON text; this layer only checks that it is a JSON object
and keeps its ``name`` equal to the key — what the levers mean is
``analytics.policy.scenario``'s business. Every change is one transaction of the workspace
with its change-log row (entity "scenario", the scenario's JSON before and after), made in
the name of ``who``. The file lives in ``<data folder>/workspace/`` (stores.workspace);
scenarios saved before the workspace existed are imported from their old file on first open.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pandas as pd

from core.constants import MAX_SCENARIO_NAME_LENGTH
from core.errors import LedgerError
from stores.workspace import (
    DEFAULT_WHO,
    Workspace,
    numbered_name,
    workspace_path,
)
from stores.workspace import scenario_json as _saved

ENTITY = "scenario"


def store_path(data_dir: Path | str) -> Path:
    """Where the scenarios of a data folder live: the workspace file."""
    return workspace_path(data_dir)


class ScenarioStore:
    """save / rename / duplicate / delete / list / load named scenarios (JSON text).

    ``workspace``: a ``Workspace`` (``Workspace.in_folder(data_dir)`` also imports the old
    scenarios file) or the path of a workspace file.
    """

    def __init__(self, workspace: Workspace | Path | str, *, who: str = DEFAULT_WHO) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        self.who = who

    @property
    def path(self) -> Path:
        return self.workspace.path

    # --- reading -----------------------------------------------------------------------------

    def names(self) -> list[str]:
        """Saved scenario names, alphabetical (case-insensitive)."""
        return self.table()["name"].tolist()

    def table(self) -> pd.DataFrame:
        """name, scenario_json, created_at, updated_at of every saved scenario."""
        with self.workspace.read() as con:
            return con.execute(
                "select name, scenario_json, created_at, updated_at from scenarios"
                " order by lower(name), name"
            ).df()

    def load(self, name: str) -> str:
        """The saved JSON text of ``name``."""
        with self.workspace.read() as con:
            return _json_of(con, name)

    # --- writing (one transaction and one change-log row each) ------------------------------

    def save(self, name: str, scenario_json: str, overwrite: bool = True) -> None:
        """Save ``scenario_json`` under ``name`` (its "name" field is set to it)."""
        name = _checked_name(name)
        text = _named(scenario_json, name)
        with self.workspace.change(self.who) as change:
            before = _saved(change.con, name)
            if before is not None and not overwrite:
                raise LedgerError(f"a scenario named {name!r} already exists")
            if before is not None:
                change.con.execute(
                    "update scenarios set scenario_json = $json, updated_at = $at"
                    " where name = $name",
                    {"json": text, "name": name, "at": change.at},
                )
            else:
                _insert(change.con, name, text, change.at)
            change.log(ENTITY, name, "update" if before is not None else "create", before, text)

    def rename(self, old: str, new: str) -> None:
        """Give ``old`` the name ``new`` (refused when ``new`` is taken)."""
        new = _checked_name(new)
        with self.workspace.change(self.who) as change:
            before = _json_of(change.con, old)
            if new != old and _saved(change.con, new) is not None:
                raise LedgerError(f"a scenario named {new!r} already exists")
            after = _named(before, new)
            change.con.execute(
                "update scenarios set name = $new, scenario_json = $json,"
                " updated_at = $at where name = $old",
                {"new": new, "json": after, "old": old, "at": change.at},
            )
            change.log(ENTITY, new, "rename", before, after)

    def duplicate(self, name: str, new: str | None = None) -> str:
        """A copy of ``name`` under ``new`` (default "<name> (copy)", "(copy 2)"…); its name."""
        with self.workspace.change(self.who) as change:
            text = _json_of(change.con, name)
            new = _checked_name(new) if new else _free_copy_name(change.con, name)
            if _saved(change.con, new) is not None:
                raise LedgerError(f"a scenario named {new!r} already exists")
            after = _named(text, new)
            _insert(change.con, new, after, change.at)
            change.log(ENTITY, new, "create", None, after)
        return new

    def delete(self, name: str) -> None:
        with self.workspace.change(self.who) as change:
            before = _json_of(change.con, name)
            change.con.execute("delete from scenarios where name = $name", {"name": name})
            change.log(ENTITY, name, "delete", before, None)


def _insert(con: duckdb.DuckDBPyConnection, name: str, text: str, at) -> None:
    con.execute(
        "insert into scenarios (name, scenario_json, created_at, updated_at)"
        " values ($name, $json, $at, $at)",
        {"name": name, "json": text, "at": at},
    )


def _json_of(con: duckdb.DuckDBPyConnection, name: str) -> str:
    text = _saved(con, name)
    if text is None:
        raise LedgerError(f"no saved scenario named {name!r}")
    return text


def _free_copy_name(con: duckdb.DuckDBPyConnection, name: str) -> str:
    n = 1
    while _saved(con, candidate := numbered_name(name, "copy", n)) is not None:
        n += 1
    return candidate


def _checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_SCENARIO_NAME_LENGTH:
        raise LedgerError(
            f"a scenario name needs 1 to {MAX_SCENARIO_NAME_LENGTH} characters, got {name!r}"
        )
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
