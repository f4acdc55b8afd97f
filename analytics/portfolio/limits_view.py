"""Credit-limit views of a snapshot's customer frame (spec §6): who is over limit, who has no
limit, utilisation and insurance by rating. Inputs are ``Snapshot.customers``; nothing here
changes its input."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.metrics import limits

OVER_LIMIT_COLUMNS = [
    "customer_id",
    "name",
    "risk_rating",
    "credit_limit",
    "exposure_amount",
    "utilisation",
    "headroom_amount",
]
NO_LIMIT_COLUMNS = [
    "customer_id",
    "name",
    "risk_rating",
    "balance_amount",
    "open_orders_amount",
    "exposure_amount",
]
RATING_COLUMNS = [
    "risk_rating",
    "n_customers",
    "n_limited",
    "n_over_limit",
    "limited_exposure_amount",
    "credit_limit",
    "utilisation",
    "exposure_amount",
    "insured_amount",
    "uninsured_amount",
]


@dataclass(frozen=True)
class LimitSummary:
    """The page's cards: spec §6 over the whole selection."""

    utilisation: float | None  # Σ exposure of limited customers / Σ their limits
    n_limited: int
    n_over_limit: int
    n_no_limit_with_exposure: int
    exposure_amount: float  # every customer, limited or not
    insured_amount: float
    uninsured_amount: float


def limit_summary(customers: pd.DataFrame) -> LimitSummary:
    """Portfolio utilisation, over-limit count and exposure split into insured and uninsured."""
    c = customers
    return LimitSummary(
        utilisation=limits.portfolio_utilisation(c["exposure_amount"], c["credit_limit"]),
        n_limited=int(c["has_limit"].sum()),
        n_over_limit=int(c["is_over_limit"].sum()),
        n_no_limit_with_exposure=len(no_limit_exposure(c)),
        exposure_amount=float(c["exposure_amount"].sum()),
        insured_amount=float(c["insured_amount"].sum()),
        uninsured_amount=float(c["uninsured_amount"].sum()),
    )


def limited_utilisation(customers: pd.DataFrame) -> pd.Series:
    """Utilisation (exposure / limit) of each customer with a limit > 0, unsorted."""
    return customers.loc[customers["has_limit"], "utilisation"].astype(float)


def over_limit(customers: pd.DataFrame) -> pd.DataFrame:
    """Customers with utilisation > 1; headroom = limit − exposure (negative); most over first."""
    over = customers[customers["is_over_limit"]].sort_values("headroom_amount")
    return over[OVER_LIMIT_COLUMNS].reset_index(drop=True)


def no_limit_exposure(customers: pd.DataFrame) -> pd.DataFrame:
    """Customers without a limit (the no-limit class) that carry exposure; largest first."""
    rows = customers[~customers["has_limit"] & (customers["exposure_amount"] > 0)]
    return rows.sort_values("exposure_amount", ascending=False)[NO_LIMIT_COLUMNS].reset_index(
        drop=True
    )


def by_rating(customers: pd.DataFrame) -> pd.DataFrame:
    """Per risk rating: customers, limited and over-limit counts, utilisation of the limited
    customers (Σ exposure / Σ limit) and exposure split into insured and uninsured parts."""
    c = customers.assign(
        limited_exposure_amount=customers["exposure_amount"].where(customers["has_limit"], 0.0),
        credit_limit=customers["credit_limit"].where(customers["has_limit"], 0.0),
    )
    grouped = c.groupby("risk_rating", sort=True)
    out = grouped.agg(
        n_customers=("customer_id", "size"),
        n_limited=("has_limit", "sum"),
        n_over_limit=("is_over_limit", "sum"),
        limited_exposure_amount=("limited_exposure_amount", "sum"),
        credit_limit=("credit_limit", "sum"),
        exposure_amount=("exposure_amount", "sum"),
        insured_amount=("insured_amount", "sum"),
        uninsured_amount=("uninsured_amount", "sum"),
    ).reset_index()
    limit = out["credit_limit"].where(out["credit_limit"] > 0)
    out["utilisation"] = out["limited_exposure_amount"] / limit
    return out[RATING_COLUMNS]
