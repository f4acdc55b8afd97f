"""The audit trail: the workspace's change log (stores/workspace.py), read back with filters,
plus the one change that is not a workspace record, a ledger load.

Every store writes its records through ``Workspace.change`` and logs each change there with
``Change.log``, in the same transaction: who, when (UTC), what (entity and key, action),
the record as JSON before and after. A ledger load replaces a ledger file, not a workspace
record, so the Data page and the command line log it here once the load succeeded
(``record_load``): entity "ledger", the ledger's name as key, "create" for a new ledger and
"update" for a replaced one, the ledger as it was and as it is (source, when loaded, rows).

Nothing here, or anywhere in the app, updates or deletes a change-log row (a test greps the
code for it): the trail is append-only. DuckDB has no triggers to enforce that in the file.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pandas as pd

from stores.workspace import Workspace

LEDGER = "ledger"  # the entity of a load
COLUMNS = ["change_id", "changed_at_utc", "who", "entity", "entity_key", "action",
           "before_json", "after_json"]  # fmt: skip

TRAIL = """
select change_id, changed_at_utc, who, entity, entity_key, action, before_json, after_json
from change_log
where ($who is null or who = $who)
  and ($action is null or action = $action)
  and ($entity is null or entity = $entity)
  and ($key is null or contains(lower(entity_key), lower($key)))
  and ($start is null or changed_at_utc >= $start)
  and ($end is null or changed_at_utc < $end)
order by change_id desc
limit $limit
"""
_CHOICES = {
    "who": "select distinct who from change_log order by who",
    "action": "select distinct action from change_log order by action",
    "entity": "select distinct entity from change_log order by entity",
}


def cli_who() -> str:
    """The name the command line records changes in: ``cli:<operating-system user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in the environment or the password file
        return "cli:unknown"


def record_load(
    workspace: Workspace, who: str, ledger: str, before: dict | None, after: dict
) -> None:
    """Log a successful load of ``ledger``: "create" when there was none (``before`` None),
    "update" when it replaced one."""
    action = "create" if before is None else "update"
    text = None if before is None else json.dumps(before, default=str, sort_keys=True)
    with workspace.change(who) as change:
        change.log(LEDGER, ledger, action, text, json.dumps(after, default=str, sort_keys=True))


@dataclass(frozen=True)
class TrailFilter:
    """Which change-log rows to read: each field None means any. ``key`` matches part of the
    object's key (any case); ``start``/``end`` are UTC days, both included."""

    who: str | None = None
    action: str | None = None
    entity: str | None = None
    key: str | None = None
    start: date | None = None
    end: date | None = None
    limit: int = 10_000

    def parameters(self) -> dict:
        start = None if self.start is None else datetime.combine(self.start, time())
        end = None if self.end is None else datetime.combine(self.end + timedelta(days=1), time())
        key = (self.key or "").strip() or None
        return {"who": self.who, "action": self.action, "entity": self.entity, "key": key,
                "start": start, "end": end, "limit": self.limit}  # fmt: skip


def trail(workspace: Workspace, wanted: TrailFilter = TrailFilter()) -> pd.DataFrame:
    """The change-log rows ``wanted`` selects, newest first (at most ``wanted.limit``)."""
    with workspace.read() as con:
        return con.execute(TRAIL, wanted.parameters()).df()[COLUMNS]


def choices(workspace: Workspace) -> dict[str, list[str]]:
    """The people, actions and kinds of object the trail holds (for the filters)."""
    with workspace.read() as con:
        return {
            column: [r[0] for r in con.execute(query).fetchall()]
            for column, query in _CHOICES.items()
        }
