"""The Customer page's data: cached loaders for `analytics.portfolio.customer` and the tables it shows.

Loaders are keyed by the database path, its modification time, the as-of date and the
customer key, like ui/cache.py. Table builders translate money into the display currency
and give columns the names a credit manager reads (reports/columns.py; they are also the
download's headers).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from analytics.portfolio import customer
from reports import columns
from reports.columns import Table

from . import cache
from .cache import LedgerKey
from .context import Context

LOADERS: dict[str, Callable] = {
    "open_items": customer.open_items,
    "payments": customer.payment_history,
    "credit_notes": customer.credit_notes,
    "unapplied_cash": customer.unapplied_cash,
    "days_late_trend": customer.days_late_trend,
}


@st.cache_data(max_entries=256, show_spinner=False)
def _load(what: str, ledger: LedgerKey, as_of: date, customer_key: int) -> pd.DataFrame:
    return LOADERS[what](cache.connection(ledger), as_of, customer_key)


def load(ctx: Context, what: str, customer_key: int) -> pd.DataFrame:
    """``analytics.portfolio.customer.<what>`` for one customer as of the sidebar date, cached."""
    s = ctx.settings
    return _load(what, ctx.ledger, s.as_of, int(customer_key))


def choice_labels(customers: pd.DataFrame) -> dict[str, str]:
    """customer_id -> 'C00012 · Name' for the picker, in the frame's order; just the id when
    the ledger has no name for it (the loader then sets the name to the id: 'C1 · C1' read
    as a typo)."""
    return {
        row.customer_id: row.customer_id
        if not row.name or row.name == row.customer_id
        else f"{row.customer_id} · {row.name}"
        for row in customers[["customer_id", "name"]].itertuples()
    }


def _dates(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in columns:
        out[column] = pd.to_datetime(out[column]).dt.date
    return out


def open_items_table(ctx: Context, items: pd.DataFrame) -> tuple[pd.DataFrame, Table]:
    """Open items with the open amount in document AND display currency side by side."""
    shown = _dates(ctx.translate(items, ["open_amount_rc"]), ["invoice_date", "due_date"])
    credit = shown["is_credit_note"]
    shown["applies_to"] = shown["applies_to"].fillna("stand-alone").where(credit, "")
    spec = columns.customer_open_items(ctx.currency)
    return shown.drop(columns="is_credit_note").rename(columns=columns.labels(spec)), spec


def payments_table(ctx: Context, payments: pd.DataFrame) -> tuple[pd.DataFrame, Table]:
    """Payments, newest first, with the amount in the reporting currency on the day paid."""
    spec = columns.customer_payments(ctx.settings.reporting_currency)
    return _dates(payments, ["payment_date"]).rename(columns=columns.labels(spec)), spec


def credit_notes_table(ctx: Context, notes: pd.DataFrame) -> tuple[pd.DataFrame, Table]:
    """Credit notes with what they did by the as-of date."""
    shown = _dates(ctx.translate(notes, ["open_amount_rc"]), ["invoice_date", "applied_date"])
    shown["applies_to"] = shown["applies_to"].fillna("stand-alone")
    spec = columns.customer_credit_notes(ctx.currency)
    return shown.rename(columns=columns.labels(spec)), spec


def unapplied_table(ctx: Context, cash: pd.DataFrame) -> tuple[pd.DataFrame, Table]:
    """Cash on account at the as-of date, in its currency and the display currency."""
    shown = _dates(ctx.translate(cash, ["amount_rc"]), ["payment_date"])
    spec = columns.customer_unapplied(ctx.currency)
    return shown.rename(columns=columns.labels(spec)), spec
