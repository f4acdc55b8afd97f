"""Promises to pay and payment plans in the cash-flow projection (spec §13: open plans
replace the behavioural timing of the items they cover).

An open promise or plan instalment (``analytics.risk.promises.expected_receipts``) is a
receipt of what is still to pay on its date. It covers the open items it names (its
``invoice_ids``) or, naming none, every positive open item of its customer. Receipts are
placed in date order; each takes from the items it covers, oldest due date first, what they
still owe after the receipts before it:

    placed_r = min(amount_r, Σ open left of the items r covers)

The placed amount leaves the lateness model and is received on the receipt's date in every
draw; what no receipt covers keeps the model's timing, so a partly covered invoice splits
into a placed part and a modelled remainder. A promise bigger than the open amount of its
items is capped at it. Broken and partly kept promises are not open: their items keep the
model's timing. One whose date has passed but is within its tolerance days is expected on
the day after the as-of date (``expected_receipts`` already dates it so).

Amounts are in the reporting currency. The receipts come in as a frame so that this module
never reads the workspace (analytics does not import stores).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

RECEIPT_COLUMNS = ["expected_date", "amount", "customer_id", "source", "record_id",
                   "instalment_no", "invoice_ids"]  # fmt: skip
GROUP_KEY = ["customer_key", "due_date", "is_disputed"]


@dataclass(frozen=True)
class Placed:
    """The open-item groups less what the receipts cover, and each receipt as placed."""

    groups: pd.DataFrame  # cashflow_open_items rows, open_amount less the covered amounts
    receipts: pd.DataFrame  # RECEIPT_COLUMNS + customer_key, day (after as_of), placed_amount

    @property
    def amount(self) -> float:
        """Σ placed: open AR whose timing the promises and plans give."""
        return float(self.receipts["placed_amount"].sum())

    @property
    def n_records(self) -> int:
        """Promises and plans (a plan once, however many instalments) that placed anything."""
        placed = self.receipts[self.receipts["placed_amount"] > 0]
        return len(placed[["source", "record_id"]].drop_duplicates())


def open_units(groups: pd.DataFrame, invoices: pd.DataFrame) -> pd.DataFrame:
    """The positive open items receipts can take from, oldest due date first per customer:
    each named invoice on its own (invoice_id) and each group's rest (invoice_id ''), with
    group (the row of ``groups``) and open_amount.

    ``invoices``: collections_invoices rows (customer_key added) of the invoices named;
    those not open, not positive or outside ``groups`` (another customer filter or entity)
    are left out."""
    debit = groups[~groups["is_credit"]]
    keys = debit[GROUP_KEY].assign(group=debit.index, due_date=_day(debit["due_date"]))
    named = invoices[invoices["open_amount"] > 0].assign(due_date=lambda f: _day(f["due_date"]))
    named = named.merge(keys, on=GROUP_KEY)[["group", "invoice_id", "open_amount"]]
    rest = debit["open_amount"] - named.groupby("group")["open_amount"].sum().reindex(
        debit.index, fill_value=0.0
    )
    rests = pd.DataFrame(
        {"group": debit.index, "invoice_id": "", "open_amount": rest.clip(lower=0)}
    )
    units = pd.concat([named, rests], ignore_index=True).merge(keys, on="group")
    return units.sort_values(["customer_key", "due_date", "invoice_id"], ignore_index=True)


def allocate(units: pd.DataFrame, receipts: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(left per unit, placed per receipt): receipts in their order take from the units they
    cover (their invoice_ids, else their customer_key's units), oldest due date first."""
    left = units["open_amount"].to_numpy(float).copy()
    by_customer = units.groupby("customer_key").indices
    by_invoice = {i: n for n, i in enumerate(units["invoice_id"]) if i}
    placed = np.zeros(len(receipts))
    for r, (key, ids, amount) in enumerate(
        zip(receipts["customer_key"], receipts["invoice_ids"], receipts["amount"], strict=True)
    ):
        covered = sorted(by_invoice[i] for i in ids if i in by_invoice) if ids else (
            by_customer.get(key, []))  # fmt: skip
        for n in covered:
            take = min(amount - placed[r], left[n])
            left[n] -= take
            placed[r] += take
    return left, placed


def place(
    groups: pd.DataFrame, invoices: pd.DataFrame, receipts: pd.DataFrame,
    customer_keys: dict[str, int], as_of: date,
) -> Placed:  # fmt: skip
    """Receipts (RECEIPT_COLUMNS) placed on the open-item groups (module docstring).
    ``customer_keys`` maps customer_id → customer_key; receipts of customers not in it and
    the customers' invoices the groups do not hold place nothing."""
    ordered = receipts.assign(customer_key=receipts["customer_id"].map(customer_keys))
    ordered = ordered.dropna(subset=["customer_key"]).astype({"customer_key": np.int64})
    ordered = ordered.sort_values(["expected_date", "customer_id", "record_id", "instalment_no"],
                                  ignore_index=True)  # fmt: skip
    named = invoices.assign(customer_key=invoices["customer_id"].map(customer_keys))
    units = open_units(groups, named.dropna(subset=["customer_key"]))
    left, placed = allocate(units, ordered)
    taken = (units["open_amount"] - left).groupby(units["group"]).sum()
    remaining = groups.assign(
        open_amount=groups["open_amount"] - taken.reindex(groups.index, fill_value=0.0)
    )
    days = (_day(ordered["expected_date"]) - pd.Timestamp(as_of)).dt.days
    return Placed(remaining, ordered.assign(day=days.clip(lower=1).astype(np.int64),
                                            placed_amount=placed))  # fmt: skip


def promised_daily(receipts: pd.DataFrame, horizon: int) -> np.ndarray:
    """horizon + 1: placed amounts on day t = 1 … horizon after the as-of date (column t − 1)
    and, in the last column, those placed after the horizon (``Placed.receipts``)."""
    day = np.minimum(receipts["day"].to_numpy(np.int64), horizon + 1)
    weights = receipts["placed_amount"].to_numpy(float)
    return np.bincount(day - 1, weights, horizon + 1).astype(float)


def promised_sentence(n_records: int, worth: str) -> str:
    """What the page and the pack say of the promises and plans placed (``worth`` already
    formatted in their currency).

    >>> promised_sentence(2, "1.2k USD")
    "2 promises and plans worth 1.2k USD replace the model's timing for their items"
    """
    if n_records == 1:
        return f"1 promise or plan worth {worth} replaces the model's timing for its items"
    return (
        f"{n_records} promises and plans worth {worth} replace the model's timing for their items"
    )


def invoice_ids_named(receipts: pd.DataFrame) -> list[str]:
    """Every invoice the receipts name, once, sorted."""
    return sorted({str(i) for ids in receipts["invoice_ids"] for i in ids})


def _day(values) -> pd.Series:
    return pd.to_datetime(pd.Series(values)).dt.normalize()
