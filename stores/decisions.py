"""The credit committee's decisions: the ``decisions`` table of the workspace
(stores/committee_schema.py).

A decision is recorded against a customer of the ledger: a limit change (old → new), a hold,
a release, a terms change (old → new payment terms days), a watch or a note, with the date it
was taken, its author and the reason. Every decision is one transaction of the workspace with
its change-log row (entity "decision", the decision as JSON after), in the author's name, so
the audit trail has it. Decisions are never edited or deleted: a correction is another
decision. Bad input is refused whole, naming every field that is wrong, before anything is
written.
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from core.errors import LedgerError
from stores.committee_schema import DECISION_KINDS
from stores.workspace import Workspace

ENTITY = "decision"
LIMIT_CHANGE, TERMS_CHANGE = "limit change", "terms change"
MAX_TERMS_DAYS = 3650
COLUMNS = ["decision_id", "decision_date", "customer_id", "kind", "old_limit", "new_limit",
           "old_terms_days", "new_terms_days", "reason", "author", "recorded_at_utc"]  # fmt: skip


@dataclass(frozen=True)
class Decision:
    """One committee decision. ``new_limit`` (and the current ``old_limit``) for a limit
    change, ``new_terms_days`` (and ``old_terms_days``) for a terms change; none for the
    other kinds."""

    customer_id: str
    kind: str
    decision_date: date
    author: str
    reason: str
    old_limit: float | None = None
    new_limit: float | None = None
    old_terms_days: int | None = None
    new_terms_days: int | None = None


def problems(decision: Decision, customers: Collection[str]) -> list[str]:
    """What is wrong with ``decision``, each naming its field (empty: it can be recorded).
    ``customers`` are the ledger's customer ids."""
    d, out = decision, []
    if not (d.author or "").strip():
        out.append("author: required (who took the decision)")
    if not (d.customer_id or "").strip():
        out.append("customer: required")
    elif d.customer_id not in customers:
        out.append(f"customer: {d.customer_id!r} is not in this ledger")
    if d.kind not in DECISION_KINDS:
        out.append(f"kind: one of {', '.join(DECISION_KINDS)}, got {d.kind!r}")
    if not isinstance(d.decision_date, date):
        out.append("date: required")
    if not (d.reason or "").strip():
        out.append("reason: required (why the committee decided so)")
    out += _amount_problems(d)
    return out


def _amount_problems(d: Decision) -> list[str]:
    out = []
    for field, value in (("old limit", d.old_limit), ("new limit", d.new_limit)):
        if value is not None and not 0 <= value < math.inf:
            out.append(f"{field}: must be an amount of 0 or more, got {value:,}")
    for field, value in (("old terms days", d.old_terms_days),
                         ("new terms days", d.new_terms_days)):  # fmt: skip
        if value is not None and not 0 <= value <= MAX_TERMS_DAYS:
            out.append(f"{field}: must be between 0 and {MAX_TERMS_DAYS:,} days, got {value}")
    limits = d.old_limit is not None or d.new_limit is not None
    terms = d.old_terms_days is not None or d.new_terms_days is not None
    if d.kind == LIMIT_CHANGE and d.new_limit is None:
        out.append("new limit: required for a limit change")
    if d.kind == TERMS_CHANGE and d.new_terms_days is None:
        out.append("new terms days: required for a terms change")
    if limits and d.kind != LIMIT_CHANGE:
        out.append(f"new limit: only a limit change has one, not a {d.kind}")
    if terms and d.kind != TERMS_CHANGE:
        out.append(f"new terms days: only a terms change has them, not a {d.kind}")
    return out


class DecisionStore:
    """record / list the committee's decisions (``workspace``: a ``Workspace`` or the path of
    a workspace file)."""

    def __init__(self, workspace: Workspace | Path | str, *, who: str | None = None) -> None:
        self.workspace = workspace if isinstance(workspace, Workspace) else Workspace(workspace)
        self.who = who  # who records (the signed-in user); None: the decision's author

    def record(self, decision: Decision, *, customers: Collection[str]) -> int:
        """Record ``decision`` (``customers``: the ledger's customer ids) and return its id;
        bad input raises one LedgerError naming every wrong field, and writes nothing."""
        wrong = problems(decision, customers)
        if wrong:
            raise LedgerError("decision not recorded: " + "; ".join(wrong))
        d = _cleaned(decision)
        with self.workspace.change(self.who or d.author) as change:
            row = change.con.execute(
                "insert into decisions (customer_id, kind, decision_date, author, reason,"
                " old_limit, new_limit, old_terms_days, new_terms_days, recorded_at_utc)"
                " values ($customer_id, $kind, $decision_date, $author, $reason, $old_limit,"
                " $new_limit, $old_terms_days, $new_terms_days, $at) returning decision_id",
                {**asdict(d), "at": change.at},
            ).fetchone()
            decision_id = int(row[0])
            after = json.dumps({"decision_id": decision_id, **asdict(d)}, default=str)
            change.log(ENTITY, str(decision_id), "create", None, after)
        return decision_id

    def table(self, customer_id: str | None = None) -> pd.DataFrame:
        """Every decision (or one customer's), latest decision date first (COLUMNS)."""
        with self.workspace.read() as con:
            return con.execute(
                f"select {', '.join(COLUMNS)} from decisions"
                " where $customer is null or customer_id = $customer"
                " order by decision_date desc, decision_id desc",
                {"customer": customer_id},
            ).df()

    def between(self, start: date, end: date) -> pd.DataFrame:
        """The decisions dated after ``start`` and up to ``end`` (start, end], oldest first:
        the decisions taken between two snapshots."""
        with self.workspace.read() as con:
            return con.execute(
                f"select {', '.join(COLUMNS)} from decisions"
                " where decision_date > $start and decision_date <= $end"
                " order by decision_date, decision_id",
                {"start": start, "end": end},
            ).df()

    def last_limit_decision_dates(self, as_of: date | None = None) -> dict[str, date]:
        """customer_id → the date of its latest limit change on or before ``as_of`` (all
        when None): the limits review's "last recorded limit decision"."""
        with self.workspace.read() as con:
            rows = con.execute(
                "select customer_id, max(decision_date) from decisions"
                " where kind = 'limit change' and ($as_of is null or decision_date <= $as_of)"
                " group by customer_id",
                {"as_of": as_of},
            ).fetchall()
        return dict(rows)


def _cleaned(d: Decision) -> Decision:
    """Names and text stripped; whole days as int."""
    days = [None if v is None else int(v) for v in (d.old_terms_days, d.new_terms_days)]
    return Decision(
        d.customer_id.strip(), d.kind, d.decision_date, d.author.strip(), d.reason.strip(),
        None if d.old_limit is None else float(d.old_limit),
        None if d.new_limit is None else float(d.new_limit), *days,
    )  # fmt: skip
