"""Limit-policy backtest: the last 12 months of invoices replayed, in date order, against
proposed credit limits.

Each positive invoice is an order tested against its customer's cap (proposed limit ×
(1 + tolerance)): exposure with the order = max(balance just before it, 0) + its amount
(spec §6, the order counting as an open order). Over the cap, the order is *flagged*; with
``action="block"`` it is also *blocked*: it never happens, so the customer's later balance
lacks what was still open of it (its amount less what was applied to it by then), which can
let a later order through.

Blocking makes each decision depend on the earlier ones. The replay walks the invoice days
in order (a loop per day, not per invoice): first the applications since the previous day
reduce what is still open of the blocked invoices, then the day's invoices are decided
together, whole-array, in rounds: each round recomputes every decision from the previous
round's decisions of the same customer's earlier invoices that day, until none changes
(round k settles at least the k-th invoice of each customer's day, and the fixed point is
the sequential answer).

Limits are not historised in the ledger, so the proposed limits (as of the as-of date) hold
for the whole year, and open orders of the past are unknown (only invoices are replayed).
Amounts are at invoice-date rates. "Went 90+ days past due" = still open 91 days after its
due date, known only for invoices due at least 91 days before the as-of date (matured).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from engines import facts
from engines.base import Engine
from engines.memo import per_engine

YEAR_DAYS = 365


@dataclass(frozen=True)
class BacktestBase:
    """The year's invoices and their applications: lever-independent, computed once."""

    as_of: date
    invoices: pd.DataFrame  # scenario_backtest_invoices.sql in date order (date, customer, key)
    customer: np.ndarray  # per invoice: dense customer index
    day_start: np.ndarray  # invoices of invoice day k are rows day_start[k]:day_start[k + 1]
    same_day_applied: np.ndarray  # per invoice: applied on its own invoice date
    app_owner: np.ndarray  # later applications (after the invoice date): invoice row,
    app_value: np.ndarray  # amount applied,
    app_start: np.ndarray  # and those to take in before invoice day k: app_start[k]:[k + 1]


def backtest_base(
    engine: Engine, as_of: date, customer_keys: list[int] | None = None
) -> BacktestBase:
    """The invoices of the year to ``as_of`` and their applications, in date order."""
    invoices, apps = year_invoices(engine, as_of)
    if customer_keys is not None:
        invoices = invoices[invoices["customer_key"].isin(customer_keys)]
        apps = apps[apps["customer_key"].isin(customer_keys)].reset_index(drop=True)
    invoices = invoices.sort_values(["invoice_date", "customer_key", "invoice_key"])
    invoices = invoices.reset_index(drop=True)
    row = pd.Series(np.arange(len(invoices)), index=invoices["invoice_key"].to_numpy())
    owner = row.reindex(apps["invoice_key"]).to_numpy(np.int64)
    inv_day = _days(invoices["invoice_date"])
    app_day = _days(apps["apply_date"])
    same = app_day == inv_day[owner]
    same_day = np.bincount(owner[same], apps["applied_amount"][same], len(invoices))
    days, day_start = np.unique(inv_day, return_index=True)
    later = np.flatnonzero(~same)
    later = later[np.argsort(app_day[later], kind="stable")]
    app_start = np.searchsorted(app_day[later], days, side="right")
    return BacktestBase(
        as_of, invoices, np.unique(invoices["customer_key"], return_inverse=True)[1],
        np.r_[day_start, len(invoices)], same_day, owner[later],
        apps["applied_amount"].to_numpy(float)[later], np.r_[0, app_start],
    )  # fmt: skip


def year_invoices(engine: Engine, as_of: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every customer's invoices of the year to ``as_of`` with their balance before each
    (scenario_backtest_invoices.sql) and their applications: the balance is a running sum per
    customer, the same for any customer filter, so both are kept per engine and date
    (engines.memo) and a filter keeps its customers' rows."""

    def compute() -> tuple[pd.DataFrame, pd.DataFrame]:
        params = {"start": as_of - timedelta(days=YEAR_DAYS), "as_of": as_of,
                  "customer_keys": None}  # fmt: skip
        return (facts.scenario_backtest_invoices(engine, **params),
                facts.scenario_backtest_applications(engine, **params))  # fmt: skip

    return per_engine(engine, "year_invoices", as_of, 1, compute)


def _days(dates: pd.Series) -> np.ndarray:
    return pd.to_datetime(dates).to_numpy().astype("datetime64[D]").astype(np.int64)


def _within_day(customer: np.ndarray, value: np.ndarray) -> np.ndarray:
    """Per row of one day (customer-ordered): Σ value of the same customer's earlier rows."""
    cum = np.cumsum(value) - value
    first = np.r_[True, customer[1:] != customer[:-1]]
    return cum - cum[np.maximum.accumulate(np.where(first, np.arange(len(cum)), 0))]


def decisions(base: BacktestBase, cap: np.ndarray, block: bool) -> tuple[np.ndarray, np.ndarray]:
    """(over-the-cap mask, exposure with the order) per invoice; ``cap`` per invoice row,
    NaN = no cap. Flagging needs no replay; blocking walks the days (a loop per day, whole
    arrays within it: the customers' blocked balances, then the day's invoices, settled by
    rounds over their same-day predecessors)."""
    inv = base.invoices
    balance = inv["balance_before_amount"].to_numpy(float)
    amount = inv["amount"].to_numpy(float)
    limit = np.where(np.isnan(cap), np.inf, cap) + 0.005
    if not block:
        exposure = np.maximum(balance, 0.0) + amount
        return exposure > limit, exposure
    over = np.zeros(len(inv), bool)
    exposure = np.zeros(len(inv))
    state = np.zeros(int(base.customer.max(initial=-1)) + 1)  # blocked, still open
    net = amount - base.same_day_applied
    for k in range(len(base.day_start) - 1):
        a = slice(base.app_start[k], base.app_start[k + 1])
        paid = base.app_value[a] * over[base.app_owner[a]]
        np.subtract.at(state, base.customer[base.app_owner[a]], paid)
        rows = slice(base.day_start[k], base.day_start[k + 1])
        c, day_over = base.customer[rows], np.zeros(rows.stop - rows.start, bool)
        while True:
            earlier = _within_day(c, net[rows] * day_over)
            e = np.maximum(balance[rows] - state[c] - earlier, 0.0) + amount[rows]
            new = e > limit[rows]
            if np.array_equal(new, day_over):
                break
            day_over = new
        over[rows], exposure[rows] = day_over, e
        np.add.at(state, c, net[rows] * day_over)
    return over, exposure


@dataclass(frozen=True)
class BacktestResult:
    action: str  # "block" or "flag"
    invoices: pd.DataFrame  # the invoices over the cap, with their exposure and cap
    n_tested: int  # invoices replayed (customers with a cap)
    tested_amount: float
    n_over: int
    over_amount: float
    n_customers: int
    defaulted_amount: float  # matured invoices of the year that went 90+ dpd (every customer)
    avoided_amount: float  # of which on invoices over the cap
    good_amount_over: float  # over-the-cap amount of matured invoices that did not go 90+

    @property
    def avoided_share(self) -> float | None:
        return self.avoided_amount / self.defaulted_amount if self.defaulted_amount > 0 else None


def replay(base: BacktestBase, caps: pd.Series, action: str) -> BacktestResult:
    """Replay the year against ``caps`` (per customer_key; NaN or missing = no cap)."""
    inv = base.invoices
    cap = caps.reindex(inv["customer_key"]).to_numpy(float)
    over, exposure = decisions(base, cap, action == "block")
    listed = inv.assign(exposure_amount=exposure, cap_amount=cap)[over].reset_index(drop=True)
    defaulted = inv["defaulted_amount"].fillna(0.0).to_numpy(float)
    matured = inv["is_matured"].to_numpy(bool)
    tested = ~np.isnan(cap)
    return BacktestResult(
        action=action,
        invoices=listed,
        n_tested=int(tested.sum()),
        tested_amount=float(inv["amount"][tested].sum()),
        n_over=int(over.sum()),
        over_amount=float(inv["amount"][over].sum()),
        n_customers=int(inv["customer_key"][over].nunique()),
        defaulted_amount=float(defaulted.sum()),
        avoided_amount=float(defaulted[over].sum()),
        good_amount_over=float(inv["amount"][over & matured & (defaulted < 0.005)].sum()),
    )
