"""A credit-policy scenario: a named set of lever settings applied to part of the portfolio.

Pure and serialisable: ``Scenario.from_json(text)`` validates once, at the boundary, and
raises ``ScenarioError`` naming the lever (``terms.days``, ``limits.multipliers.D``…) for
an unknown lever, a wrong type or a value out of range. Every lever's default means "no
change", so ``Scenario()`` is the baseline policy. The levers and what they do are in
docs/simulator.md; the simulator (analytics/simulator.py) applies them.

JSON shape (every key optional; missing keys take their defaults)::

    {"schema": "receivables-scenario/1", "name": "SMB to 60 days",
     "scope": {"segments": ["SMB"], "regions": [], "ratings": [], "customers": []},
     "terms": {"mode": "change", "days": 30},
     "sales": {"elasticity_pct_per_10_days": 2.0},
     "collection": {"late_reduction_pct": 25, "exclude_disputed": true},
     "limits": {"rule": "current", "months": 3, "multipliers": {"D": 0.5},
                "tolerance_pct": 10, "action": "block"},
     "economics": {"cost_of_capital_pct": 8, "gross_margin_pct": 25, "lgd_pct": 45,
                   "insurance_cover_pct": 90}}
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from core.constants import MAX_SCENARIO_NAME_LENGTH
from core.errors import LedgerError

SCHEMA = "receivables-scenario/1"
TERMS_MODES = ("change", "set")  # change the terms by N days, or set every term to N days
TERMS_CHANGE_RANGE = (-30, 90)
TERMS_SET_RANGE = (0, 180)
ELASTICITY_RANGE = (-50.0, 50.0)  # % sales change per +10 days of terms
PCT_RANGE = (0.0, 100.0)
COST_OF_CAPITAL_RANGE = (0.0, 50.0)
LIMIT_RULES = ("current", "months_of_sales")
LIMIT_MONTHS_RANGE = (0.5, 24.0)
MULTIPLIER_RANGE = (0.0, 5.0)
LIMIT_ACTIONS = ("flag", "block")
MAX_NAME_LENGTH = MAX_SCENARIO_NAME_LENGTH

# Lever → (lowest, highest) allowed: the checks below and the page's sliders read these.
BOUNDS: dict[str, tuple[float, float]] = {
    "terms.days.change": TERMS_CHANGE_RANGE,
    "terms.days.set": TERMS_SET_RANGE,
    "sales.elasticity_pct_per_10_days": ELASTICITY_RANGE,
    "collection.late_reduction_pct": PCT_RANGE,
    "limits.months": LIMIT_MONTHS_RANGE,
    "limits.multipliers": MULTIPLIER_RANGE,
    "limits.tolerance_pct": PCT_RANGE,
    "economics.cost_of_capital_pct": COST_OF_CAPITAL_RANGE,
    "economics.gross_margin_pct": PCT_RANGE,
    "economics.lgd_pct": PCT_RANGE,
    "economics.insurance_cover_pct": PCT_RANGE,
}


class ScenarioError(LedgerError):
    """A bad scenario (file, JSON or value): the message names the lever."""


def _as_floats(group: object, *names: str) -> None:
    """Whole numbers given in code for float levers become floats (one JSON spelling)."""
    for name in names:
        value = getattr(group, name)
        if isinstance(value, int) and not isinstance(value, bool):
            object.__setattr__(group, name, float(value))


@dataclass(frozen=True)
class Scope:
    """Customers the levers apply to; empty tuples mean "all" (within the sidebar's view)."""

    segments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    ratings: tuple[str, ...] = ()
    customers: tuple[str, ...] = ()  # customer_id


@dataclass(frozen=True)
class Terms:
    """``change``: every term moves by ``days`` (never below 0); ``set``: every term becomes
    ``days``."""

    mode: str = "change"
    days: int = 0


@dataclass(frozen=True)
class Sales:
    elasticity_pct_per_10_days: float = 0.0  # +2 = sales +2 % for every 10 days longer terms

    def __post_init__(self) -> None:
        _as_floats(self, "elasticity_pct_per_10_days")


@dataclass(frozen=True)
class Collection:
    late_reduction_pct: float = 0.0  # % off each customer's average days late
    exclude_disputed: bool = True  # disputed invoices keep their lateness

    def __post_init__(self) -> None:
        _as_floats(self, "late_reduction_pct")


@dataclass(frozen=True)
class Limits:
    """Proposed limit = (current limit, or ``months`` × average monthly sales) × the rating's
    multiplier; orders beyond it plus ``tolerance_pct`` are blocked or only flagged."""

    rule: str = "current"
    months: float = 3.0
    multipliers: tuple[tuple[str, float], ...] = ()  # (rating, multiplier), sorted; absent = 1
    tolerance_pct: float = 0.0
    action: str = "flag"

    def __post_init__(self) -> None:
        _as_floats(self, "months", "tolerance_pct")
        pairs = tuple(sorted((str(r), float(m)) for r, m in self.multipliers))
        object.__setattr__(self, "multipliers", pairs)

    def multiplier(self, rating: str) -> float:
        return dict(self.multipliers).get(rating, 1.0)

    @property
    def changes_limits(self) -> bool:
        return self.rule != "current" or any(m != 1.0 for _, m in self.multipliers)


@dataclass(frozen=True)
class Economics:
    """Assumptions, applied to the baseline and the scenario alike."""

    cost_of_capital_pct: float = 8.0
    gross_margin_pct: float = 25.0
    lgd_pct: float = 45.0
    insurance_cover_pct: float = 90.0

    def __post_init__(self) -> None:
        _as_floats(self, "cost_of_capital_pct", "gross_margin_pct", "lgd_pct",
                   "insurance_cover_pct")  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    name: str = "Untitled scenario"
    scope: Scope = field(default_factory=Scope)
    terms: Terms = field(default_factory=Terms)
    sales: Sales = field(default_factory=Sales)
    collection: Collection = field(default_factory=Collection)
    limits: Limits = field(default_factory=Limits)
    economics: Economics = field(default_factory=Economics)

    def __post_init__(self) -> None:
        validate(self)

    @property
    def changes_policy(self) -> bool:
        """False when every policy lever is at "no change" (economics are assumptions)."""
        neutral = replace(self, name=Scenario.name, scope=Scope(), economics=Economics())
        return neutral != Scenario()

    def to_dict(self) -> dict[str, Any]:
        out = {"schema": SCHEMA, **asdict(self)}
        out["limits"]["multipliers"] = dict(self.limits.multipliers)
        for key, values in out["scope"].items():
            out["scope"][key] = list(values)
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: Any, source: str = "scenario") -> Scenario:
        return from_dict(data, source)

    @classmethod
    def from_json(cls, text: str | bytes, source: str = "scenario") -> Scenario:
        try:
            data = json.loads(text, object_pairs_hook=_no_repeats(source))
        except ScenarioError:
            raise
        except UnicodeDecodeError as exc:
            raise ScenarioError(f"{source}: not UTF-8 text (save it as UTF-8)") from exc
        except ValueError as exc:
            raise ScenarioError(f"{source}: not valid JSON ({_clipped(str(exc))})") from exc
        return from_dict(data, source)


# --- parsing -------------------------------------------------------------------------------


def _clipped(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _no_repeats(source: str):
    """A json object hook refusing a key given twice (json keeps the last silently)."""

    def build(pairs: list[tuple[str, Any]]) -> dict:
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise ScenarioError(f"{source}: key {_clipped(key)} is given twice")
            seen.add(key)
        return dict(pairs)

    return build


GROUPS = {"scope": Scope, "terms": Terms, "sales": Sales, "collection": Collection,
          "limits": Limits, "economics": Economics}  # fmt: skip


def from_dict(data: Any, source: str = "scenario") -> Scenario:
    """A validated Scenario from parsed JSON; unknown levers and bad values raise."""
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: a scenario is a JSON object, got {type(data).__name__}")
    data = dict(data)
    schema = data.pop("schema", SCHEMA)
    if schema != SCHEMA:
        raise ScenarioError(f"{source}: schema must be {SCHEMA!r}, got {schema!r}")
    _no_unknown(data, {"name", *GROUPS}, "", source)
    parts: dict[str, Any] = {}
    if "name" in data:
        parts["name"] = _typed(data["name"], str, "name", source)
    for group, kind in GROUPS.items():
        if group in data:
            parts[group] = _group(kind, data[group], group, source)
    try:
        return Scenario(**parts)
    except ScenarioError as exc:
        raise ScenarioError(f"{source}: {exc}") from None


def _group(kind: type, raw: Any, group: str, source: str):
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: lever group {group!r} must be an object")
    names = {f.name: f for f in fields(kind)}
    _no_unknown(raw, set(names), f"{group}.", source)
    values = {}
    for key, value in raw.items():
        lever = f"{group}.{key}"
        default = getattr(kind(), key)
        if isinstance(default, tuple) and key == "multipliers":
            values[key] = _multipliers(value, lever, source)
        elif isinstance(default, tuple):
            values[key] = tuple(
                _typed(v, str, lever, source) for v in _typed(value, list, lever, source)
            )
        else:
            values[key] = _typed(value, type(default), lever, source)
    return kind(**values)


def _multipliers(raw: Any, lever: str, source: str) -> tuple[tuple[str, float], ...]:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: {lever} must be an object of rating: multiplier")
    return tuple(sorted((str(k), _typed(v, float, f"{lever}.{k}", source)) for k, v in raw.items()))


def _typed(value: Any, kind: type, lever: str, source: str):
    """``value`` as ``kind`` (ints accepted for floats, whole floats for ints, no bools as
    numbers), or a ScenarioError naming the lever."""
    ok = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if not ok:
        raise ScenarioError(
            f"{source}: lever {lever} must be {_KIND_NAMES[kind]}, got {_clipped(json.dumps(value))}"
        )
    return value


_KIND_NAMES = {int: "a whole number", float: "a number", bool: "true or false",
               str: "text", list: "a list"}  # fmt: skip


def _no_unknown(raw: dict, known: set[str], prefix: str, source: str) -> None:
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ScenarioError(
            f"{source}: unknown lever {prefix}{unknown[0]!s} "
            f"(known{' in ' + prefix[:-1] if prefix else ''}: {', '.join(sorted(known))})"
        )


# --- validation ------------------------------------------------------------------------------


def _check_range(value: float, bounds: tuple[float, float], lever: str, unit: str = "") -> None:
    lo, hi = bounds
    if not lo <= value <= hi:
        raise ScenarioError(f"lever {lever} must be between {lo:g} and {hi:g}{unit}, got {value:g}")


def _check_choice(value: str, choices: tuple[str, ...], lever: str) -> None:
    if value not in choices:
        raise ScenarioError(f"lever {lever} must be one of {', '.join(choices)}, got {value!r}")


def validate(s: Scenario) -> None:
    """Every lever within its range (raises ScenarioError naming the first one that is not)."""
    if not s.name.strip() or len(s.name) > MAX_NAME_LENGTH:
        raise ScenarioError(
            f"lever name must be 1 to {MAX_NAME_LENGTH} characters, got {_clipped(s.name)!r}"
        )
    _check_choice(s.terms.mode, TERMS_MODES, "terms.mode")
    _check_range(s.terms.days, BOUNDS[f"terms.days.{s.terms.mode}"], "terms.days", " days")
    _check_range(s.sales.elasticity_pct_per_10_days, BOUNDS["sales.elasticity_pct_per_10_days"],
                 "sales.elasticity_pct_per_10_days", " %")  # fmt: skip
    _check_range(s.collection.late_reduction_pct, BOUNDS["collection.late_reduction_pct"],
                 "collection.late_reduction_pct", " %")  # fmt: skip
    _check_choice(s.limits.rule, LIMIT_RULES, "limits.rule")
    _check_range(s.limits.months, BOUNDS["limits.months"], "limits.months", " months")
    for rating, m in s.limits.multipliers:
        _check_range(m, BOUNDS["limits.multipliers"], f"limits.multipliers.{rating}")
    _check_range(s.limits.tolerance_pct, BOUNDS["limits.tolerance_pct"], "limits.tolerance_pct", " %")  # fmt: skip
    _check_choice(s.limits.action, LIMIT_ACTIONS, "limits.action")
    for name, value in asdict(s.economics).items():
        _check_range(value, BOUNDS[f"economics.{name}"], f"economics.{name}", " %")
