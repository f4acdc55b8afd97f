"""Promises to pay and payment plans judged against the ledger's payments (spec §13).

A **promise** (customer, amount, promised date, made on the as-of date it was recorded at) is
*kept* when the payments of the customer dated after it was made and on or before its date
plus the tolerance (default 3 days) reach its amount; a **plan**'s instalments likewise, in
order: instalment k is kept when those payments reach the plan's first k instalments together.

    paid_k   = Σ payments of the customer in (made_on, min(date_k + tolerance, D)]
    kept     paid_k >= required_k (amount; a plan: Σ of instalments 1..k), on the first
             payment date that reaches it (late when after date_k, never after the tolerance)
    open     not kept and D <= date_k + tolerance
    partly   not kept, past it, and paid_k above what instalments before k needed
    broken   not kept, past it, and nothing toward it

Every payment of the customer counts, applied to an invoice or on account (spec: "payments
applied to the customer"); a promise and a plan of one customer are each judged on all of
them. A record made after D ("not yet made") and a cancelled one are left out of the states.
Amounts are in the reporting currency, payments at their payment-date rate.

The records come from the workspace (stores/collections.py) as frames; ``Commitments``
carries them so this module never reads the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from core.constants import OPEN_THRESHOLD
from core.errors import LedgerError
from engines import facts
from engines.base import Engine

DEFAULT_TOLERANCE_DAYS = 3
MAX_TOLERANCE_DAYS = 60
OPEN, KEPT, PARTLY, BROKEN = "open", "kept", "partly kept", "broken"
NOT_YET_MADE, CANCELLED = "not yet made", "cancelled"
UNMET = (PARTLY, BROKEN)  # what broken_promise fires on: past its date, amount not reached
PROMISE_COLUMNS = ["promise_id", "customer_id", "amount", "currency", "promised_date", "made_on",
                   "invoice_ids", "note", "who", "created_at", "cancelled_at"]  # fmt: skip
PLAN_COLUMNS = ["plan_id", "customer_id", "total_amount", "currency", "made_on", "invoice_ids",
                "note", "who", "created_at", "cancelled_at"]  # fmt: skip
INSTALMENT_COLUMNS = ["plan_id", "instalment_no", "due_date", "amount"]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


@dataclass(frozen=True)
class Commitments:
    """What collectors recorded that the ledger can keep or break: promises, plans and their
    instalments, with the columns above (stores.collections.CollectionsStore.commitments())."""

    promises: pd.DataFrame = field(default_factory=lambda: _empty(PROMISE_COLUMNS))
    plans: pd.DataFrame = field(default_factory=lambda: _empty(PLAN_COLUMNS))
    instalments: pd.DataFrame = field(default_factory=lambda: _empty(INSTALMENT_COLUMNS))

    def customer_ids(self) -> list[str]:
        return sorted(set(self.promises["customer_id"]) | set(self.plans["customer_id"]))


@dataclass(frozen=True)
class PromiseBook:
    """Promises and instalments with their state as of ``as_of`` (one row each), and plans
    summed up (``plan_rows``)."""

    as_of: date
    tolerance_days: int
    promises: pd.DataFrame
    instalments: pd.DataFrame

    @property
    def plan_rows(self) -> pd.DataFrame:
        return plan_summary(self.instalments)


def validate_tolerance(days: int) -> int:
    if not 0 <= int(days) <= MAX_TOLERANCE_DAYS:
        raise LedgerError(f"Tolerance (days): between 0 and {MAX_TOLERANCE_DAYS} days, got {days}")
    return int(days)


def judge(
    due: pd.DataFrame, payments: pd.DataFrame, *, as_of: date, tolerance_days: int
) -> pd.DataFrame:
    """The state of each commitment row (module docstring). ``due``: key, customer_id, made_on,
    due_date, required (what must be paid since made_on), floor (what earlier instalments
    needed; 0 for a promise), amount; ``payments``: customer_id, payment_date, payment_id,
    amount_rc. Adds deadline, paid_amount (toward this row), met_date, is_late, state."""
    out = due.reset_index(drop=True).assign(key=lambda f: np.arange(len(f)))
    out[["required", "floor", "amount"]] = out[["required", "floor", "amount"]].astype(float)
    out["due_date"], out["made_on"] = _day(out["due_date"]), _day(out["made_on"])
    out["deadline"] = out["due_date"] + pd.Timedelta(days=tolerance_days)
    paid = payments[["customer_id", "payment_id"]].assign(
        payment_date=_day(payments["payment_date"]), amount_rc=payments["amount_rc"].astype(float)
    )
    pairs = out[["key", "customer_id", "made_on", "required"]].assign(
        until=out["deadline"].clip(upper=pd.Timestamp(as_of))
    ).merge(paid, on="customer_id")  # fmt: skip
    day = pairs["payment_date"]
    pairs = pairs[(day > pairs["made_on"]) & (day <= pairs["until"])]
    pairs = pairs.sort_values(["key", "payment_date", "payment_id"])
    pairs["cumulative"] = pairs.groupby("key")["amount_rc"].cumsum()
    total = pairs.groupby("key")["amount_rc"].sum().reindex(out["key"], fill_value=0.0).to_numpy()
    reached = pairs[pairs["cumulative"] >= pairs["required"] - OPEN_THRESHOLD]
    first = reached.groupby("key")["payment_date"].min()
    out["met_date"] = pd.to_datetime(first.reindex(out["key"]).to_numpy())
    out["paid_amount"] = np.clip(total - out["floor"].to_numpy(float), 0.0, out["amount"])
    out["is_late"] = out["met_date"].notna() & (out["met_date"] > out["due_date"])
    out["state"] = _states(out, as_of)
    return out.drop(columns="key")


def _states(rows: pd.DataFrame, as_of: date) -> np.ndarray:
    d = pd.Timestamp(as_of)
    conditions = [
        rows["cancelled_at"].notna(),
        rows["made_on"] > d,
        rows["met_date"].notna(),
        d <= rows["deadline"],
        rows["paid_amount"] > OPEN_THRESHOLD,
    ]
    return np.select(conditions, [CANCELLED, NOT_YET_MADE, KEPT, OPEN, PARTLY], BROKEN)


def _day(values) -> pd.Series:
    """Dates (date objects, strings or timestamps) as midnight timestamps (NaT for none)."""
    return pd.to_datetime(pd.Series(values, dtype=object)).dt.normalize()


def promise_states(
    promises: pd.DataFrame, payments: pd.DataFrame, *, as_of: date, tolerance_days: int
) -> pd.DataFrame:
    """Each promise with its state as of ``as_of`` (``judge``)."""
    due = promises.assign(due_date=promises["promised_date"], required=promises["amount"],
                          floor=0.0)  # fmt: skip
    return judge(due, payments, as_of=as_of, tolerance_days=tolerance_days).drop(
        columns=["due_date", "required", "floor"]
    )


def instalment_states(
    plans: pd.DataFrame, instalments: pd.DataFrame, payments: pd.DataFrame, *, as_of: date,
    tolerance_days: int,
) -> pd.DataFrame:  # fmt: skip
    """Each instalment of each plan with its state as of ``as_of``, in order: instalment k
    needs the payments since the plan was made to reach instalments 1..k together."""
    rows = instalments.sort_values(["plan_id", "instalment_no"]).merge(
        plans[["plan_id", "customer_id", "made_on", "cancelled_at", "invoice_ids"]], on="plan_id"
    )
    rows["amount"] = rows["amount"].astype(float)
    rows["required"] = rows.groupby("plan_id")["amount"].cumsum()
    rows["floor"] = rows["required"] - rows["amount"]
    return judge(rows, payments, as_of=as_of, tolerance_days=tolerance_days)


def plan_summary(instalments: pd.DataFrame) -> pd.DataFrame:
    """One row per plan: instalments, kept, unmet (partly kept or broken), open, the amount
    paid toward it and its state (broken when any instalment is unmet, kept when all are
    kept, else its instalments' common state: open, not yet made or cancelled)."""
    grouped = instalments.groupby("plan_id")
    out = pd.DataFrame({
        "customer_id": grouped["customer_id"].first(),
        "n_instalments": grouped.size(),
        "n_kept": grouped["state"].agg(lambda s: int((s == KEPT).sum())),
        "n_unmet": grouped["state"].agg(lambda s: int(s.isin(UNMET).sum())),
        "paid_amount": grouped["paid_amount"].sum(),
        "next_open_date": instalments[instalments["state"] == OPEN].groupby("plan_id")["due_date"].min(),
    })  # fmt: skip
    first_state = grouped["state"].first()
    out["state"] = np.select(
        [out["n_unmet"] > 0, out["n_kept"] == out["n_instalments"]], [BROKEN, KEPT],
        first_state.where(first_state.isin([NOT_YET_MADE, CANCELLED]), OPEN),
    )  # fmt: skip
    return out.reset_index()


def payments_for(engine: Engine, commitments: Commitments, *, as_of: date) -> pd.DataFrame:
    """The payments the commitments are judged on: their customers', dated after the earliest
    record was made and on or before ``as_of`` (collections_payments.sql)."""
    ids = commitments.customer_ids()
    made = pd.concat([commitments.promises["made_on"], commitments.plans["made_on"]])
    if not ids or made.empty:
        return pd.DataFrame(columns=["customer_id", "payment_id", "payment_date", "amount_rc"])
    start = min(_day(made)).date()
    return facts.collections_payments(engine, as_of=as_of, customer_ids=ids, start=start)


def evaluate(
    engine: Engine, commitments: Commitments, *, as_of: date,
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
) -> PromiseBook:  # fmt: skip
    """Every promise and plan instalment judged as of ``as_of`` on the ledger's payments."""
    days = validate_tolerance(tolerance_days)
    paid = payments_for(engine, commitments, as_of=as_of)
    kw = {"as_of": as_of, "tolerance_days": days}
    return PromiseBook(
        as_of, days, promise_states(commitments.promises, paid, **kw),
        instalment_states(commitments.plans, commitments.instalments, paid, **kw),
    )  # fmt: skip


def commitment_rows(book: PromiseBook) -> pd.DataFrame:
    """Promises and plan instalments in one frame: kind (promise | plan instalment),
    record_id (promise_id or plan_id), instalment_no (0 for a promise), customer_id,
    due_date, amount, paid_amount, state, is_late, met_date, invoice_ids."""
    promises = book.promises.assign(kind="promise", record_id=book.promises["promise_id"],
                                    instalment_no=0, due_date=book.promises["promised_date"])  # fmt: skip
    instalments = book.instalments.assign(kind="plan instalment",
                                          record_id=book.instalments["plan_id"])  # fmt: skip
    columns = ["kind", "record_id", "instalment_no", "customer_id", "due_date", "amount",
               "paid_amount", "state", "is_late", "met_date", "invoice_ids"]  # fmt: skip
    return pd.concat([promises[columns], instalments[columns]], ignore_index=True)


def unmet_rows(book: PromiseBook) -> pd.DataFrame:
    """Promises and instalments past their date and tolerance with their amount not reached
    (partly kept or broken) as of the book's date (``commitment_rows`` plus
    shortfall_amount)."""
    rows = commitment_rows(book)
    rows = rows[rows["state"].isin(UNMET)]
    return rows.assign(shortfall_amount=rows["amount"] - rows["paid_amount"])


def _open_rows(book: PromiseBook) -> pd.DataFrame:
    rows = commitment_rows(book)
    return rows[rows["state"] == OPEN]


def broken_promises(
    engine: Engine, commitments: Commitments, *, as_of: date,
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
) -> pd.DataFrame:  # fmt: skip
    """Per customer with a promise or plan instalment broken or partly kept as of ``as_of``
    (spec §12 ``broken_promise``): customer_id, n_broken (promises and instalments),
    shortfall_amount (Σ amount not paid), first_due_date and last_due_date of them, and
    ``reason`` in words. Empty when none is."""
    rows = unmet_rows(evaluate(engine, commitments, as_of=as_of, tolerance_days=tolerance_days))
    return broken_by_customer(rows)


def became_unmet(before: PromiseBook, after: PromiseBook) -> pd.DataFrame:
    """The promises and plan instalments unmet (broken or partly kept) as of ``after``'s date
    that were not as of ``before``'s (open, or not yet made): those broken in between
    (``unmet_rows`` of ``after``), earliest date first."""
    keys = ["kind", "record_id", "instalment_no"]
    was = unmet_rows(before)[keys].drop_duplicates()
    rows = unmet_rows(after).merge(was, on=keys, how="left", indicator=True)
    rows = rows[rows["_merge"] == "left_only"].drop(columns="_merge")
    return rows.sort_values(["due_date", "customer_id", "record_id", "instalment_no"],
                            ignore_index=True)  # fmt: skip


def broken_between(
    engine: Engine, commitments: Commitments, start: date, end: date,
    tolerance_days: int = DEFAULT_TOLERANCE_DAYS,
) -> pd.DataFrame:  # fmt: skip
    """``became_unmet`` of the commitments judged as of ``start`` and as of ``end`` (two
    snapshots' dates): the promises and instalments broken in (start, end]."""
    kw = {"tolerance_days": tolerance_days}
    return became_unmet(evaluate(engine, commitments, as_of=start, **kw),
                        evaluate(engine, commitments, as_of=end, **kw))  # fmt: skip


def broken_by_customer(rows: pd.DataFrame) -> pd.DataFrame:
    """``unmet_rows`` summed per customer, largest shortfall first."""
    columns = ["customer_id", "n_broken", "shortfall_amount", "first_due_date", "last_due_date",
               "reason"]  # fmt: skip
    if rows.empty:
        return pd.DataFrame(columns=columns)
    grouped = rows.groupby("customer_id")
    out = pd.DataFrame({
        "n_broken": grouped.size(),
        "shortfall_amount": grouped["shortfall_amount"].sum(),
        "first_due_date": grouped["due_date"].min(),
        "last_due_date": grouped["due_date"].max(),
    }).reset_index()  # fmt: skip
    out["reason"] = [
        f"{n} promise(s) or instalment(s) unmet since {_day([first])[0]:%Y-%m-%d}: "
        f"{short:,.2f} not paid" for n, first, short in
        zip(out["n_broken"], out["first_due_date"], out["shortfall_amount"], strict=True)
    ]  # fmt: skip
    return out.sort_values(["shortfall_amount", "customer_id"], ascending=[False, True],
                           ignore_index=True)[columns]  # fmt: skip


def expected_receipts(book: PromiseBook) -> pd.DataFrame:
    """The open promises and plan instalments as receipts the cash-flow projection can place
    (spec §13: open plans replace the behavioural timing of the items they cover): one row
    each with expected_date (its date, or D + 1 when that has passed and it is in its
    tolerance days), amount (what is still to pay), customer_id, source (promise | plan),
    record_id, instalment_no (0 for a promise) and invoice_ids (a tuple of the invoices it
    covers; empty: the customer's account as a whole)."""
    rows = _open_rows(book)
    tomorrow = pd.Timestamp(book.as_of) + pd.Timedelta(days=1)
    out = pd.DataFrame({
        "expected_date": _day(rows["due_date"]).clip(lower=tomorrow).dt.date.to_numpy(),
        "amount": (rows["amount"] - rows["paid_amount"]).to_numpy(float),
        "customer_id": rows["customer_id"].to_numpy(),
        "source": np.where(rows["kind"] == "promise", "promise", "plan"),
        "record_id": rows["record_id"].to_numpy(),
        "instalment_no": rows["instalment_no"].to_numpy(),
        "invoice_ids": [tuple(ids) for ids in rows["invoice_ids"]],
    })  # fmt: skip
    return out[out["amount"] > OPEN_THRESHOLD].sort_values(
        ["expected_date", "customer_id", "record_id", "instalment_no"], ignore_index=True
    )


def open_by_customer(book: PromiseBook) -> pd.DataFrame:
    """Per customer with open promises or instalments: amount_due (still to pay) and
    next_date (the earliest of their dates), for the worklist's columns."""
    rows = _open_rows(book)
    grouped = rows.assign(due=rows["amount"] - rows["paid_amount"]).groupby("customer_id")
    out = pd.DataFrame({"amount_due": grouped["due"].sum(), "next_date": grouped["due_date"].min()})
    out["next_date"] = _day(out["next_date"]).dt.date.to_numpy()
    return out.reset_index()


def even_instalments(total: float, n: int, first: date, every_days: int = 30) -> list[tuple]:
    """``n`` instalments of ``total`` split evenly to the cent, the last absorbing the
    remainder, dated ``first`` and every ``every_days`` after (a plan's suggestion).

    >>> even_instalments(1000, 3, date(2026, 11, 30))
    [(datetime.date(2026, 11, 30), 333.33), (datetime.date(2026, 12, 30), 333.33), (datetime.date(2027, 1, 29), 333.34)]
    """
    part = round(total / n, 2)
    amounts = [part] * (n - 1) + [round(total - part * (n - 1), 2)]
    return [(first + pd.Timedelta(days=every_days * k).to_pytimedelta(), a)
            for k, a in enumerate(amounts)]  # fmt: skip


def instalments_text(steps: list[tuple]) -> str:
    """Instalments as the plan form shows them: one 'YYYY-MM-DD amount' a line."""
    return "\n".join(f"{d:%Y-%m-%d} {a:.2f}" for d, a in steps)


def parse_instalments(text: str) -> list[tuple[date, float]]:
    """Instalments typed one a line, 'YYYY-MM-DD amount' (thousands separators allowed);
    a bad line is refused naming it.

    >>> parse_instalments("2026-11-30 1,000\\n\\n2026-12-31 500.5")
    [(datetime.date(2026, 11, 30), 1000.0), (datetime.date(2026, 12, 31), 500.5)]
    """
    steps = []
    for n, line in enumerate(str(text or "").splitlines(), start=1):
        if not line.strip():
            continue
        day, _, amount = line.strip().partition(" ")
        try:
            steps.append((date.fromisoformat(day), float(amount.replace(",", "").replace(" ", ""))))
        except ValueError:
            raise LedgerError(
                f"Instalments, line {n}: {line.strip()!r} is not 'YYYY-MM-DD amount'"
            ) from None
    return steps
