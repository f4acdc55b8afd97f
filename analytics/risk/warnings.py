"""Early warnings (spec §12): which rules fire for which customers as of D, since when, and
why in words.

    evaluate(engine, D)               one date: the rules of RULES over customer_inputs at D
    warnings_with_history(engine, D)  the same, with each warning's first-seen date
    warnings_json(w)                  spec §15 "warnings": customers per rule, null = not available

First seen: the rules are evaluated again, with the same settings, at the month-ends before D
(up to ``FIRST_SEEN_MONTHS``, none before the ledger's first document); a warning firing at D
was first seen at the earliest of those dates from which it fired at every one of them up to
D, without a gap. When it fired at all 12, it may be older (``is_first_seen_bound``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from analytics.risk.warning_inputs import (
    NO_OTHER_INPUTS,
    OtherInputs,
    customer_inputs,
    with_other_inputs,
)
from analytics.risk.warning_rules import BY_NAME, NEEDS, RULE_NAMES, RULES, Rule
from analytics.risk.warning_settings import DEFAULT_SETTINGS, WarningSettings
from analytics.risk.warning_text import fields_of, render
from core.calendar import previous_month_end
from engines import facts
from engines.base import Engine

FIRST_SEEN_MONTHS = 12
FIRED_COLUMNS = ["customer_key", "rule", "first_seen_date", "is_first_seen_bound"]
ROW_COLUMNS = ["customer_id", "name", "warning", "balance_amount", "first_seen_date", "reason",
               "is_first_seen_bound", "value", "threshold", "segment", "risk_rating",
               "rule"]  # fmt: skip


@dataclass(frozen=True)
class Warnings:
    """The warnings as of ``as_of``. ``inputs``: one row per customer (index customer_key),
    what the rules read; ``fired``: one row per customer × rule fired (FIRED_COLUMNS; the
    first seen date is ``as_of`` until `with_first_seen` has looked back); ``available``:
    the rules evaluated (the others lack an input from another model)."""

    as_of: date
    settings: WarningSettings
    inputs: pd.DataFrame
    fired: pd.DataFrame
    available: tuple[str, ...]

    @property
    def not_available(self) -> tuple[str, ...]:
        return tuple(name for name in RULE_NAMES if name not in self.available)

    def counts(self, customer_keys: Collection[int] | None = None) -> dict[str, int | None]:
        """Customers each rule fires for (among ``customer_keys``; None = all), in the spec's
        order; None for a rule not available."""
        fired = self.fired
        if customer_keys is not None:
            fired = fired[fired["customer_key"].isin(customer_keys)]
        per_rule = fired.groupby("rule")["customer_key"].nunique()
        return {
            name: int(per_rule.get(name, 0)) if name in self.available else None
            for name in RULE_NAMES
        }


def available_rules(other: OtherInputs) -> tuple[str, ...]:
    """The rules whose inputs are all there."""
    have = {None} | ({"grades"} if other.has_grades else set())
    have |= {"promises"} if other.has_promises else set()
    return tuple(r.name for r in RULES if r.needs in have)


def evaluate(
    engine: Engine,
    as_of: date,
    settings: WarningSettings = DEFAULT_SETTINGS,
    other: OtherInputs = NO_OTHER_INPUTS,
    *,
    customers: pd.DataFrame | None = None,
) -> Warnings:
    """Every available rule at ``as_of`` over every customer the engine covers (spec §12).
    ``customers``: the portfolio snapshot's customer rows at ``as_of``, when already built."""
    inputs = customer_inputs(engine, as_of, settings.late_days, customers)
    return warnings_from(as_of, settings, with_other_inputs(inputs, other), available_rules(other))


def warnings_from(
    as_of: date, settings: WarningSettings, inputs: pd.DataFrame, available: Sequence[str]
) -> Warnings:
    """The rules in ``available`` applied to a per-customer input frame."""
    parts = [
        pd.DataFrame({"customer_key": inputs.index[rule.test(inputs, settings).to_numpy()],
                      "rule": rule.name})
        for rule in RULES
        if rule.name in available
    ]  # fmt: skip
    fired = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FIRED_COLUMNS)
    fired["customer_key"] = fired["customer_key"].astype(int)
    fired["first_seen_date"] = as_of
    fired["is_first_seen_bound"] = False
    return Warnings(as_of, settings, inputs, fired[FIRED_COLUMNS], tuple(available))


def history_dates(
    as_of: date, first_date: date | None, months: int = FIRST_SEEN_MONTHS
) -> list[date]:
    """The month-ends before ``as_of``, newest first: at most ``months``, none before
    ``first_date`` (the ledger's first document: nothing can fire before it)."""
    out, month_end = [], previous_month_end(as_of)
    while first_date is not None and len(out) < months and month_end >= first_date:
        out.append(month_end)
        month_end = previous_month_end(month_end)
    return out


def with_first_seen(
    current: Warnings, earlier: Sequence[Warnings], months: int = FIRST_SEEN_MONTHS
) -> Warnings:
    """``current`` with each warning's first-seen date: the oldest date of ``earlier``
    (consecutive month-ends, newest first) down to which it fired at every one of them.
    ``is_first_seen_bound``: it fired at all of them and they are ``months`` long (it may be
    older)."""
    fired = current.fired.copy()
    pairs = pd.MultiIndex.from_frame(fired[["customer_key", "rule"]])
    streak = pd.Series(True, index=fired.index)
    for past in earlier:
        streak &= pairs.isin(pd.MultiIndex.from_frame(past.fired[["customer_key", "rule"]]))
        fired.loc[streak, "first_seen_date"] = past.as_of
    fired["is_first_seen_bound"] = streak & (len(earlier) >= months)
    return replace(current, fired=fired)


def warnings_with_history(
    engine: Engine,
    as_of: date,
    settings: WarningSettings = DEFAULT_SETTINGS,
    other_at: Callable[[date], OtherInputs] | None = None,
    months: int = FIRST_SEEN_MONTHS,
) -> Warnings:
    """`evaluate` at ``as_of`` with the first-seen dates; ``other_at(d)`` supplies the other
    models' inputs at each date (None: not available at any)."""
    other_at = other_at or (lambda _: NO_OTHER_INPUTS)
    current = evaluate(engine, as_of, settings, other_at(as_of))
    first = facts.first_document_date(engine).get("first_date")
    earlier = [
        evaluate(engine, d, settings, other_at(d)) for d in history_dates(as_of, first, months)
    ]
    return with_first_seen(current, earlier, months)


def selected(
    w: Warnings,
    customer_keys: Collection[int] | None = None,
    rules: Collection[str] | None = None,
    min_balance_amount: float | None = None,
) -> pd.DataFrame:
    """The fired rows of the customers in ``customer_keys`` (None: all) whose balance is at
    least ``min_balance_amount`` (reporting currency), for the ``rules`` given (None: all)."""
    fired = w.fired
    if customer_keys is not None:
        fired = fired[fired["customer_key"].isin(customer_keys)]
    if rules is not None:
        fired = fired[fired["rule"].isin(rules)]
    if min_balance_amount is not None:
        balance = w.inputs["balance_amount"].reindex(fired["customer_key"]).to_numpy()
        fired = fired[balance >= min_balance_amount]
    return fired


def warning_rows(
    w: Warnings, fired: pd.DataFrame, currency: str, rate: float = 1.0
) -> pd.DataFrame:
    """One row per customer × warning (ROW_COLUMNS): the reason, value and threshold in
    words, money in the display currency (× ``rate``); largest balance first, then in the
    rules' order."""
    parts = [_rule_rows(w, BY_NAME[name], group, currency, rate)
             for name, group in fired.groupby("rule", sort=False)]  # fmt: skip
    if not parts:
        return pd.DataFrame(columns=ROW_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out["order"] = out["rule"].map(RULE_NAMES.index)
    out = out.sort_values(["balance_amount", "customer_id", "order"], ascending=[False, True, True])
    return out[ROW_COLUMNS].reset_index(drop=True)


def _rule_rows(
    w: Warnings, rule: Rule, fired: pd.DataFrame, currency: str, rate: float
) -> pd.DataFrame:
    keys = fired["customer_key"].to_numpy()
    out = w.inputs.loc[keys, ["customer_id", "name", "segment", "risk_rating", "balance_amount"]]
    out = out.reset_index(drop=True)
    out["balance_amount"] *= rate
    needed = {f for t in (rule.reason, rule.value) for f in fields_of(t) if f in w.inputs}
    records = w.inputs.loc[keys, sorted(needed)].to_dict("records")
    extra = {"previous_month_end": previous_month_end(w.as_of)}
    for part in ("reason", "value"):
        template = getattr(rule, part)
        out[part] = [render(template, {**r, **extra}, w.settings, currency, rate) for r in records]
    out["threshold"] = render(rule.threshold, {}, w.settings, currency, rate)
    out["warning"], out["rule"] = rule.label, rule.name
    out["first_seen_date"] = fired["first_seen_date"].to_numpy()
    out["is_first_seen_bound"] = fired["is_first_seen_bound"].to_numpy()
    return out


def rule_summary(w: Warnings, fired: pd.DataFrame) -> pd.DataFrame:
    """One row per rule: its label, the customers it fires for among ``fired`` (NaN when not
    available), when it fires (with the thresholds in force), what it needs when not
    available, and its name."""
    per_rule = fired.groupby("rule")["customer_key"].nunique()
    return pd.DataFrame(
        {
            "warning": [r.label for r in RULES],
            "customers": [
                float(per_rule.get(r.name, 0)) if r.name in w.available else float("nan")
                for r in RULES
            ],
            "condition": [render(r.condition, {}, w.settings, "") for r in RULES],
            "note": ["" if r.name in w.available else NEEDS[r.needs] for r in RULES],
            "rule": list(RULE_NAMES),
        }
    )


def customer_warnings(
    w: Warnings, customer_id: str, currency: str, rate: float = 1.0
) -> pd.DataFrame:
    """The warnings of one customer (the Customer page): ROW_COLUMNS rows, empty when none."""
    keys = w.inputs.index[w.inputs["customer_id"] == customer_id]
    return warning_rows(w, selected(w, customer_keys=keys), currency, rate)


def warnings_json(w: Warnings) -> dict[str, int | None]:
    """Spec §15 "warnings": the customers each rule fires for, null when not available."""
    return w.counts()
