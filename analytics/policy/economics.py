"""The money side of a credit policy: working capital, its financing cost, expected credit
loss and the profit bridge from the baseline to a scenario.

Rates are fractions here (0.08 for 8 %); the scenario's levers are percentages. Every
figure is per year in the reporting currency, in the steady state the simulator describes
(docs/simulator.md).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.metrics import limits

DEFAULT_DPD = 90  # "went 90+ days past due": still open more than 90 days after the due date
PD_FLOOR = 0.0003  # 0.03 %, the Basel III floor: no rating is treated as riskless
UNRATED = "(none)"


def working_capital(ar: float, gross_margin: float) -> float:
    """Working capital tied up in receivables = AR × (1 − gross margin).

    What the company has actually paid out for the goods in its receivables (their cost),
    the textbook "investment in receivables" (Brigham & Ehrhardt, credit policy).

    >>> working_capital(1_000_000, 0.25)
    750000.0
    """
    return ar * (1.0 - gross_margin)


def financing_cost(working_capital_amount: float, cost_of_capital: float) -> float:
    """Yearly cost of financing the working capital at the cost of capital.

    >>> financing_cost(750_000, 0.08)
    60000.0
    """
    return working_capital_amount * cost_of_capital


def expected_credit_loss(
    exposure: pd.Series,
    pd_rate: pd.Series,
    insured_limit: pd.Series,
    lgd: float,
    cover: float,
) -> pd.Series:
    """Per customer: PD × uninsured exposure × LGD.

    Uninsured exposure = exposure − min(exposure, insured limit) × cover (spec §6, with the
    scenario's insurance cover instead of the default 90 %). Exposure = max(balance, 0) +
    open orders, so it is never negative.
    """
    uninsured = limits.uninsured_exposure(exposure, insured_limit, cover)
    return pd_rate * uninsured * lgd


def gross_profit(sales: float, gross_margin: float) -> float:
    """Gross margin earned on a year's credit sales."""
    return sales * gross_margin


def net_profit(sales: float, gross_margin: float, financing: float, credit_loss: float) -> float:
    """Gross margin on sales − financing cost of the receivables − expected credit loss.

    >>> net_profit(4_000_000, 0.25, 60_000, 15_000)
    925000.0
    """
    return gross_profit(sales, gross_margin) - financing - credit_loss


# --- PD table --------------------------------------------------------------------------------


def pd_by_rating(history: pd.DataFrame, ratings: pd.Series) -> pd.DataFrame:
    """PD per rating from the ledger's own 90+ days-past-due history.

    Parameters
    ----------
    history : per customer (``customer_key``): ``defaulted_amount`` (undisputed invoice
        amount still open more than 90 days after its due date, for due dates in the 12
        months before the observation end) and ``month_end_ar_sum`` / ``n_month_ends`` (its
        AR summed over the month-ends of those 12 months, and how many there were), from
        ``analytics/sql/scenario_default_history.sql``.
    ratings : risk rating per customer_key.

    PD(r) = Σ defaulted amount of rating r ÷ average AR of rating r over the year: the share
    of a year's average exposure that went 90+ days past due within the year. A rating
    without AR history takes the whole portfolio's rate; every PD is at least PD_FLOOR and
    at most 1. Returns one row per rating: rating, defaulted_amount, average_ar_amount,
    pd, basis ("own history" / "portfolio rate" / "no history").
    """
    frame = history.set_index("customer_key").reindex(ratings.index).fillna(0.0)
    frame["rating"] = ratings.fillna(UNRATED)
    n = max(float(frame["n_month_ends"].max()), 0.0) if len(frame) else 0.0
    by = frame.groupby("rating")[["defaulted_amount", "month_end_ar_sum"]].sum()
    by["average_ar_amount"] = by["month_end_ar_sum"] / n if n > 0 else 0.0
    total_ar = by["average_ar_amount"].sum()
    portfolio = by["defaulted_amount"].sum() / total_ar if total_ar > 0 else np.nan
    own = by["average_ar_amount"] > 0
    by["pd"] = np.where(own, by["defaulted_amount"] / by["average_ar_amount"].where(own), portfolio)
    by["basis"] = np.where(own, "own history", "portfolio rate")
    if np.isnan(portfolio):
        by["pd"], by["basis"] = 0.0, "no history"
    else:
        by["pd"] = by["pd"].clip(PD_FLOOR, 1.0)
    return by.reset_index()[["rating", "defaulted_amount", "average_ar_amount", "pd", "basis"]]


PD_MODEL, PD_RATING = "behavioural model", "rating history"


def twelve_month_pd(six_month_pd: pd.Series) -> pd.Series:
    """The behavioural model's 6-month PD (spec §10) as the 12-month PD the simulator's yearly
    loss needs, assuming the same default hazard in both halves of the year:
    1 − (1 − PD6)². A customer in default (PD 1) stays at 1.

    >>> twelve_month_pd(pd.Series([0.0, 0.1, 0.5, 1.0])).round(4).tolist()
    [0.0, 0.19, 0.75, 1.0]
    """
    return 1.0 - (1.0 - six_month_pd) ** 2


def customer_pd(
    ratings: pd.Series, six_month_pd: pd.Series, pd_table: pd.DataFrame
) -> pd.DataFrame:
    """One PD per customer for the yearly expected loss: the behavioural model's PD made 12-month
    (``twelve_month_pd``) where the model scores the customer, else its rating's PD from
    ``pd_by_rating``; within [PD_FLOOR, 1] like the table. ``ratings`` and ``six_month_pd`` are
    indexed by customer_key (``six_month_pd`` NaN or absent = not scored). Returns pd and
    pd_basis (PD_MODEL / PD_RATING) on ``ratings``' index.
    """
    model = twelve_month_pd(six_month_pd.reindex(ratings.index).astype(float))
    by_rating = ratings.fillna(UNRATED).map(pd_table.set_index("rating")["pd"]).astype(float)
    scored = model.notna()
    values = model.where(scored, by_rating).fillna(0.0)
    values = values.where(values == 0.0, values.clip(PD_FLOOR, 1.0))
    return pd.DataFrame({"pd": values, "pd_basis": np.where(scored, PD_MODEL, PD_RATING)},
                        index=ratings.index)  # fmt: skip


def pd_summary(customers: pd.DataFrame, pd_table: pd.DataFrame) -> pd.DataFrame:
    """Per rating: the rating-history PD (``pd_by_rating``), how many customers take the model's
    PD and how many the rating's, and the exposure-weighted 12-month PD the simulator uses.
    ``customers`` has risk_rating, pd, pd_basis and exposure_amount."""
    c = customers.assign(rating=customers["risk_rating"].fillna(UNRATED),
                         on_model=customers["pd_basis"].eq(PD_MODEL),
                         weighted=customers["pd"] * customers["exposure_amount"].clip(lower=0))  # fmt: skip
    by = c.groupby("rating").agg(model_customers=("on_model", "sum"),
                                 rating_customers=("on_model", lambda s: int((~s).sum())),
                                 weighted=("weighted", "sum"),
                                 exposure=("exposure_amount", lambda s: s.clip(lower=0).sum()))  # fmt: skip
    by["used_pd"] = by["weighted"] / by["exposure"].where(by["exposure"] > 0)
    out = pd_table.merge(by.reset_index(), on="rating", how="outer")
    out[["model_customers", "rating_customers"]] = (
        out[["model_customers", "rating_customers"]].fillna(0).astype(int)
    )
    return out[["rating", "defaulted_amount", "average_ar_amount", "pd", "basis",
                "model_customers", "rating_customers", "used_pd"]]  # fmt: skip


# --- profit bridge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ProfitParts:
    """One side's yearly profit and what it is made of."""

    sales: float  # credit sales per year
    gross_margin: float  # fraction
    financing: float  # cost of the working capital in receivables
    credit_loss: float  # expected credit loss, net of insurance

    @property
    def profit(self) -> float:
        return net_profit(self.sales, self.gross_margin, self.financing, self.credit_loss)


BRIDGE_COLUMNS = ["step", "amount", "kind"]


def profit_bridge(
    baseline: ProfitParts, scenario: ProfitParts, sales_gained: float, sales_blocked: float
) -> pd.DataFrame:
    """Waterfall from the baseline's profit to the scenario's.

    Steps: margin on sales gained (elasticity; negative when shorter terms lose sales),
    margin lost on sales blocked by limits, extra financing cost, change in expected credit
    loss. They add up exactly to scenario − baseline profit when scenario sales =
    baseline sales + gained − blocked (the simulator's identity); any rounding residue is
    not hidden but shown as its own step ("other") when it exceeds a cent.
    """
    gm = scenario.gross_margin
    steps = [
        ("Baseline profit", baseline.profit, "absolute"),
        ("Margin on sales gained", sales_gained * gm, "relative"),
        ("Margin lost on sales blocked", 0.0 - sales_blocked * gm, "relative"),
        ("Extra financing cost", baseline.financing - scenario.financing, "relative"),
        ("Change in expected credit loss", baseline.credit_loss - scenario.credit_loss,
         "relative"),
    ]  # fmt: skip
    residue = scenario.profit - sum(amount for _, amount, _ in steps)
    if abs(residue) >= 0.01:
        steps.append(("Other", residue, "relative"))
    steps.append(("Scenario profit", scenario.profit, "total"))
    return pd.DataFrame(steps, columns=BRIDGE_COLUMNS)
