"""The portfolio as of a date at customer grain: the one place as-of SQL facts are joined.

Everything the metrics need grows with customers or periods here, not with invoices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from analytics.metrics import limits
from analytics.metrics.aging import bucket_labels, overdue_share_of, sql_edges
from analytics.metrics.sales import DailySales
from analytics.portfolio.trend import ar_parts_at_month_ends
from core.calendar import month_start, previous_month_end
from core.constants import (
    AGING_BASES,
    COUNTBACK_MAX_PERIODS,
    DEFAULT_BUCKET_EDGES,
    DEFAULT_INSURANCE_COVERAGE,
    DEFAULT_WINDOW_DAYS,
)
from core.errors import LedgerError
from core.filters import ALL_CUSTOMERS, CustomerFilter
from core.validation import validate_edges
from engines import facts
from engines.base import Engine


@dataclass(frozen=True)
class Options:
    """What a snapshot depends on besides the ledger; hashable so the UI can cache on it."""

    as_of: date
    edges: tuple[int, ...] = DEFAULT_BUCKET_EDGES
    basis: str = "due"
    window_days: int = DEFAULT_WINDOW_DAYS
    coverage: float = DEFAULT_INSURANCE_COVERAGE

    def __post_init__(self) -> None:
        validate_edges(self.edges)
        if self.basis not in AGING_BASES:
            raise LedgerError(
                f"aging basis must be one of {', '.join(AGING_BASES)}, got {self.basis!r}"
            )
        if not 1 <= self.window_days <= 3660:
            raise LedgerError(f"--window-days must be between 1 and 3660, got {self.window_days}")
        if not 0 <= self.coverage <= 1:
            raise LedgerError(
                f"insurance coverage must be between 0 and 100 %, got {self.coverage:.0%}"
            )

    def bucket_params(self) -> dict:
        """The as-of date, bucket edges and aging basis as the bucketed fact queries bind them."""
        return {"as_of": self.as_of, "edges": sql_edges(self.edges), "basis": self.basis}


@dataclass(frozen=True)
class Snapshot:
    options: Options
    customers: pd.DataFrame  # one row per customer, see customer_frame()
    daily_sales: DailySales  # portfolio daily sales, enough history for countback and CEI
    previous_month_end_ar: float  # AR(a) for CEI
    n_missing_rate: int

    @property
    def bucket_columns(self) -> list[str]:
        return bucket_labels(self.options.edges)


def snapshot(
    engine: Engine,
    options: Options,
    customer_filter: CustomerFilter = ALL_CUSTOMERS,
) -> Snapshot:
    """Build the customer-grain portfolio as of ``options.as_of`` for the filtered customers."""
    as_of = options.as_of
    dims = facts.customers(engine)
    keys = customer_filter.customer_keys(dims)
    buckets = facts.open_by_customer_bucket(engine, **options.bucket_params())
    if keys is not None:
        dims = dims[dims["customer_key"].isin(keys)]
        buckets = buckets[buckets["customer_key"].isin(keys)]
    history_start = month_start(as_of) - timedelta(days=31 * COUNTBACK_MAX_PERIODS + 1)
    start = min(history_start, as_of - timedelta(days=options.window_days))
    daily = facts.daily_sales_totals(engine, start=start, as_of=as_of, customer_keys=keys)
    return Snapshot(
        options=options,
        customers=customer_frame(engine, options, buckets, dims),
        daily_sales=DailySales.from_frame(daily),
        previous_month_end_ar=ar_at(engine, previous_month_end(as_of), keys),
        n_missing_rate=int(buckets["n_missing_rate"].sum()) if not buckets.empty else 0,
    )


def ar_at(engine: Engine, month_end: date, keys: list[int] | None = None) -> float:
    """AR at a month-end over the given customers (all when None)."""
    parts = ar_parts_at_month_ends(engine, [month_end], keys)[0]
    return parts["current_amount"] + parts["overdue_amount"] - parts["unapplied_amount"]


def customer_frame(
    engine: Engine, options: Options, buckets: pd.DataFrame, dims: pd.DataFrame
) -> pd.DataFrame:
    """One row per customer in ``dims``: open amounts by bucket, balance, sales, exposure."""
    as_of = options.as_of
    frame = dims.set_index("customer_key").join(_bucket_columns(buckets, options.edges))
    extra = [
        facts.unapplied_by_customer(engine, as_of=as_of),
        facts.sales_by_customer(
            engine, start=as_of - timedelta(days=options.window_days), as_of=as_of
        ),
        facts.open_orders_by_customer(engine, as_of=as_of),
    ]
    for part in extra:
        frame = frame.join(part.set_index("customer_key"))
    money = [c for c in frame.columns if c.endswith("_amount") or c in bucket_labels(options.edges)]
    frame[money] = frame[money].fillna(0.0).astype(float)
    return _derived_columns(frame, options)


def _bucket_columns(buckets: pd.DataFrame, edges: tuple[int, ...]) -> pd.DataFrame:
    labels = bucket_labels(edges)
    if buckets.empty:
        cols = [
            *labels,
            "open_amount",
            "current_amount",
            "overdue_amount",
            "disputed_amount",
            "n_open_items",
        ]
        return pd.DataFrame(columns=cols, dtype=float)
    wide = buckets.pivot_table(
        index="customer_key", columns="bucket", values="open_amount", aggfunc="sum", fill_value=0.0
    ).reindex(columns=range(len(labels)), fill_value=0.0)
    wide.columns = labels
    by_customer = buckets.groupby("customer_key")
    wide["open_amount"] = by_customer["open_amount"].sum()
    wide["overdue_amount"] = by_customer["overdue_amount"].sum()
    wide["current_amount"] = wide["open_amount"] - wide["overdue_amount"]
    disputed = buckets[buckets["is_disputed"]].groupby("customer_key")["open_amount"].sum()
    wide["disputed_amount"] = disputed.reindex(wide.index, fill_value=0.0)
    wide["n_open_items"] = by_customer["n_items"].sum()
    return wide


def _derived_columns(frame: pd.DataFrame, options: Options) -> pd.DataFrame:
    frame["n_open_items"] = frame["n_open_items"].fillna(0).astype(int)
    frame["balance_amount"] = frame["open_amount"] - frame["unapplied_amount"]
    frame["exposure_amount"] = limits.exposure(frame["balance_amount"], frame["open_orders_amount"])
    frame["utilisation"] = limits.utilisation(frame["exposure_amount"], frame["credit_limit"])
    frame["headroom_amount"] = limits.headroom(frame["exposure_amount"], frame["credit_limit"])
    frame["is_over_limit"] = (frame["utilisation"] > 1).fillna(False).astype(bool)
    frame["has_limit"] = (frame["credit_limit"] > 0).fillna(False).astype(bool)
    insured = limits.insured_part(
        frame["exposure_amount"], frame["insured_limit"], options.coverage
    )
    frame["insured_amount"] = insured
    frame["uninsured_amount"] = frame["exposure_amount"] - insured
    frame["overdue_share"] = overdue_share_of(frame["overdue_amount"], frame["open_amount"])
    return frame.reset_index()
