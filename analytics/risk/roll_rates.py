"""Roll rates (spec §9): where the amount in each aging bucket at one month-end is at the next,
a diagnostic matrix beside the loss rates (not used in the expected credit loss).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analytics.metrics.aging import bucket_labels
from analytics.risk.loss_rates import Calibration

COLLECTED = "collected"
WRITTEN_OFF = "written off"


def roll_amounts(cal: Calibration, edges: Sequence[int]) -> pd.DataFrame:
    """Σ over the calibration month-ends of the amount in bucket b (rows) that is in bucket b'
    at the next month-end, or was collected, or written off by then (columns), in reporting
    currency at each month-end's closing rate. Every bucket is a row and a column."""
    labels = bucket_labels(edges)
    columns = [*labels, COLLECTED, WRITTEN_OFF]
    frame = cal.outcomes
    if frame.empty:
        return pd.DataFrame(0.0, index=pd.Index(labels, name="bucket"), columns=columns)
    staying = frame.dropna(subset=["next_bucket"]).pivot_table(
        index="bucket", columns="next_bucket", values="next_open_amount", aggfunc="sum"
    )
    staying = staying.reindex(index=range(len(labels)), columns=range(len(labels)))
    by_bucket = frame.groupby("bucket")[["open_amount", "next_open_amount",
                                         "next_written_off_amount"]].sum()  # fmt: skip
    by_bucket = by_bucket.reindex(range(len(labels)))
    out = staying.fillna(0.0)
    out.columns = labels
    out[WRITTEN_OFF] = by_bucket["next_written_off_amount"].fillna(0.0)
    out[COLLECTED] = (by_bucket["open_amount"] - by_bucket["next_open_amount"]
                      - by_bucket["next_written_off_amount"]).fillna(0.0)  # fmt: skip
    out.index = pd.Index(labels, name="bucket")
    return out[columns]


def roll_rates(cal: Calibration, edges: Sequence[int]) -> pd.DataFrame:
    """Share of the amount in bucket b at a month-end that is in bucket b', collected or
    written off at the next, amount-weighted over the calibration month-ends (spec §9). Each
    row adds up to 1; a bucket that never held an amount is a row of NaN."""
    amounts = roll_amounts(cal, edges)
    totals = amounts.sum(axis=1)
    return amounts.div(totals.where(totals > 0), axis=0)
