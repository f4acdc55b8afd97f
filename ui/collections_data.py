"""Collections pages: cached worklist and disputed items, what collectors recorded (the
workspace, stores/collections.py) and the tables the pages show.

The worklist and the disputed items are cached per ledger (file, mtime, entity, see
ui/cache.py), as-of date, options and sidebar filter. What users record is read on every run
(a small file) so a note saved in another session shows at once. Promises and plans belong to
the customer, not to one entity: they are judged on the whole ledger's payments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analytics.portfolio.snapshot import Options
from analytics.risk import collections as coll
from analytics.risk import disputes as disp
from analytics.risk import promises as prom
from core.filters import CustomerFilter
from engines import facts
from stores.collections import CollectionsStore
from stores.workspace import Workspace

from . import auth, cache, risk_data
from .cache import LedgerKey
from .context import Context
from .settings import data_dir

WHO_KEY = "coll_who"  # the "Your name" box: who the records are made by
WORKLIST_MONEY = ["open_amount", "overdue_amount", "disputed_amount", "expected_loss_amount",
                  "promised_amount", "exposure_amount", "uninsured_amount"]  # fmt: skip


@st.cache_data(max_entries=16, show_spinner="Building the worklist…")
def cached_worklist(
    ledger: LedgerKey,
    options: coll.WorklistOptions,
    customer_filter: CustomerFilter,
    portfolio_options: Options,
) -> coll.Worklist:
    # priority from the behavioural PD (the calibrated loss rates stand in for a customer the
    # model does not score); exposure and insurance from the portfolio snapshot the other
    # pages cache (same key)
    portfolio = cache.cached_snapshot(ledger, portfolio_options, customer_filter).customers
    scores = risk_data.cached_model(ledger, options.as_of).scores.dropna(subset=["pd"])
    pds = dict(zip(scores["customer_key"].astype(int), scores["pd"].astype(float), strict=True))
    return coll.worklist(cache.connection(ledger), options, customer_filter,
                         pd_by_customer=pds or None, portfolio=portfolio)  # fmt: skip


@st.cache_data(max_entries=16, show_spinner="Finding the disputed items…")
def cached_disputed_items(
    ledger: LedgerKey, as_of: date, edges: tuple[int, ...], customer_filter: CustomerFilter
) -> pd.DataFrame:
    return disp.disputed_items(cache.connection(ledger), as_of=as_of, edges=edges,
                               customer_filter=customer_filter)  # fmt: skip


@st.cache_data(max_entries=32, show_spinner=False)
def cached_invoices(ledger: LedgerKey, as_of: date, invoice_ids: tuple[str, ...]) -> pd.DataFrame:
    return facts.collections_invoices(cache.connection(ledger), as_of=as_of,
                                      invoice_ids=list(invoice_ids))  # fmt: skip


def whole(ctx: Context) -> LedgerKey:
    """The ledger without the sidebar's entity: customers and their promises are group-wide."""
    return LedgerKey(ctx.ledger.db_path, ctx.ledger.mtime, None)


def ledger_customer_ids(ctx: Context) -> list[str]:
    return cache.dimensions(whole(ctx))["customer_id"].astype(str).tolist()


def store(ctx: Context) -> CollectionsStore:
    """The workspace's collections records, written in the signed-in user's name (without
    login: the name typed in *Your name*)."""
    who = auth.who(str(st.session_state.get(WHO_KEY) or ""))
    return CollectionsStore(Workspace.in_folder(data_dir()), who=who,
                            customer_ids=ledger_customer_ids(ctx))  # fmt: skip


def known_invoices(ctx: Context, ids) -> set[str]:
    """Which of ``ids`` the ledger holds (the others' records are orphaned)."""
    wanted = tuple(sorted({str(i) for i in ids if i}))
    if not wanted:
        return set()
    return set(cached_invoices(whole(ctx), ctx.settings.as_of, wanted)["invoice_id"])


def in_spec_order(frame: pd.DataFrame, spec: dict) -> pd.DataFrame:
    """The frame's columns in its table spec's order (what matters first at 1280 px), the
    columns the spec does not name after them."""
    named = [c for c in spec if c in frame.columns]
    return frame[named + [c for c in frame.columns if c not in spec]]


def judged(
    ctx: Context, tolerance_days: int
) -> tuple[CollectionsStore, prom.Commitments, prom.PromiseBook]:
    """The store, what it holds of promises and plans, and their states as of the sidebar
    date, judged on the whole ledger's payments (a customer's promise covers every entity)."""
    records = store(ctx)
    recorded = prom.Commitments(*records.commitments())
    book = prom.evaluate(cache.connection(whole(ctx)), recorded, as_of=ctx.settings.as_of,
                         tolerance_days=tolerance_days)  # fmt: skip
    return records, recorded, book


# --- the worklist page --------------------------------------------------------------------------


@dataclass(frozen=True)
class WorklistPage:
    worklist: coll.Worklist
    rows: pd.DataFrame  # the prioritised list with owners and open promises, display currency
    stages: pd.DataFrame  # display currency
    book: prom.PromiseBook
    commitments: pd.DataFrame  # promises and instalments with state and orphan flag
    broken: pd.DataFrame  # per customer, reporting currency
    notes: pd.DataFrame
    orphaned_owners: dict[str, str]  # customer_id → owner, for customers not in this ledger

    @property
    def totals(self) -> dict[str, float | int]:
        """The headline in the reporting currency (coll.worklist_totals)."""
        return coll.worklist_totals(self.worklist.customers)

    @property
    def commitment_summary(self) -> str:
        """'2 open · 1 kept · 1 partly kept or broken' over the promises and instalments."""
        states = self.commitments["state"]
        parts = [(prom.OPEN, "open"), (prom.KEPT, "kept")]
        counts = [f"{int((states == s).sum())} {label}" for s, label in parts]
        unmet = int(states.isin(prom.UNMET).sum())
        return " · ".join([*counts, f"{unmet} partly kept or broken"])

    @property
    def n_orphaned(self) -> int:
        flagged = self.commitments["is_orphaned"].sum() + self.notes["is_orphaned"].sum()
        return int(flagged) + len(self.orphaned_owners)


def worklist_page(ctx: Context, lgd: float, tolerance_days: int) -> WorklistPage:
    """Everything the Worklist page shows as of the sidebar date."""
    s = ctx.settings
    options = coll.WorklistOptions(as_of=s.as_of, lgd=lgd, edges=s.edges)
    work = cached_worklist(ctx.ledger, options, s.customer_filter, ctx.options())
    records, recorded, book = judged(ctx, tolerance_days)
    owners = records.owner_map()
    rows = coll.with_records(work.customers, owners, prom.open_by_customer(book))
    known = set(ledger_customer_ids(ctx))
    return WorklistPage(
        worklist=work,
        rows=ctx.translate(rows, WORKLIST_MONEY),
        stages=ctx.translate(coll.stage_totals(work.customers),
                             ["open_amount", "overdue_amount", "expected_loss_amount"]),
        book=book,
        commitments=commitment_table(ctx, book, recorded),
        broken=prom.broken_by_customer(prom.unmet_rows(book)),
        notes=notes_table(ctx, records.notes()),
        orphaned_owners={c: o for c, o in owners.items() if c not in known},
    )  # fmt: skip


def commitment_table(
    ctx: Context, book: prom.PromiseBook, recorded: prom.Commitments
) -> pd.DataFrame:
    """Promises and plan instalments with their state, who recorded them and whether they
    are orphaned, display currency, dates as dates; cancelled ones left out."""
    rows = prom.commitment_rows(book)
    who = pd.concat([
        recorded.promises.assign(kind="promise", record_id=recorded.promises["promise_id"]),
        recorded.plans.assign(kind="plan instalment", record_id=recorded.plans["plan_id"]),
    ])  # fmt: skip
    rows = rows.merge(who[["kind", "record_id", "who"]], on=["kind", "record_id"], how="left")
    ids = [i for group in rows["invoice_ids"] for i in group]
    rows["is_orphaned"] = coll.orphaned(rows, ledger_customer_ids(ctx), known_invoices(ctx, ids))
    rows["invoices"] = rows["invoice_ids"].map(", ".join)
    rows = rows[rows["state"] != prom.CANCELLED]
    for column in ("due_date", "met_date"):
        rows[column] = pd.to_datetime(rows[column]).dt.date
    return ctx.translate(rows, ["amount", "paid_amount"]).reset_index(drop=True)


def notes_table(ctx: Context, notes: pd.DataFrame) -> pd.DataFrame:
    out = notes.assign(
        is_orphaned=coll.orphaned(notes, ledger_customer_ids(ctx),
                                  known_invoices(ctx, notes["invoice_id"].dropna()))
    )  # fmt: skip
    out["as_of"] = pd.to_datetime(out["as_of"]).dt.date
    return out


def cadence_table(ctx: Context, steps: pd.DataFrame) -> pd.DataFrame:
    out = ctx.translate(steps, ["open_amount"])
    for column in ("step_date", "invoice_date", "due_date"):
        out[column] = pd.to_datetime(out[column]).dt.date
    return out


def worklist_table(rows: pd.DataFrame, stages: list[str], owner: str) -> pd.DataFrame:
    """The prioritised list kept to the chosen stages (none chosen: all) and owner."""
    kept = rows if not stages else rows[rows["stage"].isin(stages)]
    if owner:
        kept = kept[kept["owner"] == owner]
    out = kept.copy()
    for column in ("promised_date", "oldest_due_date"):
        out[column] = pd.to_datetime(out[column]).dt.date
    return out


def customer_labels(rows: pd.DataFrame) -> dict[str, str]:
    """customer_id -> 'C00012 · Name · 91+', in priority order, for the record forms."""
    return {
        r.customer_id: " · ".join([r.customer_id, *([r.name] if r.name and r.name != r.customer_id
                                                    else []), r.stage])
        for r in rows[["customer_id", "name", "stage"]].itertuples()
    }  # fmt: skip


# --- the disputes page --------------------------------------------------------------------------


@dataclass(frozen=True)
class DisputesPage:
    view: disp.Disputes
    items: pd.DataFrame  # display currency, dates as dates
    by_bucket: pd.DataFrame
    by_reason: pd.DataFrame
    records: pd.DataFrame  # every dispute record with the ledger's state of its invoice


def disputes_page(ctx: Context) -> DisputesPage:
    s = ctx.settings
    items = cached_disputed_items(ctx.ledger, s.as_of, s.edges, s.customer_filter)
    recorded = store(ctx).disputes()
    metrics = ctx.metrics()
    view = disp.dispute_view(items, recorded, as_of=s.as_of, edges=s.edges,
                             ar_amount=metrics.ar_total, sales_amount=metrics.sales_window,
                             window_days=s.window_days)  # fmt: skip
    shown = ctx.translate(view.items, ["open_amount"])
    for column in ("invoice_date", "due_date"):
        shown[column] = pd.to_datetime(shown[column]).dt.date
    records = disp.records_in_ledger(cache.connection(whole(ctx)), recorded, as_of=s.as_of)
    return DisputesPage(
        view=view, items=shown,
        by_bucket=ctx.translate(view.by_bucket, ["open_amount"]),
        by_reason=ctx.translate(view.by_reason, ["open_amount"]),
        records=ctx.translate(records, ["open_amount"]),
    )  # fmt: skip


def invoice_labels(items: pd.DataFrame, currency: str) -> dict[str, str]:
    """invoice_id -> 'INV0001 · C00012 · 1,234 USD · price', largest first."""
    return {
        r.invoice_id: f"{r.invoice_id} · {r.customer_id} · {r.open_amount:,.0f} {currency}"
        f" · {r.reason}"
        for r in items[["invoice_id", "customer_id", "open_amount", "reason"]].itertuples()
    }


# --- for the other pages (Customer timeline, Cash flow) ---------------------------------------


def promise_book(
    ctx: Context, tolerance_days: int = prom.DEFAULT_TOLERANCE_DAYS
) -> prom.PromiseBook:
    """Every recorded promise and plan instalment judged as of the sidebar date (on the whole
    ledger's payments): ``prom.expected_receipts(book)`` feeds the cash-flow projection,
    ``prom.broken_by_customer(prom.unmet_rows(book))`` the broken promises."""
    return judged(ctx, tolerance_days)[2]


def customer_timeline(
    ctx: Context, customer_id: str, tolerance_days: int = prom.DEFAULT_TOLERANCE_DAYS
) -> pd.DataFrame:
    """One customer's notes, calls, promises, plan instalments and disputes, newest first
    (coll.customer_timeline), amounts in the display currency."""
    records, recorded, book = judged(ctx, tolerance_days)
    events = coll.customer_timeline(
        customer_id, notes=records.notes(customer_id),
        commitments=commitment_table(ctx, book, recorded), disputes=records.disputes(),
    )  # fmt: skip
    return events  # commitment_table has already put the amounts in the display currency
