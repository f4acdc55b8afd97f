"""What collectors record (spec §13), in the workspace: an owner per customer, notes and call
outcomes, promises to pay, payment plans with their instalments, and a reason and status per
disputed invoice (tables: stores/collections_schema.py).

Records name customers and invoices by the ledger's own ids, so a reloaded ledger finds them
again; one whose customer or invoice is no longer in the ledger is kept (the pages show it as
orphaned). Every change is one transaction of the workspace with its change-log row (entity
``collection_owner``, ``collection_note``, ``promise``, ``payment_plan`` or ``dispute``, the
record as JSON before and after), in the name of ``who``. Bad input raises one LedgerError
naming the field, before anything is written: nothing is ever half-saved.

Amounts are in the ledger's reporting currency (``currency`` records which). ``as_of`` is the
ledger date the user was looking at (the sidebar's): a promise or plan is *made on* it, so the
payments that count toward it are those dated after it (analytics.risk.promises).
"""

from __future__ import annotations

import json
import math
from collections.abc import Collection, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd

from core.constants import MAX_AMOUNT, OPEN_THRESHOLD
from core.errors import LedgerError
from stores.workspace import DEFAULT_WHO, Change, Workspace

MAX_NOTE_LENGTH = 10_000  # characters of a note, a call's notes, a promise's or plan's remark
MAX_NAME_LENGTH = 100  # an owner's or a recorder's name
MAX_INSTALMENTS = 60
NOTE_KINDS = ("note", "call")
CALL_OUTCOMES = ("reached", "no answer", "left a message", "promised to pay", "refused to pay",
                 "disputes the debt", "wrong contact")  # fmt: skip
DISPUTE_REASONS = ("price", "quantity or short delivery", "quality or damage", "not ordered",
                   "duplicate or wrong billing", "missing paperwork", "other")  # fmt: skip
DISPUTE_STATUSES = ("open", "under review", "resolved")

Instalment = tuple[date, float]  # (due date, amount)

# Every statement is a constant with bound parameters; no value is ever formatted into SQL.
INSERT = {
    "collection_owners": "insert into collection_owners (customer_id, owner, updated_at)"
    " values ($customer_id, $owner, $updated_at)",
    "collection_notes": "insert into collection_notes (customer_id, invoice_id, kind, outcome,"
    " note_text, as_of, who, created_at) values ($customer_id, $invoice_id, $kind, $outcome,"
    " $note_text, $as_of, $who, $created_at) returning note_id",
    "promises": "insert into promises (customer_id, amount, currency, promised_date, made_on,"
    " invoice_ids, note, who, created_at) values ($customer_id, $amount, $currency,"
    " $promised_date, $made_on, $invoice_ids, $note, $who, $created_at) returning promise_id",
    "payment_plans": "insert into payment_plans (customer_id, total_amount, currency, made_on,"
    " invoice_ids, note, who, created_at) values ($customer_id, $total_amount, $currency,"
    " $made_on, $invoice_ids, $note, $who, $created_at) returning plan_id",
    "plan_instalments": "insert into plan_instalments (plan_id, instalment_no, due_date, amount)"
    " values ($plan_id, $instalment_no, $due_date, $amount)",
    "disputes": "insert into disputes (invoice_id, customer_id, reason, status, note, who,"
    " created_at, updated_at) values ($invoice_id, $customer_id, $reason, $status, $note, $who,"
    " $created_at, $updated_at)",
}
SELECT_ONE = {
    "collection_owners": "select * from collection_owners where customer_id = $id",
    "promises": "select * from promises where promise_id = $id",
    "payment_plans": "select * from payment_plans where plan_id = $id",
    "disputes": "select * from disputes where invoice_id = $id",
}
CANCEL = {
    "promises": "update promises set cancelled_at = $at where promise_id = $id",
    "payment_plans": "update payment_plans set cancelled_at = $at where plan_id = $id",
}


class CollectionsStore:
    """Read and write collectors' records in a workspace.

    ``customer_ids``: the customers of the ledger in use; when given, a record for any other
    customer is refused ("unknown customer"). Records already kept for customers no longer in
    the ledger stay readable.
    """

    def __init__(
        self,
        workspace: Workspace,
        *,
        who: str = DEFAULT_WHO,
        customer_ids: Collection[str] | None = None,
    ) -> None:
        self.workspace = workspace
        self.who = who
        self.customer_ids = None if customer_ids is None else frozenset(customer_ids)

    # --- reading ---------------------------------------------------------------------------

    def _frame(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        with self.workspace.read() as con:
            frame = con.execute(sql, params or {}).df()
        if "invoice_ids" in frame:
            frame["invoice_ids"] = frame["invoice_ids"].map(lambda ids: tuple(ids))
        return frame

    def owners(self) -> pd.DataFrame:
        """customer_id, owner, updated_at."""
        return self._frame("select * from collection_owners order by customer_id")

    def owner_map(self) -> dict[str, str]:
        owners = self.owners()
        return dict(zip(owners["customer_id"], owners["owner"], strict=True))

    def notes(self, customer_id: str | None = None) -> pd.DataFrame:
        """Notes and calls (all, or one customer's), newest first."""
        return self._frame(
            "select * from collection_notes where $customer is null or customer_id = $customer"
            " order by created_at desc, note_id desc",
            {"customer": customer_id},
        )

    def promises(self) -> pd.DataFrame:
        """Every promise, cancelled ones too (analytics.risk.promises.PROMISE_COLUMNS)."""
        return self._frame("select * from promises order by promised_date, promise_id")

    def plans(self) -> pd.DataFrame:
        return self._frame("select * from payment_plans order by plan_id")

    def instalments(self) -> pd.DataFrame:
        return self._frame("select * from plan_instalments order by plan_id, instalment_no")

    def commitments(self) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
        """(promises, plans, instalments): ``analytics.risk.promises.Commitments(*…)``."""
        return self.promises(), self.plans(), self.instalments()

    def disputes(self) -> pd.DataFrame:
        """invoice_id, customer_id, reason, status, note, who, created_at, updated_at."""
        return self._frame("select * from disputes order by invoice_id")

    # --- writing ---------------------------------------------------------------------------

    def set_owner(self, customer_id: str, owner: str) -> None:
        """Give ``customer_id`` an owner (replacing the one it had)."""
        customer_id = self._customer(customer_id)
        owner = _name(owner, "Owner")
        with self.workspace.change(self.who) as change:
            before = _one(change, "collection_owners", customer_id)
            row = {"customer_id": customer_id, "owner": owner, "updated_at": change.at}
            if before is None:
                _insert(change, "collection_owners", row)
            else:
                change.con.execute(
                    "update collection_owners set owner = $owner, updated_at = $updated_at"
                    " where customer_id = $customer_id",
                    row,
                )
            change.log("collection_owner", customer_id, "update" if before else "create",
                       _json(before), _json(row))  # fmt: skip

    def add_note(
        self,
        customer_id: str,
        text: str,
        *,
        as_of: date,
        kind: str = "note",
        outcome: str | None = None,
        invoice_id: str | None = None,
    ) -> int:
        """Record a note or a call (with its outcome); returns its id."""
        row = {
            "customer_id": self._customer(customer_id),
            "invoice_id": _optional_id(invoice_id),
            "kind": _choice(kind, NOTE_KINDS, "Kind"),
            "outcome": _choice(outcome, CALL_OUTCOMES, "Call outcome") if kind == "call" else None,
            "note_text": _text(text, "Note", required=kind == "note") or "",
            "as_of": _date(as_of, "As of"),
            "who": _name(self.who, "Who"),
        }
        with self.workspace.change(self.who) as change:
            return _create(change, "collection_notes", "collection_note", row)

    def add_promise(
        self,
        customer_id: str,
        amount: float,
        promised_date: date,
        *,
        as_of: date,
        currency: str,
        invoice_ids: Sequence[str] = (),
        note: str | None = None,
    ) -> int:
        """Record a promise to pay ``amount`` by ``promised_date`` (not before ``as_of``, the
        date it is made on); returns its id."""
        as_of = _date(as_of, "As of")
        row = {
            "customer_id": self._customer(customer_id),
            "amount": _amount(amount, "Amount"),
            "currency": _name(currency, "Currency"),
            "promised_date": _not_before(
                _date(promised_date, "Promised date"), as_of, "Promised date"
            ),  # fmt: skip
            "made_on": as_of,
            "invoice_ids": _ids(invoice_ids),
            "note": _text(note, "Note", required=False),
            "who": _name(self.who, "Who"),
        }
        with self.workspace.change(self.who) as change:
            return _create(change, "promises", "promise", row)

    def add_plan(
        self,
        customer_id: str,
        total_amount: float,
        instalments: Sequence[Instalment],
        *,
        as_of: date,
        currency: str,
        invoice_ids: Sequence[str],
        note: str | None = None,
    ) -> int:
        """Record a payment plan: ``instalments`` (due date, amount) that add up to
        ``total_amount``, against ``invoice_ids`` (at least one); returns its id."""
        as_of = _date(as_of, "As of")
        row = {
            "customer_id": self._customer(customer_id),
            "total_amount": _amount(total_amount, "Total"),
            "currency": _name(currency, "Currency"),
            "made_on": as_of,
            "invoice_ids": _ids(invoice_ids, required=True),
            "note": _text(note, "Note", required=False),
            "who": _name(self.who, "Who"),
        }
        steps = _instalments(instalments, row["total_amount"], as_of)
        with self.workspace.change(self.who) as change:
            plan_id = _create(change, "payment_plans", "payment_plan", row, children=steps)
        return plan_id

    def cancel_promise(self, promise_id: int) -> None:
        self._cancel("promises", "promise", promise_id)

    def cancel_plan(self, plan_id: int) -> None:
        self._cancel("payment_plans", "payment_plan", plan_id)

    def set_dispute(
        self, invoice_id: str, customer_id: str, reason: str, status: str = "open",
        note: str | None = None,
    ) -> None:  # fmt: skip
        """Record (or change) the reason and status of a disputed invoice."""
        row = {
            "invoice_id": _optional_id(invoice_id) or _missing("Invoice"),
            "customer_id": self._customer(customer_id),
            "reason": _choice(reason, DISPUTE_REASONS, "Reason"),
            "status": _choice(status, DISPUTE_STATUSES, "Status"),
            "note": _text(note, "Note", required=False),
            "who": _name(self.who, "Who"),
        }
        with self.workspace.change(self.who) as change:
            before = _one(change, "disputes", row["invoice_id"])
            if before is None:
                _insert(change, "disputes", {**row, "created_at": change.at,
                                             "updated_at": change.at})  # fmt: skip
            else:
                change.con.execute(
                    "update disputes set customer_id = $customer_id, reason = $reason,"
                    " status = $status, note = $note, who = $who, updated_at = $at"
                    " where invoice_id = $invoice_id",
                    {**row, "at": change.at},
                )
            after = _one(change, "disputes", row["invoice_id"])
            change.log("dispute", row["invoice_id"], "update" if before else "create",
                       _json(before), _json(after))  # fmt: skip

    # --- checks ----------------------------------------------------------------------------

    def _customer(self, customer_id: str) -> str:
        customer_id = _optional_id(customer_id) or _missing("Customer")
        if self.customer_ids is not None and customer_id not in self.customer_ids:
            raise LedgerError(f"Customer: {customer_id!r} is not a customer of this ledger")
        return customer_id

    def _cancel(self, table: str, entity: str, record_id: int) -> None:
        with self.workspace.change(self.who) as change:
            before = _one(change, table, int(record_id))
            if before is None:
                raise LedgerError(f"no {entity.replace('_', ' ')} with id {record_id}")
            if before["cancelled_at"] is not None:
                return
            change.con.execute(CANCEL[table], {"at": change.at, "id": int(record_id)})
            after = _one(change, table, int(record_id))
            change.log(entity, str(record_id), "update", _json(before), _json(after))


# --- writing helpers ---------------------------------------------------------------------------


def _insert(change: Change, table: str, row: dict[str, Any]):
    return change.con.execute(INSERT[table], row)


def _create(
    change: Change, table: str, entity: str, row: dict[str, Any],
    children: list[dict[str, Any]] | None = None,
) -> int:  # fmt: skip
    """Insert ``row`` (with created_at) and the plan instalments ``children`` if any, and log
    it with its new id; returns the id."""
    row = {**row, "created_at": change.at}
    new_id = int(_insert(change, table, row).fetchone()[0])
    after = {"id": new_id, **row}
    for step in children or ():
        _insert(change, "plan_instalments", {"plan_id": new_id, **step})
    if children is not None:
        after["instalments"] = children
    change.log(entity, str(new_id), "create", None, _json(after))
    return new_id


def _one(change: Change, table: str, key: str | int) -> dict[str, Any] | None:
    cursor = change.con.execute(SELECT_ONE[table], {"id": key})
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _json(record: dict[str, Any] | None) -> str | None:
    if record is None:
        return None
    return json.dumps(record, default=str, ensure_ascii=False, sort_keys=True)


# --- checks (each names the field it refuses) ------------------------------------------------


def _missing(field: str):
    raise LedgerError(f"{field}: required")


def _optional_id(value: str | None) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _ids(values: Sequence[str], *, required: bool = False) -> list[str]:
    ids = [i for i in (_optional_id(v) for v in values or ()) if i]
    if required and not ids:
        raise LedgerError("Invoices: choose at least one invoice the plan covers")
    if len(set(ids)) != len(ids):
        raise LedgerError("Invoices: an invoice is named twice")
    return ids


def _name(value: str, field: str) -> str:
    text = str(value or "").strip()
    if not text or len(text) > MAX_NAME_LENGTH:
        raise LedgerError(f"{field}: 1 to {MAX_NAME_LENGTH} characters, got {len(text):,}")
    return text


def _text(value: str | None, field: str, *, required: bool) -> str | None:
    text = str(value or "").strip()
    if len(text) > MAX_NOTE_LENGTH:
        raise LedgerError(
            f"{field}: at most {MAX_NOTE_LENGTH:,} characters, got {len(text):,}; nothing saved"
        )
    if required and not text:
        raise LedgerError(f"{field}: write something to save")
    return text or None


def _choice(value: str | None, choices: tuple[str, ...], field: str) -> str:
    if value not in choices:
        raise LedgerError(f"{field}: one of {', '.join(choices)}; got {value!r}")
    return value


def _amount(value: float, field: str) -> float:
    try:
        amount = float(value)
    except (TypeError, ValueError):
        raise LedgerError(f"{field}: {value!r} is not an amount") from None
    if not math.isfinite(amount) or amount < OPEN_THRESHOLD or amount >= MAX_AMOUNT:
        raise LedgerError(f"{field}: must be more than 0 (and a real amount), got {value}")
    return round(amount, 2)


def _date(value: date, field: str) -> date:
    if isinstance(value, datetime):  # a pandas Timestamp too
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LedgerError(f"{field}: {value!r} is not a date (YYYY-MM-DD)") from None


def _not_before(value: date, as_of: date, field: str) -> date:
    if value < as_of:
        raise LedgerError(f"{field}: {value} is before the as-of date {as_of}; a promise is "
                          "for today or later")  # fmt: skip
    return value


def _instalments(steps: Sequence[Instalment], total: float, as_of: date) -> list[dict]:
    """The plan's instalments numbered 1, 2, … in date order; each in the future of the as-of
    date, on distinct dates, and together exactly the total (to the cent)."""
    if not steps:
        raise LedgerError("Instalments: a plan needs at least one instalment")
    if len(steps) > MAX_INSTALMENTS:
        raise LedgerError(f"Instalments: at most {MAX_INSTALMENTS}, got {len(steps)}")
    rows = []
    for n, (due, amount) in enumerate(steps, start=1):
        due = _not_before(_date(due, f"Instalment {n} date"), as_of, f"Instalment {n} date")
        rows.append({"due_date": due, "amount": _amount(amount, f"Instalment {n} amount")})
    rows.sort(key=lambda r: r["due_date"])
    if len({r["due_date"] for r in rows}) != len(rows):
        raise LedgerError("Instalments: two instalments fall on the same date")
    added = round(sum(r["amount"] for r in rows), 2)
    if abs(added - total) >= OPEN_THRESHOLD:
        raise LedgerError(f"Instalments: they add up to {added:,.2f}, not the plan's total "
                          f"{total:,.2f}")  # fmt: skip
    return [{"instalment_no": n, **r} for n, r in enumerate(rows, start=1)]
