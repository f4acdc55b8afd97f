"""The Customer page's credit risk: behavioural grade and PD, expected credit loss, recommended
limit and their history over the last month-ends, its warnings and its timeline.

Every per-date result is portfolio-wide and cached (ui/risk_data.py, one key per ledger, date
and settings); the customer's row is picked after, so a second customer reuses everything.
PDs at earlier month-ends are scored with the model as of the sidebar date (one fit; the
chart says so), ECL and recommended limits are each date's own (the Risk pages' functions).
Money stays in the reporting currency here except where a function says "display currency".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from analytics.history.decisions import decision_events
from analytics.risk.ecl import EclOptions
from analytics.risk.limits import LimitSettings
from analytics.risk.model import scores_at
from core.calendar import month_ends, previous_month_end
from core.filters import ALL_CUSTOMERS
from reports.columns import Column, Table
from reports.warnings_columns import watchlist

from . import cache, collections_data, committee_data, risk_data, warnings_data
from .cache import LedgerKey
from .context import Context
from .customer_data import load

HISTORY_MONTH_ENDS = 6  # month-ends before the as-of date in the history chart
CUSTOMER_COLUMNS = ("name", "balance_amount", "segment", "risk_rating")  # the cards show them
HISTORY_COLUMNS = ["date", "customer_key", "pd", "grade", "is_in_default", "gross_ecl_amount",
                   "net_ecl_amount", "recommended_limit", "credit_limit", "is_staged"]  # fmt: skip


def history_dates(as_of: date, first_date: date | None) -> list[date]:
    """The ``HISTORY_MONTH_ENDS`` month-ends before ``as_of``'s month and ``as_of`` itself,
    oldest first, none before the ledger's first date.

    >>> [f"{d:%m-%d}" for d in history_dates(date(2024, 3, 15), date(2023, 12, 1))]
    ['12-31', '01-31', '02-29', '03-15']
    """
    days = [*month_ends(previous_month_end(as_of), HISTORY_MONTH_ENDS), as_of]
    return [d for d in days if first_date is None or d >= first_date]


@st.cache_data(max_entries=64, show_spinner=False)
def cached_scores_at(ledger: LedgerKey, model_as_of: date, day: date) -> pd.DataFrame:
    """PD and grade of every customer on ``day`` by the model as of ``model_as_of``."""
    model = risk_data.cached_model(ledger, model_as_of)
    scores = scores_at(cache.connection(ledger), model, as_of=day)
    return scores[["customer_key", "pd", "grade", "is_in_default"]]


def _ecl_by_customer(
    ledger: LedgerKey, day: date, edges: tuple[int, ...], keys: pd.Index
) -> pd.DataFrame:
    """Gross and net ECL of each of ``keys`` summed over entities: 0 without open items, NaN
    for all when the ECL is undefined (no calibrated rates)."""
    ecl = risk_data.cached_ecl(ledger, EclOptions(as_of=day, edges=edges), ALL_CUSTOMERS)
    money = ["gross_ecl_amount", "net_ecl_amount"]
    by = ecl.customers.groupby("customer_key")[money].sum(min_count=1)
    by = by.reindex(keys, fill_value=0.0)
    if ecl.rates is None:
        by[money] = np.nan
    return by


def _on(ledger: LedgerKey, model_as_of: date, day: date, edges: tuple[int, ...]) -> pd.DataFrame:
    """Every customer of the ledger on ``day``, one row each (NaN: not scored, no limit)."""
    keys = pd.Index(cache.dimensions(ledger)["customer_key"].astype(int), name="customer_key")
    scores = cached_scores_at(ledger, model_as_of, day).set_index("customer_key")
    limits = risk_data.cached_limits(ledger, day, LimitSettings(), ALL_CUSTOMERS)
    limits = limits.set_index("customer_key")[["recommended_limit", "credit_limit", "is_staged"]]
    frame = pd.DataFrame(index=keys).join(scores).join(limits)
    frame = frame.join(_ecl_by_customer(ledger, day, edges, keys))
    frame = frame.rename_axis("customer_key").reset_index()
    return frame.assign(date=day)[HISTORY_COLUMNS]


@st.cache_data(max_entries=8, show_spinner="Scoring the last month-ends…")
def cached_history(
    ledger: LedgerKey, as_of: date, edges: tuple[int, ...], first_date: date | None
) -> pd.DataFrame:
    """Every customer's PD, grade, ECL and recommended limit at each history date."""
    frames = [_on(ledger, as_of, day, edges) for day in history_dates(as_of, first_date)]
    return pd.concat(frames, ignore_index=True)


def customer_history(ctx: Context, customer_key: int) -> pd.DataFrame:
    """One customer's rows of ``cached_history``, oldest first."""
    s = ctx.settings
    every = cached_history(ctx.ledger, s.as_of, s.edges, ctx.info.first_date)
    return every[every["customer_key"] == int(customer_key)].reset_index(drop=True)


@dataclass(frozen=True)
class CustomerRisk:
    """The customer's credit risk on the sidebar date (reporting currency)."""

    grade: str | None  # None: not graded (too young, no model)
    pd: float  # NaN when not scored
    is_in_default: bool
    gross_ecl_amount: float  # 0 without open items; NaN when the ECL is undefined
    net_ecl_amount: float
    recommended_limit: float  # NaN when no recommendation
    credit_limit: float
    is_staged: bool


def customer_risk(history: pd.DataFrame, as_of: date) -> CustomerRisk:
    """The as-of row of ``customer_history``."""
    rows = history[history["date"] == as_of]
    row = rows.iloc[0] if len(rows) else pd.Series(dtype=object)
    grade = row.get("grade")
    return CustomerRisk(
        grade=None if pd.isna(grade) else str(grade),
        pd=float(row.get("pd", np.nan)),
        is_in_default=_flag(row.get("is_in_default")),
        gross_ecl_amount=float(row.get("gross_ecl_amount", np.nan)),
        net_ecl_amount=float(row.get("net_ecl_amount", np.nan)),
        recommended_limit=float(row.get("recommended_limit", np.nan)),
        credit_limit=float(row.get("credit_limit", np.nan)),
        is_staged=_flag(row.get("is_staged")),
    )


def _flag(value) -> bool:
    return False if value is None or pd.isna(value) else bool(value)


def history_for_chart(ctx: Context, history: pd.DataFrame) -> pd.DataFrame:
    """date, pd, gross ECL and recommended limit in the display currency."""
    return ctx.translate(history, ["gross_ecl_amount", "recommended_limit"])[
        ["date", "pd", "gross_ecl_amount", "recommended_limit"]
    ]


# --- warnings and timeline -------------------------------------------------------------------


def warnings_table(ctx: Context, customer_id: str) -> tuple[pd.DataFrame, Table]:
    """The customer's warnings (ui.warnings_data.customer_warning_rows) with the Watchlist's
    columns, less those the cards above show (customer, balance, segment, rating: they stay
    in the downloads), the reason right after the warning and its date: the widest column
    is read first, the value and threshold scroll in at 1280 px."""
    spec = watchlist(ctx.currency)
    first = ["warning", "first_seen_date", "reason"]
    order = first + [k for k in spec if k not in first]
    on_page = {k: None if k in CUSTOMER_COLUMNS else spec[k] for k in order}
    rows = warnings_data.customer_warning_rows(ctx, customer_id)
    return rows[[c for c in order if c in rows.columns]], on_page


TIMELINE: Table = {
    "date": Column("Date", "date"),
    "kind": Column("What", "text"),
    "what": Column("Details", "text", width="large"),
    "amount": Column("Amount", "amount"),
    "state": Column("State", "text"),
    "who": Column("By", "text"),
}


def timeline(ctx: Context, customer_id: str, customer_key: int) -> pd.DataFrame:
    """Open invoices, payments, collectors' records (ui.collections_data.customer_timeline),
    warnings and the committee's decisions (analytics.history.decisions) of one customer,
    newest first; amounts in the display currency."""
    items = load(ctx, "open_items", customer_key)
    invoices = pd.DataFrame({
        "date": items["invoice_date"],
        "kind": np.where(items["is_credit_note"].astype(bool), "credit note", "invoice"),
        "what": [f"{i} due {pd.Timestamp(d):%d %b %Y}" for i, d in zip(items["invoice_id"],
                 items["due_date"], strict=True)],
        "amount": items["open_amount_rc"] * ctx.rate,
        "state": [("disputed, " if d else "") + (f"open, {n} days past due" if n > 0 else "open")
                  for d, n in zip(items["is_disputed"].astype(bool), items["days_past_due"],
                                  strict=True)],
    })  # fmt: skip
    paid = load(ctx, "payments", customer_key)
    payments = pd.DataFrame({
        "date": paid["payment_date"], "kind": "payment",
        "what": [f"{p}: {'cash on account' if a == 'unapplied' else 'applied to ' + str(a)}"
                 for p, a in zip(paid["payment_id"], paid["applied_to"], strict=True)],
        "amount": paid["amount_rc"] * ctx.rate, "state": "received",
    })  # fmt: skip
    fired = warnings_data.customer_warning_rows(ctx, customer_id)
    warned = pd.DataFrame({
        "date": fired["first_seen_date"], "kind": "warning",
        "what": fired["warning"] + ": " + fired["reason"], "state": "firing",
    })  # fmt: skip
    recorded = collections_data.customer_timeline(ctx, customer_id)
    decided = decision_events(committee_data.customer_decisions(customer_id), ctx.settings.as_of,
                              ctx.rate)  # fmt: skip
    parts = [p for p in (invoices, payments, warned, recorded, decided) if len(p)]
    if not parts:
        return pd.DataFrame(columns=list(TIMELINE))
    out = pd.concat(parts, ignore_index=True).reindex(columns=list(TIMELINE))
    out["date"] = pd.to_datetime(out["date"]).dt.date
    out["who"] = out["who"].astype(object).fillna("")
    return out.sort_values("date", ascending=False, kind="stable", ignore_index=True)
