"""Credit applications: the application scorecard's scored and decided applications, in the
workspace's ``credit_applications`` table (stores.workspace, migration 3).

A record is what ``analytics.risk.scorecard.application_record`` builds: the inputs, points per
factor, total, grade, policy, recommendation, exceptions and the decision with what it grants.
This layer checks its shape (every key there and no other, a name, a grade A–E, a known
decision, an override with its reason, amounts and days that are numbers ≥ 0) and refuses a bad
one with one LedgerError naming the key, before anything is written. A save is one workspace
transaction with its change-log row (entity "credit application", key the application id, the
saved row as JSON after), in the name of ``who`` and at the change's time: written whole or
not at all. Applications are never updated or deleted here; a new decision is a new row.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from core.errors import LedgerError
from stores.workspace import DEFAULT_WHO, Workspace

ENTITY = "credit application"
GRADES = ("A", "B", "C", "D", "E")
DECISIONS = ("approved", "approved with conditions", "declined", "override")  # the table's check
JSON_FIELDS = ("inputs", "points", "exceptions")  # kept as <name>_json text
AMOUNTS = ("total_points", "full_limit_amount", "starting_limit_amount", "granted_limit_amount")
DAYS = ("recommended_terms_days", "granted_terms_days")
TEXTS = ("applicant", "grade", "policy", "currency", "decision", "scorecard_file")
INSERT = """
insert into credit_applications (
    applicant, customer_id, is_new_customer, inputs_json, points_json, total_points, grade,
    policy, recommended_terms_days, full_limit_amount, starting_limit_amount, currency,
    exceptions_json, decision, reason, granted_terms_days, granted_limit_amount,
    scorecard_file, decided_by, decided_at_utc
) values (
    $applicant, $customer_id, $is_new_customer, $inputs_json, $points_json, $total_points,
    $grade, $policy, $recommended_terms_days, $full_limit_amount, $starting_limit_amount,
    $currency, $exceptions_json, $decision, $reason, $granted_terms_days,
    $granted_limit_amount, $scorecard_file, $decided_by, $decided_at_utc
) returning application_id
"""
RECORD_KEYS = frozenset({*JSON_FIELDS, *AMOUNTS, *DAYS, *TEXTS, "customer_id",
                         "is_new_customer", "reason"})  # fmt: skip


class ApplicationStore:
    """save / list / load credit applications (``workspace``: a Workspace or its file)."""

    def __init__(self, workspace: Workspace | Path | str, *, who: str = DEFAULT_WHO) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        self.who = who

    def table(self) -> pd.DataFrame:
        """Every saved application, oldest first (the table's columns)."""
        with self.workspace.read() as con:
            return con.execute("select * from credit_applications order by application_id").df()

    def load(self, application_id: int) -> dict:
        """One saved application as a dict, the JSON fields decoded."""
        with self.workspace.read() as con:
            cursor = con.execute(
                "select * from credit_applications where application_id = $id",
                {"id": application_id},
            )
            row = cursor.fetchone()
            names = [d[0] for d in cursor.description]
        if row is None:
            raise LedgerError(f"no saved application number {application_id}")
        saved = dict(zip(names, row, strict=True))
        for field in JSON_FIELDS:
            saved[field] = json.loads(saved.pop(f"{field}_json"))
        return saved

    def save(self, record: Mapping) -> int:
        """Save one application (checked first: nothing is written on a bad one); its id."""
        row = checked_record(record)
        with self.workspace.change(self.who) as change:
            row = {**row, "decided_by": change.who, "decided_at_utc": change.at}
            application_id = change.con.execute(INSERT, row).fetchone()[0]
            after = json.dumps({"application_id": application_id, **row}, default=str)
            change.log(ENTITY, str(application_id), "create", None, after)
        return application_id


def checked_record(record: Mapping) -> dict:
    """The table's row for ``record``, or one LedgerError naming the first bad key."""
    if not isinstance(record, Mapping):
        raise LedgerError(f"an application is a mapping of fields, got {type(record).__name__}")
    if missing := sorted(RECORD_KEYS - set(record)):
        raise LedgerError(f"application: {missing[0]} is missing")
    if unknown := sorted(set(record) - RECORD_KEYS):
        raise LedgerError(f"application: {unknown[0]} is not a field of an application")
    for key in TEXTS:
        if not isinstance(record[key], str) or not record[key].strip():
            raise LedgerError(f"application: {key} needs a text, got {record[key]!r}")
    _one_of(record, "grade", GRADES)
    _one_of(record, "decision", DECISIONS)
    reason = (record["reason"] or "").strip() or None
    if record["decision"] == "override" and reason is None:
        raise LedgerError("application: reason is missing; an override needs one")
    row = {key: record[key] for key in (*TEXTS, "customer_id", "is_new_customer")}
    row["applicant"], row["reason"] = record["applicant"].strip(), reason
    for key in AMOUNTS:
        row[key] = _non_negative(record, key)
    for key in DAYS:
        row[key] = int(_non_negative(record, key, whole=True))
    for key in JSON_FIELDS:
        try:
            row[f"{key}_json"] = json.dumps(record[key], allow_nan=False, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise LedgerError(f"application: {key} cannot be saved ({exc})") from exc
    row["is_new_customer"] = bool(row["is_new_customer"])
    return row


def _one_of(record: Mapping, key: str, allowed: tuple[str, ...]) -> None:
    if record[key] not in allowed:
        raise LedgerError(f"application: {key} must be one of {', '.join(allowed)}, "
                          f"got {record[key]!r}")  # fmt: skip


def _non_negative(record: Mapping, key: str, whole: bool = False) -> float:
    value = record[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise LedgerError(f"application: {key} needs a number, got {value!r}")
    if value < 0 or (whole and value != int(value)):
        kind = "a whole number" if whole else "a number"
        raise LedgerError(f"application: {key} needs {kind} of 0 or more, got {value!r}")
    return float(value)
