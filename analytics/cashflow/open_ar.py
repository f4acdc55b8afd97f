"""Receipts from the AR open at the as-of date: draws and their exact expectation.

The lateness model and the draws are in ``model``; the exact expectation in ``expected``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analytics.cashflow.expected import expected_total
from analytics.cashflow.model import (
    CashflowOptions,
    LatenessModel,
    conditioned,
    draw_receipts,
    lateness_model_at,
    open_item_groups,
)
from analytics.cashflow.promised import Placed, invoice_ids_named, place, promised_daily
from core.errors import LedgerError
from engines import facts
from engines.base import Engine


@dataclass(frozen=True)
class OpenArReceipts:
    """Projected receipts from the documents open at the as-of date (reporting currency)."""

    daily: np.ndarray  # draws × (horizon + 1), see draw_receipts
    expected: np.ndarray  # horizon + 1: the exact expectation the draws sample (expected.py)
    open_amount: float  # Σ positive open amounts of the selection
    disputed_excluded: float  # disputed open amounts left out (disputed="exclude")
    never_expected: float  # expected not to be paid within MAX_DAYS_LATE days of due
    tail_amount: float  # amounts under the tail rule
    credits: float  # Σ negative open amounts (credit notes, overpayments): not receipts
    n_documents: int
    rho_portfolio: float
    rho_customer: float
    promised_amount: float = 0.0  # open AR placed on promises' and plans' dates (promised.py)
    n_promised: int = 0  # promises and plans that placed it

    @property
    def collectible(self) -> float:
        """Open AR expected to be collected at all: Σ over the draws' days and beyond."""
        return self.open_amount - self.disputed_excluded - self.never_expected


def open_ar_receipts(
    engine: Engine,
    options: CashflowOptions,
    horizon_days: int,
    customer_keys: list[int] | None = None,
    promised: pd.DataFrame | None = None,
) -> OpenArReceipts:
    """Draws of the receipts from the AR open at ``options.as_of`` over the next
    ``horizon_days`` days, for the customers in ``customer_keys`` (all when None).

    ``promised``: open promises and plan instalments (promised.RECEIPT_COLUMNS, from
    ``analytics.risk.promises.expected_receipts``); the items they cover are received on
    their dates instead of the model's (promised.py). None or empty: the model alone."""
    customers = facts.customers(engine)
    if customers.empty:
        raise LedgerError("the ledger has no customers: nothing to project")
    model = lateness_model_at(engine, options)
    groups = open_item_groups(engine, options.as_of, customer_keys)
    if promised is None or promised.empty:
        return receipts_from_groups(groups, model, options, horizon_days)
    placed = placed_on(engine, groups, promised, customers, options.as_of)
    modelled = receipts_from_groups(placed.groups, model, options, horizon_days)
    return with_promised(modelled, groups, placed, horizon_days)


def placed_on(
    engine: Engine, groups: pd.DataFrame, promised: pd.DataFrame, customers: pd.DataFrame,
    as_of,
) -> Placed:  # fmt: skip
    """The promised receipts placed on the open-item groups, reading the invoices they name
    (collections_invoices.sql)."""
    ids = invoice_ids_named(promised)
    invoices = facts.collections_invoices(engine, as_of=as_of, invoice_ids=ids) if ids else (
        pd.DataFrame(columns=["invoice_id", "customer_id", "due_date", "is_disputed",
                              "open_amount"]))  # fmt: skip
    keys = dict(zip(customers["customer_id"].astype(str), customers["customer_key"], strict=True))
    return place(groups, invoices, promised, keys, as_of)


def with_promised(
    modelled: OpenArReceipts, groups: pd.DataFrame, placed: Placed, horizon_days: int
) -> OpenArReceipts:
    """The model's receipts of what the promises leave plus the placed amounts on their days
    (the same in every draw); the open amount is the whole selection's."""
    extra = promised_daily(placed.receipts, horizon_days)
    debit = ~groups["is_credit"].to_numpy(bool)
    return replace(
        modelled,
        daily=modelled.daily + extra[None, :],
        expected=modelled.expected + extra,
        open_amount=float(groups.loc[debit, "open_amount"].sum()),
        promised_amount=placed.amount,
        n_promised=placed.n_records,
    )


def receipts_from_groups(
    groups: pd.DataFrame, model: LatenessModel, options: CashflowOptions, horizon_days: int
) -> OpenArReceipts:
    """Draws for open-item groups (cashflow_open_items rows) under a lateness model."""
    credit = groups["is_credit"].to_numpy(bool)
    disputed = groups["is_disputed"].to_numpy(bool) & ~credit
    excluded = disputed if options.disputed == "exclude" else np.zeros_like(disputed)
    kept = groups[~credit & ~excluded]
    row = np.where(kept["is_disputed"], model.disputed_row, kept["customer_key"])
    amount = kept["open_amount"].to_numpy(float)
    c = conditioned(model.pmf, row.astype(np.int64), kept["days_past_due"].to_numpy(np.int64),
                    amount, kept["customer_key"].to_numpy(np.int64))  # fmt: skip
    daily = draw_receipts(c, model, horizon_days, options.draws, options.seed)
    positive = groups.loc[~credit, "open_amount"]
    return OpenArReceipts(
        daily=daily,
        expected=expected_total(c, model.pmf, horizon_days),
        open_amount=float(positive.sum()),
        disputed_excluded=float(groups.loc[excluded, "open_amount"].sum()),
        never_expected=float((amount - c.collectible).sum()),
        tail_amount=float(c.collectible[c.tail].sum()),
        credits=float(groups.loc[credit, "open_amount"].sum()),
        n_documents=int(groups.loc[~credit, "n_documents"].sum()),
        rho_portfolio=model.rho_portfolio,
        rho_customer=model.rho_customer,
    )
