"""Committee snapshots (spec §14): what the committee sees as of a date D, recorded once.

A snapshot holds the headline figures (the spec §7 JSON of
:func:`analytics.portfolio.report.portfolio_metrics`), one row per customer (balance, aging
buckets, overdue, exposure, limit, utilisation, assigned rating, ECL gross and net of
insurance, recommended limit, and from other models the behavioural PD and grade, the
collections stage and the warnings fired: :mod:`analytics.history.providers`), every document
open at D with its bucket, and where the ledger came from (source, load time, content hash).
Every figure is the one its own module defines; this module only gathers them.

The content hash is a SHA-256 of the ledger fingerprint (engines/sql/ledger_fingerprint.sql):
row counts, exact sums, first and last dates and a XOR of row hashes per loaded table. The
load time is not in it, so loading the same files again gives the same hash. Taking a snapshot
for a date and content already stored is a no-op (``take_snapshot`` looks before it computes).
Snapshots are computed consolidated (every legal entity), in the reporting currency, with the
default bucket edges, aging basis, DSO window and insurance coverage; the header records them.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import numpy as np
import pandas as pd

from analytics.history.providers import ModelColumns, model_columns
from analytics.metrics.aging import bucket_labels
from analytics.portfolio.ledger import ledger_info
from analytics.portfolio.report import metrics_json, portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.ecl import Ecl, EclOptions, expected_credit_loss
from analytics.risk.limits import add_months, recommended_limits
from core.constants import DEFAULT_CURRENCY
from core.errors import LedgerError
from engines import facts
from engines.base import Engine

METHOD_VERSION = 1  # what a snapshot holds and how; recorded with each one
HASH_CHARS = 16  # of the SHA-256, in hex: what the CLI prints and the page shows
EVERY = ("week", "month")
SETTINGS_KEYS = ("source", "loaded_at", "reporting_currency")  # not content
CUSTOMER_COLUMNS = [
    "customer_id", "customer_key", "name", "segment", "group_id", "risk_rating",
    "balance_amount", "open_amount", "current_amount", "overdue_amount", "disputed_amount",
    "unapplied_amount", "bucket_amounts", "exposure_amount", "credit_limit", "utilisation",
    "is_over_limit", "gross_ecl_amount", "net_ecl_amount", "recommended_limit", "pd", "grade",
    "stage", "warnings",
]  # fmt: skip
ITEM_COLUMNS = ["invoice_id", "customer_id", "bucket", "days_past_due", "open_amount",
                "is_disputed"]  # fmt: skip
Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Fingerprint:
    """Which ledger a snapshot is of: its content hash, and from ledger_settings where it was
    loaded from and when, and its reporting currency."""

    content_hash: str
    source: str | None = None
    loaded_at: str | None = None
    reporting_currency: str | None = None


def fingerprint_of(row: Mapping[str, Any]) -> Fingerprint:
    """The fingerprint of one ``facts.ledger_fingerprint`` row: a SHA-256 over its content
    columns (every column but the settings), in name order, as text.

    >>> a = fingerprint_of({"source": "x", "invoices_rows": 3, "invoices_xor": 7})
    >>> b = fingerprint_of({"source": "y", "invoices_rows": 3, "invoices_xor": 7})
    >>> a.content_hash == b.content_hash, len(a.content_hash)
    (True, 16)
    """
    content = {k: str(v) for k, v in sorted(row.items()) if k not in SETTINGS_KEYS}
    digest = hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()
    return Fingerprint(digest[:HASH_CHARS], *(row.get(k) for k in SETTINGS_KEYS))


def ledger_fingerprint(engine: Engine) -> Fingerprint:
    """The fingerprint of the whole ledger ``engine`` reads (every legal entity)."""
    return fingerprint_of(facts.ledger_fingerprint(engine.scoped(None)))


@dataclass(frozen=True)
class CommitteeSnapshot:
    """One snapshot: the as-of date, the ledger's fingerprint, the options its figures were
    computed with, the spec §7 headline JSON (reporting currency), the customers
    (``CUSTOMER_COLUMNS``; ``bucket_amounts`` a list per customer, youngest bucket first),
    the documents open at D (``ITEM_COLUMNS``) and notes on what other models did not give.
    ``snapshot_id``, ``taken_at`` and ``taken_by`` are set once it is stored."""

    as_of: date
    fingerprint: Fingerprint
    options: Options
    metrics: dict[str, Any]
    customers: pd.DataFrame
    items: pd.DataFrame
    notes: tuple[str, ...] = ()
    ledger: str | None = None  # the file or folder it was taken from
    seconds: float | None = None
    snapshot_id: int | None = None
    taken_at: Any = None
    taken_by: str | None = None

    @property
    def bucket_labels(self) -> list[str]:
        return bucket_labels(self.options.edges)

    @property
    def currency(self) -> str:
        return self.fingerprint.reporting_currency or self.metrics.get("currency") or "?"

    def header(self) -> dict[str, Any]:
        """The snapshot's one header row, as the store keeps it."""
        fp, o = self.fingerprint, self.options
        return {
            "as_of": self.as_of, "content_hash": fp.content_hash, "ledger": self.ledger,
            "source": fp.source, "loaded_at": fp.loaded_at,
            "reporting_currency": fp.reporting_currency, "bucket_edges": list(o.edges),
            "aging_basis": o.basis, "window_days": o.window_days,
            "insurance_coverage": o.coverage, "method_version": METHOD_VERSION,
            "metrics_json": json.dumps(self.metrics), "notes_json": json.dumps(self.notes),
            "n_customers": len(self.customers), "n_items": len(self.items),
            "seconds": self.seconds,
        }  # fmt: skip

    @classmethod
    def from_stored(
        cls, header: Mapping[str, Any], customers: pd.DataFrame, items: pd.DataFrame
    ) -> CommitteeSnapshot:
        """A snapshot read back from the store (its header row, customers and items)."""
        options = Options(
            as_of=_day(header["as_of"]), edges=tuple(int(e) for e in header["bucket_edges"]),
            basis=header["aging_basis"], window_days=int(header["window_days"]),
            coverage=float(header["insurance_coverage"]),
        )  # fmt: skip
        fp = Fingerprint(header["content_hash"], *(header.get(k) for k in SETTINGS_KEYS))
        return cls(
            as_of=options.as_of, fingerprint=fp, options=options,
            metrics=json.loads(header["metrics_json"]),
            customers=customers, items=items, notes=tuple(json.loads(header["notes_json"])),
            ledger=header.get("ledger"), seconds=header.get("seconds"),
            snapshot_id=int(header["snapshot_id"]), taken_at=header.get("taken_at_utc"),
            taken_by=header.get("taken_by"),
        )  # fmt: skip


def _day(value) -> date:
    return value if type(value) is date else pd.Timestamp(value).date()


def build_snapshot(
    engine: Engine,
    as_of: date,
    *,
    fingerprint: Fingerprint | None = None,
    ledger: str | None = None,
    progress: Progress | None = None,
    broken_promises: pd.DataFrame | None = None,
) -> CommitteeSnapshot:
    """Compute the snapshot as of ``as_of`` on the whole ledger (every entity).
    ``broken_promises``: what collectors recorded and was passed unmet at D
    (analytics.risk.promises.broken_promises; None: that warning is not evaluated)."""
    started, step = time.perf_counter(), progress or (lambda fraction, message: None)
    engine = engine.scoped(None)
    fp = fingerprint or ledger_fingerprint(engine)
    options = Options(as_of=as_of)
    step(0.05, "portfolio and headline figures")
    snap = snapshot(engine, options)
    currency = fp.reporting_currency or DEFAULT_CURRENCY
    metrics = metrics_json(portfolio_metrics(snap), snap, currency)
    step(0.15, "expected credit loss")
    ecl = expected_credit_loss(engine, EclOptions(as_of=as_of, edges=options.edges))
    models = model_columns(
        engine, as_of, snap.customers, _within(step, 0.25, 0.85), broken_promises
    )
    step(0.85, "recommended limits")
    limits = recommended_limits(engine, as_of, models.grades)
    step(0.92, "documents open at the date")
    items = facts.aging_open_items(engine, **options.bucket_params(), customer_keys=None)
    customers = customer_rows(snap.customers, ecl, limits, models, options.edges)
    step(1.0, "done")
    return CommitteeSnapshot(
        as_of=as_of, fingerprint=fp, options=options, metrics=metrics, customers=customers,
        items=item_rows(items), notes=models.notes, ledger=ledger,
        seconds=round(time.perf_counter() - started, 3),
    )  # fmt: skip


def _within(step: Progress, start: float, end: float) -> Progress:
    """A progress callback reporting a sub-step's 0..1 inside [start, end] of the whole."""
    return lambda fraction, message: step(start + (end - start) * fraction, message)


def customer_rows(
    customers: pd.DataFrame,
    ecl: Ecl,
    limits: pd.DataFrame,
    models: ModelColumns,
    edges: tuple[int, ...],
) -> pd.DataFrame:
    """One row per customer of the portfolio snapshot (``CUSTOMER_COLUMNS``): its own figures,
    the ECL summed over its entities (0 with nothing open, NaN when the ECL is undefined), the
    recommended limit (NaN without an invoice yet) and the other models' columns (None when
    that model did not run)."""
    labels = bucket_labels(edges)
    out = customers.drop(columns=["bucket_amounts"], errors="ignore").copy()
    out["bucket_amounts"] = out[labels].to_numpy(float).tolist()
    money = ["gross_ecl_amount", "net_ecl_amount"]
    by_customer = ecl.customers.groupby("customer_key")[money].sum(min_count=1)
    out = out.merge(by_customer, left_on="customer_key", right_index=True, how="left")
    if ecl.rates is not None:  # defined: nothing open is no loss
        out[money] = out[money].fillna(0.0)
    out = out.merge(limits[["customer_key", "recommended_limit"]], on="customer_key", how="left")
    for frame, columns in ((models.scores, ["pd", "grade"]), (models.stages, ["stage"]),
                           (models.warnings, ["warnings"])):  # fmt: skip
        if frame is None:
            out[columns] = None
        else:
            out = out.merge(frame[["customer_key", *columns]], on="customer_key", how="left")
    if models.warnings is not None:  # evaluated for everyone: none fired is an empty list
        out["warnings"] = [w if isinstance(w, list) else [] for w in out["warnings"]]
    out["is_over_limit"] = out["is_over_limit"].astype(bool)
    return out[CUSTOMER_COLUMNS].sort_values("customer_id", ignore_index=True)


def item_rows(items: pd.DataFrame) -> pd.DataFrame:
    """The documents open at D as a snapshot keeps them: the open amount is in the reporting
    currency (NaN for a document with no fx rate, left out of every total)."""
    out = items.rename(columns={"open_amount": "document_open_amount"})
    out = out.rename(columns={"open_amount_rc": "open_amount"})
    out["bucket"] = out["bucket"].astype(int)
    return out[ITEM_COLUMNS].reset_index(drop=True)


def bucket_table(snap: CommitteeSnapshot) -> pd.DataFrame:
    """The customers' bucket amounts as one column per bucket label (indexed by customer)."""
    labels = snap.bucket_labels
    values = np.array(
        [
            list(v) if v is not None else [np.nan] * len(labels)
            for v in snap.customers["bucket_amounts"]
        ],
        dtype=float,
    ).reshape(len(snap.customers), len(labels))
    return pd.DataFrame(values, columns=labels, index=snap.customers["customer_id"])


# --- taking snapshots -------------------------------------------------------------------------


class SnapshotSink(Protocol):
    """Where snapshots are kept (stores.snapshots.SnapshotStore)."""

    def find(self, as_of: date, content_hash: str) -> int | None:
        """The id of the snapshot of this date and content, None when there is none."""
        ...

    def save(
        self, header: Mapping[str, Any], customers: pd.DataFrame, items: pd.DataFrame
    ) -> tuple[int, bool]:
        """Keep a snapshot: its id and whether it was created (False: already there)."""
        ...


@dataclass(frozen=True)
class Taken:
    """The outcome of taking a snapshot: its id, date, content hash, and whether it was
    created now (False: one for the same date and content was there already)."""

    snapshot_id: int
    as_of: date
    content_hash: str
    created: bool

    def json(self) -> dict[str, Any]:
        status = "created" if self.created else "existed"
        return {"id": self.snapshot_id, "as_of": self.as_of.isoformat(),
                "hash": self.content_hash, "status": status}  # fmt: skip

    @property
    def message(self) -> str:
        if self.created:
            return f"Snapshot {self.snapshot_id} taken as of {self.as_of:%d %b %Y}."
        return (f"Nothing new: snapshot {self.snapshot_id} already holds {self.as_of:%d %b %Y} "
                f"on this ledger content ({self.content_hash}).")  # fmt: skip


def take_snapshot(
    engine: Engine,
    as_of: date,
    sink: SnapshotSink,
    *,
    ledger: str | None = None,
    progress: Progress | None = None,
    broken_promises: pd.DataFrame | None = None,
) -> Taken:
    """Take the snapshot as of ``as_of`` and keep it in ``sink``, unless one of the same date
    and ledger content is there: then nothing is computed or written."""
    check_date(engine, as_of)
    fp = ledger_fingerprint(engine)
    found = sink.find(as_of, fp.content_hash)
    if found is not None:
        return Taken(found, as_of, fp.content_hash, created=False)
    snap = build_snapshot(engine, as_of, fingerprint=fp, ledger=ledger, progress=progress,
                          broken_promises=broken_promises)  # fmt: skip
    snapshot_id, created = sink.save(snap.header(), snap.customers, snap.items)
    return Taken(snapshot_id, as_of, fp.content_hash, created)


def check_date(engine: Engine, as_of: date) -> None:
    """Refuse a date before the ledger's first document (nothing to record then)."""
    first = ledger_info(engine.scoped(None)).first_date
    if first is None or as_of < first:
        start = "has no documents" if first is None else f"starts on {first.isoformat()}"
        raise LedgerError(f"--as-of {as_of.isoformat()}: the ledger {start}")


def snapshot_dates(start: date, end: date, every: str) -> list[date]:
    """The dates of a backfill: ``start``, then every week (7 days) or every month (the same
    day of the month, kept within shorter months), up to and including ``end``.

    >>> snapshot_dates(date(2026, 1, 31), date(2026, 4, 30), "month")
    [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)]
    >>> len(snapshot_dates(date(2026, 1, 1), date(2026, 1, 15), "week"))
    3
    """
    if every not in EVERY:
        raise LedgerError(f"--every: one of {', '.join(EVERY)}, got {every!r}")
    if start > end:
        raise LedgerError(f"--from {start.isoformat()} is after --to {end.isoformat()}")
    dates, k = [], 0
    while (day := _step(start, every, k)) <= end:
        dates.append(day)
        k += 1
    return dates


def _step(start: date, every: str, k: int) -> date:
    return start + timedelta(days=7 * k) if every == "week" else add_months(start, k)


def take_snapshots(
    engine: Engine,
    dates: list[date],
    sink: SnapshotSink,
    *,
    ledger: str | None = None,
    progress: Progress | None = None,
    broken_promises_at: Callable[[date], pd.DataFrame | None] | None = None,
) -> Iterator[Taken]:
    """Take the snapshot of each date in turn (a backfill), yielding each outcome as it
    comes; progress is over the whole run ("3/52 2026-03-13: expected credit loss").
    ``broken_promises_at``: the broken promises as of a date (see ``build_snapshot``)."""
    step = progress or (lambda fraction, message: None)
    for i, day in enumerate(dates):
        label = f"{i + 1}/{len(dates)} {day.isoformat()}"
        within = _within(lambda f, m, label=label: step(f, f"{label}: {m}"),
                         i / len(dates), (i + 1) / len(dates))  # fmt: skip
        within(0.0, "fingerprint")
        broken = broken_promises_at(day) if broken_promises_at else None
        yield take_snapshot(engine, day, sink, ledger=ledger, progress=within,
                            broken_promises=broken)  # fmt: skip
