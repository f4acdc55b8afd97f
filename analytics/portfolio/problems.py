"""The customers a credit committee should look at first (Overview's "largest problems").

One row per customer, one ranking: customers that are overdue or over their credit limit,
largest *amount at issue* first, where the amount at issue is the larger of the overdue amount
(dpd ≥ 1, spec §3) and the excess of exposure over the limit (spec §6). Each measure keeps a
column of its own (a customer used to appear twice, once per list, with overdue share and
utilisation mixed in one column).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

RANKED_BY = "the larger of the overdue amount and the exposure above the credit limit"
PROBLEM_COLUMNS = [
    "customer_id",
    "name",
    "risk_rating",
    "at_issue_amount",
    "overdue_amount",
    "overdue_share",
    "over_limit_amount",
    "utilisation",
]


def over_limit_amount(customers: pd.DataFrame) -> pd.Series:
    """Exposure above the credit limit (−headroom) for over-limit customers, 0 otherwise."""
    return (-customers["headroom_amount"]).where(customers["is_over_limit"], 0.0).clip(lower=0.0)


def largest_problems(customers: pd.DataFrame, n: int = 5) -> pd.DataFrame:
    """The ``n`` customers with the largest amount at issue (RANKED_BY), one row each, with
    PROBLEM_COLUMNS; customers neither overdue nor over their limit are left out.

    ``customers`` is a snapshot's customer frame.
    """
    excess = over_limit_amount(customers)
    at_issue = np.maximum(customers["overdue_amount"].clip(lower=0.0), excess)
    frame = customers.assign(over_limit_amount=excess, at_issue_amount=at_issue)
    frame = frame[frame["at_issue_amount"] > 0]
    top = frame.sort_values(["at_issue_amount", "customer_id"], ascending=[False, True]).head(n)
    return top[PROBLEM_COLUMNS].reset_index(drop=True)
