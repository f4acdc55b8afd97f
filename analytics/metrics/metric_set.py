"""The metric set: measures defined once, every headline metric defined once on top of them.

The portfolio figures (spec §7 JSON), a month-end trend row, a breakdown row per segment or
customer (and later a snapshot row or a Spark result) are the same set at another grain or
date: a frame with one row per grain value and the MEASURES columns goes in, the METRICS
columns come out, vectorised, NaN where a metric is undefined.

Measures (reporting currency; spec §2-§4):

========================  ====================================================================
``ar_current``            open amounts not yet due at D (dpd ≤ 0)
``ar_overdue``            open amounts past due at D (dpd ≥ 1)
``ar_unapplied``          unapplied cash at D (cash on account)
``ar_total``              AR(D) = open documents − unapplied cash
``sales_window``          credit sales S(D − N, D], N = the DSO window
``ar_opening``            AR(a) at the previous month-end a (CEI's opening balance)
``sales_period``          credit sales S(a, D] (CEI's period sales)
========================  ====================================================================

Countback DSO needs each row's month-by-month sales, which differ by grain; it is defined
once in :func:`analytics.metrics.dso.countback_dso` and applied per row by
:func:`countback_days`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from analytics.metrics import dso
from analytics.metrics.aging import overdue_share_of
from analytics.metrics.cei import collection_effectiveness_index_of
from analytics.metrics.dso import standard_dso_of

MEASURES = (
    "ar_current",
    "ar_overdue",
    "ar_unapplied",
    "ar_total",
    "sales_window",
    "ar_opening",
    "sales_period",
)
METRICS = ("overdue_share", "dso_standard", "dso_best_possible", "add", "cei")


def metric_set(measures: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """The METRICS columns for every row of a frame holding the MEASURES columns.

    Open amounts are ``ar_current + ar_overdue``; the DSO window is ``window_days``. Best
    possible DSO is standard DSO of the current AR; ADD is their difference (spec §4).

    >>> row = dict(ar_current=600.0, ar_overdue=400.0, ar_unapplied=0.0, ar_total=1_000.0,
    ...            sales_window=3_000.0, ar_opening=900.0, sales_period=1_100.0)
    >>> metric_set(pd.DataFrame([row]), 90).round(4).iloc[0].to_dict()
    {'overdue_share': 0.4, 'dso_standard': 30.0, 'dso_best_possible': 18.0, 'add': 12.0, 'cei': 71.4286}
    """
    m = {name: measures[name].to_numpy(dtype=float) for name in MEASURES}  # numpy: no
    standard = standard_dso_of(m["ar_total"], m["sales_window"], window_days)  # pandas cost
    best = standard_dso_of(m["ar_current"], m["sales_window"], window_days)  # best possible
    return pd.DataFrame(
        {
            "overdue_share": overdue_share_of(m["ar_overdue"], m["ar_current"] + m["ar_overdue"]),
            "dso_standard": standard,
            "dso_best_possible": best,
            "add": standard - best,  # average days delinquent
            "cei": collection_effectiveness_index_of(
                m["ar_opening"], m["sales_period"], m["ar_total"], m["ar_current"]
            ),
        },
        index=measures.index,
    )


def countback_days(
    ar: Iterable[float], periods: Iterable[Sequence[tuple[float, int]]]
) -> tuple[np.ndarray, np.ndarray]:
    """Countback DSO per row (spec §4) and whether it is a lower bound: ``periods`` holds each
    row's ``(sales, days)`` inputs, most recent period first (see :func:`dso.countback_dso`).

    >>> days, bound = countback_days([2_000.0], [[(200, 31), (400, 31), (600, 30), (700, 31), (500, 30)]])
    >>> round(float(days[0]), 6), bool(bound[0])
    (129.0, False)
    """
    results = [dso.countback_dso(float(a), list(p)) for a, p in zip(ar, periods, strict=True)]
    days = np.array([np.nan if r.days is None else r.days for r in results], dtype=float)
    return days, np.array([r.is_lower_bound for r in results], dtype=bool)
