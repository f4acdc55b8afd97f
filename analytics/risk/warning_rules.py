"""The early-warning rules of spec §12 as data: one `Rule` entry each, so adding a rule is
adding one entry to ``RULES`` (and, when it reads a new figure, a column to the inputs).

A rule's ``test`` reads the per-customer input frame (analytics/risk/warning_inputs.py) and the
settings and says, per customer, whether it fires; ``condition``, ``reason``, ``value`` and
``threshold`` are templates whose fields are input columns (``VALUE_KINDS`` says how each
reads) or setting fields (read as their threshold's kind). Every test fires on the strict
side of its threshold only; figures equal to within rounding (1e-9) do not fire.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analytics.risk.warning_settings import WarningSettings

EPS = 1e-9  # relative: a figure equal to its threshold to within rounding is not above it

Test = Callable[[pd.DataFrame, WarningSettings], pd.Series]

# how an input column reads in a reason: money | pct | days | late (signed days late) |
# ratio | count | text | date
VALUE_KINDS = {
    "balance_amount": "money", "exposure_amount": "money", "credit_limit": "money",
    "insured_limit": "money", "headroom_amount": "money", "disputed_amount": "money",
    "late_item_amount": "money", "late_amount": "money", "last_30_sales_amount": "money",
    "prior_30_sales_amount": "money", "broken_promise_amount": "money",
    "late_item_days": "days", "slower_by_days": "days",
    "recent_late_days": "late", "norm_late_days": "late",
    "late_item_share": "pct", "disputed_share": "pct", "customer_share": "pct",
    "group_share": "pct", "utilisation": "pct",
    "spike_ratio": "ratio", "insured_ratio": "ratio",
    "n_late_items": "count", "n_broken_promises": "count", "grade_change": "count",
    "late_item_id": "text", "group_id": "text", "grade": "text", "previous_grade": "text",
    "previous_month_end": "date",
}  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """One early warning: its name (the JSON key), label, when it fires in words, the reason
    with the values that fired it, the short value and threshold cells, the input it needs
    from another model (None, "grades" or "promises") and its test."""

    name: str
    label: str
    condition: str
    reason: str
    value: str
    threshold: str
    test: Test
    needs: str | None = None


def above(value: pd.Series, threshold) -> pd.Series:
    """value > threshold, strictly (and beyond rounding); False where either is NaN."""
    gap = value - threshold
    return (gap > EPS * np.maximum(np.abs(threshold), 1.0)).fillna(False).astype(bool)


def at_least(value: pd.Series, threshold) -> pd.Series:
    """value ≥ threshold (to within rounding); False where either is NaN."""
    gap = value - threshold
    return (gap >= -EPS * np.maximum(np.abs(threshold), 1.0)).fillna(False).astype(bool)


def _late(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    # late_item_* is the largest item more than late_days past due (the query's threshold);
    # its share is NaN unless the balance is positive
    return at_least(f["late_item_share"], s.late_share)


def _slower(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    return above(f["slower_by_days"], s.slower_days)


def _spike(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    prior = f["prior_30_sales_amount"]
    return (prior > 0) & above(f["last_30_sales_amount"], s.spike_factor * prior)


def _over(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    return above(f["utilisation"], s.over_limit_utilisation)


def _near(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    return above(f["utilisation"], s.near_limit_utilisation) & ~_over(f, s)


def _downgrade(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    return above(f["grade_change"], s.downgrade_grades)


def _disputes(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    return above(f["disputed_share"], s.disputes_share)


def _concentration(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    # one row per customer: a customer over both thresholds still fires (and counts) once
    return above(f["customer_share"], s.concentration_customer_share) | above(
        f["group_share"], s.concentration_group_share
    )


def _uninsured(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    insured = f["insured_limit"] > 0
    return insured & above(f["exposure_amount"], s.uninsured_factor * f["insured_limit"])


def _broken(f: pd.DataFrame, s: WarningSettings) -> pd.Series:
    return above(f["n_broken_promises"], s.broken_promises)


USAGE = "of its credit limit of {credit_limit}"
RULES: tuple[Rule, ...] = (
    Rule("late_15", "Late item",
         "an open item is more than {late_days} past due and at least {late_share} of the "
         "customer's balance",
         "invoice {late_item_id} of {late_item_amount} is {late_item_days} past due, "
         "{late_item_share} of the balance of {balance_amount}",
         "{late_item_days} past due, {late_item_share} of balance",
         "> {late_days}, ≥ {late_share}", _late),
    Rule("slower", "Paying slower",
         "settlements of the last 90 days are on average more than {slower_days} later than in "
         "the 12 months before",
         "paid {slower_by_days} later than its 12-month norm of {norm_late_days}: "
         "{recent_late_days} on average over the last 90 days",
         "+{slower_by_days}", "> {slower_days}", _slower),
    Rule("purchase_spike", "Purchase spike",
         "credit sales of the last 30 days exceed {spike_factor} the average of the three "
         "30-day periods before (and that average is above 0)",
         "bought {last_30_sales_amount} in the last 30 days, {spike_ratio} its average of "
         "{prior_30_sales_amount} per 30 days over the 90 days before",
         "{spike_ratio}", "> {spike_factor}", _spike),
    Rule("over_limit", "Over limit",
         "utilisation (exposure ÷ credit limit) is above {over_limit_utilisation}",
         "exposure of {exposure_amount} is {utilisation} " + USAGE,
         "{utilisation}", "> {over_limit_utilisation}", _over),
    Rule("near_limit", "Near limit",
         "utilisation is above {near_limit_utilisation} and at most {over_limit_utilisation}",
         "exposure of {exposure_amount} is {utilisation} " + USAGE + ", {headroom_amount} left",
         "{utilisation}", "> {near_limit_utilisation}", _near),
    Rule("downgrade", "Grade downgrade",
         "the behavioural grade is more than {downgrade_grades} grade(s) worse than at the "
         "previous month-end",
         "behavioural grade {grade}, down from {previous_grade} at {previous_month_end}",
         "{previous_grade} → {grade}", "> {downgrade_grades} worse", _downgrade, "grades"),
    Rule("disputes", "Disputes",
         "the disputed open amount is above {disputes_share} of the customer's balance",
         "{disputed_amount} under dispute, {disputed_share} of the balance of {balance_amount}",
         "{disputed_share} of balance", "> {disputes_share}", _disputes),
    Rule("concentration", "Concentration",
         "the customer holds more than {concentration_customer_share} of all positive "
         "balances, or its group more than {concentration_group_share}",
         "holds {customer_share} of all positive balances; its group {group_id} holds "
         "{group_share}",
         "{customer_share}; group {group_share}",
         "> {concentration_customer_share}; group > {concentration_group_share}",
         _concentration),
    Rule("uninsured", "Uninsured",
         "an insured customer's exposure exceeds {uninsured_factor} its insured limit",
         "exposure of {exposure_amount} is {insured_ratio} its insured limit of "
         "{insured_limit}",
         "{insured_ratio}", "> {uninsured_factor}", _uninsured),
    Rule("broken_promise", "Broken promise",
         "more than {broken_promises} promise(s) to pay or plan instalment(s) passed their "
         "date unmet",
         "{n_broken_promises} promise(s) to pay passed their date unmet, "
         "{broken_promise_amount} not paid",
         "{n_broken_promises} broken", "> {broken_promises}", _broken, "promises"),
)  # fmt: skip
RULE_NAMES = tuple(r.name for r in RULES)
BY_NAME = {r.name: r for r in RULES}
NEEDS = {  # what a rule's missing input is called on the page
    "grades": "needs the behavioural grades (at the date and the month-end before)",
    "promises": "needs the recorded promises to pay",
}
