"""Disputes (spec §13): the disputed open amount and count, their ageing, their reasons, and
standard DSO with and without them.

A disputed item is a document flagged ``disputed`` in the ledger and open at D (|open| >=
0.005, spec §2), at its open amount in the reporting currency at the closing rate. Ageing uses
the sidebar's buckets by days past due (spec §3). Reasons and statuses are what collectors
recorded per invoice (stores/collections.py); an item with none is "(no reason recorded)".

    DSO            = AR(D) / S(D − N, D] × N                      (spec §4, metrics.dso)
    DSO without    = (AR(D) − disputed open amount) / S(D − N, D] × N

Both undefined (None) when the window's sales are not positive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from analytics.metrics.aging import bucket_labels, sql_edges
from analytics.metrics.dso import standard_dso
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from core.constants import DEFAULT_BUCKET_EDGES, DEFAULT_WINDOW_DAYS
from core.filters import ALL_CUSTOMERS, CustomerFilter
from engines import facts
from engines.base import Engine

NO_REASON = "(no reason recorded)"
RECORD_COLUMNS = ["invoice_id", "customer_id", "reason", "status", "note", "who", "updated_at"]
# what the ledger says of the invoice a dispute record names (records_in_ledger)
OPEN_DISPUTED, SETTLED, NOT_DISPUTED, ORPHANED = (
    "open and disputed", "settled", "no longer disputed in the ledger",
    "not in this ledger (orphaned)",
)  # fmt: skip


@dataclass(frozen=True)
class Disputes:
    """The disputes as of ``as_of`` (reporting currency). ``items``: one row per disputed open
    document with its bucket label, reason and status; ``by_bucket`` and ``by_reason`` add it
    up (every bucket, empty ones at 0)."""

    as_of: date
    window_days: int
    items: pd.DataFrame
    by_bucket: pd.DataFrame
    by_reason: pd.DataFrame
    ar_amount: float
    sales_amount: float

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def open_amount(self) -> float:
        return float(self.items["open_amount"].sum())

    @property
    def share_of_ar(self) -> float | None:
        return None if self.ar_amount <= 0 else self.open_amount / self.ar_amount

    @property
    def dso(self) -> float | None:
        return standard_dso(self.ar_amount, self.sales_amount, self.window_days)

    @property
    def dso_without_disputed(self) -> float | None:
        """Standard DSO with the disputed open items taken out of AR."""
        return standard_dso(self.ar_amount - self.open_amount, self.sales_amount, self.window_days)


def disputed_items(
    engine: Engine, *, as_of: date, edges: tuple[int, ...] = DEFAULT_BUCKET_EDGES,
    customer_filter: CustomerFilter = ALL_CUSTOMERS,
) -> pd.DataFrame:  # fmt: skip
    """The disputed documents open at ``as_of`` (collections_disputed_items.sql) with their
    bucket's label (``bucket_label``), largest first."""
    keys = customer_filter.customer_keys(facts.customers(engine))
    items = facts.collections_disputed_items(
        engine, as_of=as_of, customer_keys=keys, edges=sql_edges(edges)
    )
    labels = bucket_labels(edges)
    return items.assign(bucket_label=[labels[b] for b in items["bucket"]])


def dispute_view(
    items: pd.DataFrame, records: pd.DataFrame, *, as_of: date, edges: tuple[int, ...],
    ar_amount: float, sales_amount: float, window_days: int,
) -> Disputes:  # fmt: skip
    """The disputes from their items, the recorded reasons (``RECORD_COLUMNS``) and the
    portfolio's AR and window sales (the same customers and entity as the items)."""
    recorded = records[["invoice_id", "reason", "status", "note"]]
    out = items.merge(recorded, on="invoice_id", how="left")
    out["reason"] = out["reason"].fillna(NO_REASON)
    out["status"] = out["status"].fillna("open")
    return Disputes(
        as_of=as_of, window_days=window_days, items=out,
        by_bucket=by_bucket(out, edges), by_reason=by_reason(out),
        ar_amount=float(ar_amount), sales_amount=float(sales_amount),
    )  # fmt: skip


def by_bucket(items: pd.DataFrame, edges: tuple[int, ...]) -> pd.DataFrame:
    """Per aging bucket (by days past due), in order: n_items and open_amount."""
    labels = bucket_labels(edges)
    grouped = items.groupby("bucket")["open_amount"]
    out = pd.DataFrame({"n_items": grouped.size(), "open_amount": grouped.sum()})
    out = out.reindex(range(len(labels)), fill_value=0).fillna(0.0)
    out.insert(0, "bucket_label", labels)
    out["n_items"] = out["n_items"].astype(int)
    return out.reset_index(drop=True)


def by_reason(items: pd.DataFrame) -> pd.DataFrame:
    """Per recorded reason: n_items and open_amount, largest amount first."""
    grouped = items.groupby("reason")["open_amount"]
    out = pd.DataFrame({"n_items": grouped.size().astype(int), "open_amount": grouped.sum()})
    out = out.rename_axis("reason").reset_index()
    return out.sort_values(["open_amount", "reason"], ascending=[False, True], ignore_index=True)


def disputes(
    engine: Engine, records: pd.DataFrame, *, as_of: date,
    edges: tuple[int, ...] = DEFAULT_BUCKET_EDGES, window_days: int = DEFAULT_WINDOW_DAYS,
    customer_filter: CustomerFilter = ALL_CUSTOMERS,
) -> Disputes:  # fmt: skip
    """The disputes as of ``as_of`` on ``engine`` (AR and sales from the portfolio, spec §7),
    for the command line and anyone without the page's cached metrics."""
    options = Options(as_of=as_of, edges=edges, window_days=window_days)
    metrics = portfolio_metrics(snapshot(engine, options, customer_filter))
    items = disputed_items(engine, as_of=as_of, edges=edges, customer_filter=customer_filter)
    return dispute_view(items, records, as_of=as_of, edges=edges, ar_amount=metrics.ar_total,
                        sales_amount=metrics.sales_window, window_days=window_days)  # fmt: skip


def records_in_ledger(engine: Engine, records: pd.DataFrame, *, as_of: date) -> pd.DataFrame:
    """Every dispute record with what the ledger says of its invoice as of ``as_of``
    (``ledger_state``: open and disputed, settled, no longer disputed, or orphaned) and its open
    amount there (0 when settled or orphaned). Nothing recorded is ever dropped."""
    ids = records["invoice_id"].astype(str).tolist()
    ledger = facts.collections_invoices(engine, as_of=as_of, invoice_ids=ids)
    found = ledger.set_index("invoice_id")
    out = records.assign(open_amount=records["invoice_id"].map(found["open_amount"]).fillna(0.0))
    disputed = records["invoice_id"].map(found["is_disputed"])
    is_open = out["open_amount"].abs() >= 0.005
    out["ledger_state"] = [
        ORPHANED if pd.isna(d) else SETTLED if not o else OPEN_DISPUTED if d else NOT_DISPUTED
        for d, o in zip(disputed, is_open, strict=True)
    ]  # fmt: skip
    return out


def dispute_summary(view: Disputes) -> dict:
    """The disputes as plain numbers (for JSON): count, amount, share of AR, the two DSOs and
    the amount per bucket label and per reason."""
    return {
        "count": view.n_items,
        "amount": round(view.open_amount, 2),
        "share_of_ar": view.share_of_ar,
        "dso": view.dso,
        "dso_without_disputed": view.dso_without_disputed,
        "by_bucket": {r.bucket_label: round(float(r.open_amount), 2)
                      for r in view.by_bucket.itertuples()},
        "by_reason": {r.reason: round(float(r.open_amount), 2)
                      for r in view.by_reason.itertuples()},
    }  # fmt: skip
