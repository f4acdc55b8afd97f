"""Month-over-month DSO bridge: the change in standard DSO split into a sales-volume part and a
collections (AR) part (standard DSO: spec §4; the split: docs/metrics.md, "DSO bridge")."""

from __future__ import annotations

import pandas as pd

from analytics.metrics.dso import standard_dso_of

BRIDGE_COLUMNS = [
    "month_end",
    "previous_month_end",
    "ar_previous",
    "ar",
    "sales_previous",
    "sales",
    "dso_previous",
    "dso",
    "dso_change",
    "sales_effect",
    "collections_effect",
]


def dso_bridge(trend: pd.DataFrame, window_days: int) -> pd.DataFrame:
    """Split each month's change in standard DSO into a sales effect and a collections effect.

    Parameters
    ----------
    trend : month-end frame, oldest first, with ``month_end``, ``ar_total`` (AR) and
        ``sales_window`` (S, credit sales in the N days to the month-end), as
        ``analytics.portfolio.trend.monthly_trend`` returns it.
    window_days : N, the DSO window the trend was computed with.

    Returns
    -------
    One row per month m that has a month m−1 before it (``len(trend) − 1`` rows), with
    DSO(m) = AR(m) / S(m) × N and

    - sales effect = AR(m−1) / S(m) × N − AR(m−1) / S(m−1) × N (AR held, sales move),
    - collections effect = (AR(m) − AR(m−1)) / S(m) × N (AR moves at the new sales level),

    which add up exactly to DSO(m) − DSO(m−1). A DSO is NaN when its month's S ≤ 0 (undefined,
    spec §4); the change and both effects are NaN when either month's is. The input is not
    changed.
    """
    ar = trend["ar_total"].astype(float).reset_index(drop=True)
    sales = trend["sales_window"].astype(float).reset_index(drop=True)
    usable = sales.where(sales > 0)
    ar_prev, sales_prev = ar.shift(1), usable.shift(1)
    defined = usable.notna() & sales_prev.notna()
    dso_prev = standard_dso_of(ar_prev, sales_prev, window_days)
    dso = standard_dso_of(ar, usable, window_days)
    out = pd.DataFrame(
        {
            "month_end": trend["month_end"].reset_index(drop=True),
            "previous_month_end": trend["month_end"].reset_index(drop=True).shift(1),
            "ar_previous": ar_prev,
            "ar": ar,
            "sales_previous": sales.shift(1),
            "sales": sales,
            "dso_previous": dso_prev,
            "dso": dso,
            "dso_change": dso - dso_prev,
            "sales_effect": (ar_prev / usable * window_days - dso_prev).where(defined),
            "collections_effect": ((ar - ar_prev) / usable * window_days).where(defined),
        },
        columns=BRIDGE_COLUMNS,
    )
    return out.iloc[1:].reset_index(drop=True)
