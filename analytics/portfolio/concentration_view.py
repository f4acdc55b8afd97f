"""Concentration at customer, group, industry and region level, of balances or of uninsured
exposure: ranked shares, the Pareto curve, HHI and a segment → customer treemap (spec §5-§6).

What a "unit" holds at each level:

- customer: its balance B_c(D) (or its uninsured exposure);
- group: the sum of its members' balances, credits netted (spec §5 "the same at group level",
  as ``analytics.metrics.concentration.group_balances`` and the Overview's group figures do);
- industry / region: the sum of its customers' *positive* balances, so a credit balance at one
  customer does not hide exposure to another and the shares split the same total as the
  customer level. Uninsured exposure is never negative, so both rules agree for it.

Shares, top-N share and HHI are then taken over the units with a positive amount
(``analytics.metrics.concentration``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.metrics.aging import overdue_share_of
from analytics.metrics.concentration import (
    balance_shares,
    group_balances,
    hhi,
    hhi_reading,
    top_n_share,
)

LEVELS = {
    "customer": "customer_id",
    "group": "group_id",
    "industry": "industry",
    "region": "region",
}
MEASURES = {"balance": "balance_amount", "uninsured": "uninsured_amount"}
TREEMAP_COLUMNS = ["id", "parent", "label", "balance_amount", "overdue_share", "risk_rating"]


def unit_amounts(customers: pd.DataFrame, level: str, measure: str) -> pd.Series:
    """Amount held by each unit at ``level`` (see the module docstring), indexed by the unit."""
    amounts = customers[MEASURES[measure]]
    column = LEVELS[level]
    if level == "customer":
        return amounts.set_axis(customers[column])
    if level == "group":
        return group_balances(amounts, customers[column])
    return group_balances(amounts.clip(lower=0), customers[column])


def ranked_shares(amounts: pd.Series) -> pd.DataFrame:
    """Units with a positive amount, largest first: ``rank, unit, amount, share,
    cumulative_share`` (spec §5: s = amount / Σ positive amounts)."""
    shares = balance_shares(amounts)
    return pd.DataFrame(
        {
            "rank": np.arange(1, len(shares) + 1),
            "unit": shares.index.to_numpy(),
            "amount": amounts.loc[shares.index].to_numpy(dtype=float),
            "share": shares.to_numpy(dtype=float),
            "cumulative_share": shares.cumsum().to_numpy(dtype=float),
        }
    )


def top_units(customers: pd.DataFrame, level: str, measure: str, n: int) -> pd.DataFrame:
    """The ``n`` largest units of :func:`ranked_shares`, described: customers with their
    name, segment and rating; other levels with how many filtered customers they hold."""
    top = ranked_shares(unit_amounts(customers, level, measure)).head(n)
    column = LEVELS[level]
    if level == "customer":
        about = customers.set_index(column)[["name", "segment", "risk_rating"]]
    else:
        about = customers.groupby(column).size().rename("n_customers").to_frame()
    described = top.join(about, on="unit")
    return described[["rank", "unit", *about.columns, "amount", "share", "cumulative_share"]]


def pareto_curve(amounts: pd.Series) -> pd.DataFrame:
    """Cumulative share of the amount held by the largest x % of units (positive amounts only),
    from (0, 0) to (1, 1): columns ``unit_share, amount_share``. The diagonal is equality."""
    ranked = ranked_shares(amounts)
    n = len(ranked)
    if n == 0:
        return pd.DataFrame({"unit_share": [], "amount_share": []}, dtype=float)
    return pd.DataFrame(
        {
            "unit_share": np.r_[0.0, ranked["rank"].to_numpy() / n],
            "amount_share": np.r_[0.0, ranked["cumulative_share"].to_numpy()],
        }
    )


def concentration_summary(customers: pd.DataFrame, n: int) -> pd.DataFrame:
    """One row per level × measure: ``level, measure, n_units`` and ``total_amount`` (units
    with a positive amount and Σ of those amounts), ``top_n_share, hhi, reading`` (spec §5;
    None when nothing is positive)."""
    rows = []
    for measure in MEASURES:
        for level in LEVELS:
            amounts = unit_amounts(customers, level, measure)
            value = hhi(amounts)
            rows.append(
                {
                    "level": level,
                    "measure": measure,
                    "n_units": int((amounts > 0).sum()),
                    "total_amount": float(amounts[amounts > 0].sum()),
                    "top_n_share": top_n_share(amounts, n),
                    "hhi": value,
                    "reading": hhi_reading(value),
                }
            )
    return pd.DataFrame(rows)


def treemap_nodes(customers: pd.DataFrame) -> pd.DataFrame:
    """Portfolio → segment → customer nodes over customers with a positive balance.

    Columns ``id, parent, label, balance_amount, overdue_share, risk_rating``; a parent's
    balance is the sum of its children's and its overdue share is Σ overdue / Σ open of its
    customers (spec §3). Empty when no balance is positive.
    """
    held = customers[customers["balance_amount"] > 0]
    if held.empty:
        return pd.DataFrame(columns=TREEMAP_COLUMNS)
    money = ["balance_amount", "overdue_amount", "open_amount"]
    segments = held.groupby("segment", as_index=False)[money].sum()
    root = pd.DataFrame([{"segment": "", **held[money].sum()}])
    nodes = pd.concat(
        [
            root.assign(id="All customers", parent="", label="All customers", risk_rating=""),
            segments.assign(
                id=segments["segment"],
                parent="All customers",
                label=segments["segment"],
                risk_rating="",
            ),
            held.assign(
                id=held["segment"] + "/" + held["customer_id"],
                parent=held["segment"],
                label=held["name"],
            ),
        ],
        ignore_index=True,
    )
    nodes["overdue_share"] = overdue_share_of(nodes["overdue_amount"], nodes["open_amount"])
    return nodes[TREEMAP_COLUMNS]
