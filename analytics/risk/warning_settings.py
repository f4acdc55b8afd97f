"""The early-warning thresholds (spec §12) as one frozen, validated setting.

Every threshold is a named field with the spec's default; ``THRESHOLDS`` says, once, which
rule reads it, what it measures, its kind and its range, so the page, the link and the
message of a bad value all read the same table. Shares and utilisation are fractions
(0.01 = 1 %); days and counts are whole numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from core.errors import LedgerError

KINDS = ("days", "share", "factor", "count")


@dataclass(frozen=True)
class Threshold:
    """One setting: the rule that reads it, what it measures ("days", "share of balance"),
    its kind (days | share | factor | count) and the largest value it takes (the smallest is
    0)."""

    field: str
    rule: str
    what: str
    kind: str
    high: float

    @property
    def name(self) -> str:
        """How messages and the page name it: 'late_15 days'."""
        return f"{self.rule} {self.what}"


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("late_days", "late_15", "days", "days", math.inf),
    Threshold("late_share", "late_15", "share of balance", "share", 1.0),
    Threshold("slower_days", "slower", "days", "days", math.inf),
    Threshold("spike_factor", "purchase_spike", "factor", "factor", 100.0),
    Threshold("over_limit_utilisation", "over_limit", "utilisation", "share", 10.0),
    Threshold("near_limit_utilisation", "near_limit", "utilisation", "share", 10.0),
    Threshold("downgrade_grades", "downgrade", "grades", "count", 3),
    Threshold("disputes_share", "disputes", "share of balance", "share", 1.0),
    Threshold("concentration_customer_share", "concentration", "customer share", "share", 1.0),
    Threshold("concentration_group_share", "concentration", "group share", "share", 1.0),
    Threshold("uninsured_factor", "uninsured", "exposure ÷ insured limit", "factor", 100.0),
    Threshold("broken_promises", "broken_promise", "count", "count", 1000),
)
BY_FIELD = {t.field: t for t in THRESHOLDS}


@dataclass(frozen=True)
class WarningSettings:
    """Thresholds of the early-warning rules (spec §12 defaults). Each rule fires on the
    strict side of its threshold only: ``late_days`` = 15 fires at 16 days past due, not 15.

    late_days, late_share: an open item more than ``late_days`` past due and at least
    ``late_share`` of the balance. slower_days: recent days late exceed the norm by more.
    spike_factor: last 30 days' sales above factor × the average of the 3 periods before.
    over_limit_utilisation / near_limit_utilisation: utilisation above the first / above the
    second and at most the first. downgrade_grades: grade worse by more than this many
    grades. disputes_share: disputed open amount above this share of the balance.
    concentration_*_share: share of positive balances above these. uninsured_factor:
    exposure above factor × insured limit. broken_promises: more broken promises than this.
    """

    late_days: int = 15
    late_share: float = 0.01
    slower_days: int = 15
    spike_factor: float = 1.3
    over_limit_utilisation: float = 1.0
    near_limit_utilisation: float = 0.9
    downgrade_grades: int = 0
    disputes_share: float = 0.10
    concentration_customer_share: float = 0.10
    concentration_group_share: float = 0.15
    uninsured_factor: float = 1.0
    broken_promises: int = 0

    def __post_init__(self) -> None:
        for f in fields(self):
            validate_threshold(f.name, getattr(self, f.name))
        if self.near_limit_utilisation >= self.over_limit_utilisation:
            raise LedgerError(
                f"{BY_FIELD['near_limit_utilisation'].name}: must be below over_limit's "
                f"{self.over_limit_utilisation:.0%}, got {self.near_limit_utilisation:.0%}"
            )

    def changed(self) -> dict[str, float]:
        """The fields away from the defaults (what a shared link needs to carry)."""
        default = WarningSettings()
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }


def validate_threshold(field: str, value) -> float:
    """``value`` checked against its threshold's kind and range; one LedgerError naming the
    setting otherwise, e.g. "late_15 days: must be a whole number ≥ 0, got -1".

    >>> validate_threshold("late_share", 0.05)
    0.05
    """
    t = BY_FIELD[field]
    whole = t.kind in ("days", "count")
    number = isinstance(value, int | float) and not isinstance(value, bool)
    ok = number and math.isfinite(value) and 0 <= value <= t.high
    if ok and whole:
        ok = float(value).is_integer()
    if not ok:
        raise LedgerError(f"{t.name}: {_rule_text(t)}, got {value!r}")
    return value


def _rule_text(t: Threshold) -> str:
    if t.kind == "days":
        return "must be a whole number ≥ 0"
    if t.kind == "count":
        return f"must be a whole number from 0 to {t.high:g}"
    if t.kind == "share":
        return f"must be from 0 to {t.high * 100:g} %"
    return f"must be a number from 0 to {t.high:g}"


DEFAULT_SETTINGS = WarningSettings()
