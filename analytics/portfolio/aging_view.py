"""Aging by group, the open items behind a group and the aging at past month-ends (spec §2-§3).

One rule on every page, in the CLI and in every export (spec §3): each open document, disputed
or not, is in exactly one bucket, so Σ buckets = open amount. The disputed part is shown, not
taken out: ``disputed_amount`` is "of which disputed" (all ages), and ``disputed <bucket>``
columns hold it per bucket. Unapplied cash is never aged (spec §3); it is a column of its own
and balance = open amount − unapplied cash (spec §2).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from analytics.metrics.aging import bucket_labels, overdue_share_of
from analytics.metrics.dso import none_if_nan
from analytics.portfolio.snapshot import Options
from core.calendar import month_ends
from core.constants import TREND_MONTHS
from engines import facts
from engines.base import Engine
from engines.memo import per_engine

MEMO_MONTH_ENDS = TREND_MONTHS + 1  # dates an engine keeps customer aging for (one history)
# page choice -> column of the snapshot's customer frame
GROUP_COLUMNS = {
    "customer": "customer_id",
    "segment": "segment",
    "region": "region",
    "rating": "risk_rating",
}
TOTAL_COLUMNS = [
    "disputed_amount",
    "open_amount",
    "overdue_amount",
    "unapplied_amount",
    "balance_amount",
]


def disputed_by_bucket(engine: Engine, options: Options) -> pd.DataFrame:
    """Disputed open amount per customer and bucket as of ``options.as_of`` (spec §3).

    Index ``customer_key`` (customers with disputed items only), one column per bucket label,
    reporting currency; buckets by ``options.edges`` and ``options.basis``.
    """
    rows = facts.open_by_customer_bucket(engine, **options.bucket_params())
    labels = bucket_labels(options.edges)
    disputed = rows[rows["is_disputed"]]
    wide = disputed.pivot_table(
        index="customer_key", columns="bucket", values="open_amount", aggfunc="sum"
    )
    wide = wide.reindex(columns=range(len(labels))).fillna(0.0)
    wide.columns = labels
    return wide


def disputed_columns(labels: list[str]) -> list[str]:
    """The per-bucket "of which disputed" columns of :func:`group_aging` and :func:`aging_at`.

    >>> disputed_columns(["current", "1-30"])
    ['disputed current', 'disputed 1-30']
    """
    return [f"disputed {label}" for label in labels]


def group_aging(
    customers: pd.DataFrame, disputed: pd.DataFrame, by: str, edges: tuple[int, ...]
) -> pd.DataFrame:
    """One row per value of ``by`` (customer, segment, region, rating), largest open first.

    Columns: ``group``, ``n_customers`` (``name`` instead for customers), ``n_open_items``, the
    open amount per bucket label (disputed included), then ``disputed_amount`` (of which
    disputed), ``open_amount, overdue_amount, overdue_share`` (overdue / open, NaN when open ≤
    0; spec §3), ``unapplied_amount``, ``balance_amount`` and the disputed part of each bucket
    (:func:`disputed_columns`). Groups with nothing open and no unapplied cash are left out.
    ``customers`` is a snapshot's customer frame, ``disputed`` the output of
    :func:`disputed_by_bucket` for the same options.
    """
    labels = bucket_labels(edges)
    column = GROUP_COLUMNS[by]
    keep = (customers["n_open_items"] > 0) | (customers["unapplied_amount"] != 0)
    frame = customers.loc[keep, [column, "customer_key", "n_open_items", *labels, *TOTAL_COLUMNS]]
    in_dispute = disputed.reindex(index=frame["customer_key"], columns=labels, fill_value=0.0)
    frame = frame.assign(n_customers=1)
    frame[disputed_columns(labels)] = in_dispute.to_numpy()
    out = frame.drop(columns="customer_key").groupby(column, as_index=False).sum()
    out = out.rename(columns={column: "group"})
    out["overdue_share"] = overdue_share_of(out["overdue_amount"], out["open_amount"])
    first = ["group", "n_customers"]
    if by == "customer":  # one customer per row: its name instead of a count
        first = ["group", "name"]
        out["name"] = out["group"].map(customers.set_index("customer_id")["name"])
    order = ["n_open_items", *labels, *TOTAL_COLUMNS[:3], "overdue_share", *TOTAL_COLUMNS[3:],
             *disputed_columns(labels)]  # fmt: skip
    out = out[[*first, *order]]
    return out.sort_values("open_amount", ascending=False, ignore_index=True)


def aging_totals(table: pd.DataFrame) -> dict[str, float]:
    """The portfolio line of a :func:`group_aging` table: every amount and count summed, and
    the overdue share of the total (None when nothing positive is open)."""
    summed = [c for c in table.columns if c not in ("group", "name", "overdue_share")]
    totals = {c: float(table[c].sum()) for c in summed}
    share = overdue_share_of(totals["overdue_amount"], totals["open_amount"])
    totals["overdue_share"] = none_if_nan(share)
    return totals


def group_customer_keys(customers: pd.DataFrame, by: str, value: str) -> list[int]:
    """Keys of the customers in ``customers`` whose ``by`` column equals ``value``."""
    chosen = customers[GROUP_COLUMNS[by]] == value
    return customers.loc[chosen, "customer_key"].astype(int).tolist()


def open_items_detail(
    engine: Engine, options: Options, customer_keys: list[int] | None
) -> pd.DataFrame:
    """Every document open at ``options.as_of`` for the given customers (all when None),
    largest open amount (reporting currency) first, with its bucket label (spec §2-§3).

    Columns: invoice_id, customer_id, customer_name, invoice_date, due_date, days_past_due,
    bucket, document_amount, currency, open_amount (document currency), open_amount_rc
    (reporting currency), is_disputed.
    """
    items = facts.aging_open_items(engine, **options.bucket_params(), customer_keys=customer_keys)
    labels = np.array(bucket_labels(options.edges), dtype=object)
    items["bucket"] = labels[items["bucket"].to_numpy(dtype=int)]
    return items


def aging_at(engine: Engine, options: Options, customer_keys: list[int] | None = None) -> dict:
    """Open amount per bucket label (disputed included), ``disputed_amount`` (of which
    disputed) and ``unapplied_amount`` over the given customers as of ``options.as_of``
    (reporting currency; spec §2-§3), from every customer's amounts at that date
    (``customer_aging_at``, kept per engine so that another customer filter only sums)."""
    labels = bucket_labels(options.edges)
    rows, unapplied = customer_aging_at(engine, options)
    if customer_keys is not None:
        rows = rows[rows["customer_key"].isin(customer_keys)]
        unapplied = unapplied[unapplied["customer_key"].isin(customer_keys)]
    every = rows.groupby("bucket")["open_amount"].sum()
    return {
        "month_end": options.as_of,
        **{label: float(every.get(i, 0.0)) for i, label in enumerate(labels)},
        "disputed_amount": float(rows.loc[rows["is_disputed"], "open_amount"].sum()),
        "unapplied_amount": float(unapplied["unapplied_amount"].sum()),
    }


def customer_aging_at(engine: Engine, options: Options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every customer's open amount per bucket and disputed flag (open_by_customer_bucket.sql)
    and unapplied cash at ``options.as_of``: the same for every customer filter, so kept per
    engine, date, basis and edges (engines.memo; MEMO_MONTH_ENDS of them, a history's worth)."""
    key = (options.as_of, options.basis, tuple(options.edges))

    def compute() -> tuple[pd.DataFrame, pd.DataFrame]:
        rows = facts.open_by_customer_bucket(engine, **options.bucket_params())
        unapplied = facts.unapplied_by_customer(engine, as_of=options.as_of)
        return (rows[["customer_key", "bucket", "is_disputed", "open_amount"]],
                unapplied[["customer_key", "unapplied_amount"]])  # fmt: skip

    return per_engine(engine, "customer_aging_at", key, MEMO_MONTH_ENDS, compute)


def aging_history(
    engine: Engine,
    options: Options,
    customer_keys: list[int] | None = None,
    months: int = TREND_MONTHS,
    start: date | None = None,
) -> pd.DataFrame:
    """:func:`aging_at` at each of the last ``months`` month-ends on or before
    ``options.as_of``, oldest first, with the same edges and basis. Month-ends before
    ``start`` (e.g. the ledger's first document date) are left out: nothing existed then."""
    ends = [e for e in month_ends(options.as_of, months) if start is None or e >= start]
    rows = [aging_at(engine, replace(options, as_of=end), customer_keys) for end in ends]
    columns = ["month_end", *bucket_labels(options.edges), "disputed_amount", "unapplied_amount"]
    return pd.DataFrame(rows, columns=columns)
