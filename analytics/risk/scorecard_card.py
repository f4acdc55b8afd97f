"""The application scorecard's settings file (spec §11, application scorecard): factors with
their bands or choices and points, grades A–E by total points with their terms, limits and
policy, and the staged granting of a new customer.

The default card is ``analytics/risk/scorecard.toml``; a ``scorecard.toml`` in the data folder
replaces it whole (``scorecard_in_force``). The file is read with tomllib and checked once,
here: bad TOML, a missing or unknown factor, grade or key, bands whose ``from`` does not
increase, negative points, grades whose points do not rise from E to A, an unknown policy…
each raise one ``LedgerError`` naming the file and the key (arrays count from 1, e.g.
``factors.years_trading.bands[2].points``). Nothing falls back to the default silently.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.errors import LedgerError

DEFAULT_CARD = Path(__file__).with_name("scorecard.toml")
CARD_FILE = "scorecard.toml"  # the data folder's copy, in force when present

BUREAU = "bureau"
BAND_FACTORS = ("years_trading", "equity_ratio", "current_ratio", "net_margin")
CHOICE_FACTORS = ("payment_references", "industry_risk")
FACTORS = ("years_trading", BUREAU, "equity_ratio", "current_ratio", "net_margin",
           "payment_references", "industry_risk")  # fmt: skip
GRADES = ("A", "B", "C", "D", "E")
POLICIES = {"credit": "On credit", "guarantee": "Needs a guarantee",
            "prepayment": "Prepayment only"}  # fmt: skip
NO_FILE = "none"  # the bureau "grade" of a company the bureau has no file on
DEFAULT_STAGING = {"share_pct": 50, "months": 6, "late_days": 15}  # spec §11 staged granting
DEFAULT_ROUND_TO = 1.0


@dataclass(frozen=True)
class Band:
    """Values from ``lower`` (included) up to the next band's lower edge give ``points``."""

    lower: float
    points: float
    review: bool = False


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    points: float
    review: bool = False


@dataclass(frozen=True)
class Factor:
    """A factor scored by bands of a number, by choices, or (the bureau) by either; ``upper``
    is the highest number it takes (the bureau's scale), None when open-ended."""

    name: str
    label: str
    bands: tuple[Band, ...] = ()
    choices: tuple[Choice, ...] = ()
    upper: float | None = None

    @property
    def max_points(self) -> float:
        return max(item.points for item in (*self.bands, *self.choices))

    def choice(self, value: str) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class GradeRule:
    """A grade's band of total points and what it is offered; ``limit_share`` is a fraction
    of the requested limit, None (like ``max_limit``) when the card leaves it out."""

    grade: str
    min_points: float
    terms_days: int
    max_limit: float | None
    limit_share: float | None
    policy: str


@dataclass(frozen=True)
class Staging:
    """A new customer gets ``share`` of its limit for ``months`` months (spec §11)."""

    share: float
    months: int
    late_days: int


@dataclass(frozen=True)
class Scorecard:
    source: Path
    is_default: bool
    currency: str
    factors: tuple[Factor, ...]  # in FACTORS order
    grades: tuple[GradeRule, ...]  # A first
    staging: Staging
    round_to: float

    def factor(self, name: str) -> Factor:
        return next(f for f in self.factors if f.name == name)

    def rule(self, grade: str) -> GradeRule:
        return next(g for g in self.grades if g.grade == grade)

    @property
    def max_points(self) -> float:
        return sum(f.max_points for f in self.factors)


def scorecard_path(data_dir: Path | str) -> Path:
    """The card in force for a data folder: its own scorecard.toml, else the default."""
    copy = Path(data_dir) / CARD_FILE
    return copy if copy.is_file() else DEFAULT_CARD


def scorecard_in_force(data_dir: Path | str) -> Scorecard:
    """The data folder's scorecard.toml when there is one (a bad one raises, naming it), else
    the default card."""
    return load_scorecard(scorecard_path(data_dir))


def load_scorecard(path: Path | str) -> Scorecard:
    """Read and check a scorecard file; one LedgerError naming the file and key if bad."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise LedgerError(f"{path}: cannot read the scorecard ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise LedgerError(f"{path}: not valid TOML ({exc})") from exc
    return scorecard_from(data, path)


def scorecard_from(data: Mapping, path: Path) -> Scorecard:
    """The checked card of a parsed file (``path`` names it in messages)."""
    check = _Checker(path)
    check.keys(data, "", required={"currency", "factors", "grades"},
               optional={"staging", "limits"})  # fmt: skip
    currency = data["currency"]
    if not (isinstance(currency, str) and len(currency) == 3 and currency.isalpha()):
        check.fail("currency", f"a three-letter currency code, got {currency!r}")
    factors = check.table(data["factors"], "factors")
    check.keys(factors, "factors", required=set(FACTORS), what="factor")
    card_factors = tuple(check.factor(name, factors[name]) for name in FACTORS)
    max_points = sum(f.max_points for f in card_factors)
    staging = check.table(data.get("staging", {}), "staging")
    check.keys(staging, "staging", optional=set(DEFAULT_STAGING))
    staging = {**DEFAULT_STAGING, **staging}
    limits = check.table(data.get("limits", {}), "limits")
    check.keys(limits, "limits", optional={"round_to"})
    return Scorecard(
        source=path,
        is_default=path.resolve() == DEFAULT_CARD.resolve(),
        currency=currency.upper(),
        factors=card_factors,
        grades=check.grades(check.table(data["grades"], "grades"), max_points),
        staging=Staging(
            share=check.number(staging["share_pct"], "staging.share_pct", low=0, high=100) / 100,
            months=int(check.number(staging["months"], "staging.months", low=1, integer=True)),
            late_days=int(
                check.number(staging["late_days"], "staging.late_days", low=0, integer=True)
            ),
        ),
        round_to=check.number(
            limits.get("round_to", DEFAULT_ROUND_TO), "limits.round_to", low=0, above_low=True
        ),  # fmt: skip
    )


class _Checker:
    """Checks pieces of one file; ``fail`` raises the one message naming the file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str):
        raise LedgerError(f"{self.path}: {key}: {problem}")

    def table(self, value, key: str) -> Mapping:
        if not isinstance(value, Mapping):
            self.fail(key, f"a table, got {value!r}")
        return value

    def keys(self, table: Mapping, key: str, *, required=frozenset(), optional=frozenset(),
             what: str = "key") -> None:  # fmt: skip
        """Unknown names first (a misspelt one is then named with the known ones), then
        missing ones."""
        prefix = f"{key}." if key else ""
        allowed = set(required) | set(optional)
        for name in table:
            if name not in allowed:
                self.fail(f"{prefix}{name}",
                          f"unknown {what} (known: {', '.join(sorted(allowed))})")  # fmt: skip
        for name in sorted(set(required) - set(table)):
            self.fail(f"{prefix}{name}", f"missing (the card must have this {what})")

    def number(self, value, key: str, *, low: float | None = None, high: float | None = None,
               integer: bool = False, above_low: bool = False) -> float:  # fmt: skip
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.fail(key, f"a number, got {value!r}")
        if integer and value != int(value):
            self.fail(key, f"a whole number, got {value!r}")
        if low is not None and (value < low or (above_low and value == low)):
            self.fail(key, f"must be {'above' if above_low else 'at least'} {low:g}, got {value:g}")
        if high is not None and value > high:
            self.fail(key, f"must be at most {high:g}, got {value:g}")
        return float(value)

    def points(self, value, key: str) -> float:
        points = self.number(value, key)
        if points < 0:
            self.fail(key, f"negative points ({points:g}): points are 0 or more")
        return points

    def factor(self, name: str, table) -> Factor:
        key = f"factors.{name}"
        table = self.table(table, key)
        label = table.get("label", name.replace("_", " ").capitalize())
        if not isinstance(label, str) or not label.strip():
            self.fail(f"{key}.label", f"a text, got {label!r}")
        if name in CHOICE_FACTORS:
            self.keys(table, key, required={"choices"}, optional={"label"})
            return Factor(name, label, choices=self.choices(table["choices"], f"{key}.choices"))
        if name in BAND_FACTORS:
            self.keys(table, key, required={"bands"}, optional={"label"})
            return Factor(name, label, bands=self.bands(table["bands"], f"{key}.bands"))
        self.keys(table, key, required={"bands", "score_max", "grades"},
                  optional={"label", "no_file"})  # fmt: skip
        return self.bureau(table, key, label)

    def bureau(self, table: Mapping, key: str, label: str) -> Factor:
        bands = self.bands(table["bands"], f"{key}.bands")
        upper = self.number(table["score_max"], f"{key}.score_max", low=bands[-1].lower,
                            above_low=True)  # fmt: skip
        grades = self.table(table["grades"], f"{key}.grades")
        self.keys(grades, f"{key}.grades", required=set(GRADES), what="grade")
        choices = [Choice(g, f"Grade {g}", self.points(grades[g], f"{key}.grades.{g}"))
                   for g in GRADES]  # fmt: skip
        if "no_file" in table:
            no_file = self.table(table["no_file"], f"{key}.no_file")
            self.keys(no_file, f"{key}.no_file", required={"points"}, optional={"review"})
            choices.append(Choice(NO_FILE, "No bureau file",
                                  self.points(no_file["points"], f"{key}.no_file.points"),
                                  self.flag(no_file.get("review", False), f"{key}.no_file.review")))  # fmt: skip
        return Factor(BUREAU, label, bands=bands, choices=tuple(choices), upper=upper)

    def flag(self, value, key: str) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"true or false, got {value!r}")
        return value

    def items(self, value, key: str) -> list[Mapping]:
        if not isinstance(value, list) or not value:
            self.fail(key, "a list of one or more entries")
        return [self.table(item, f"{key}[{n}]") for n, item in enumerate(value, start=1)]

    def bands(self, value, key: str) -> tuple[Band, ...]:
        bands = []
        for n, item in enumerate(self.items(value, key), start=1):
            where = f"{key}[{n}]"
            self.keys(item, where, required={"from", "points"}, optional={"review"})
            lower = item["from"]
            if not (n == 1 and lower == -math.inf):  # only the first band may start at -inf
                lower = self.number(lower, f"{where}.from")
            if bands and lower <= bands[-1].lower:
                self.fail(f"{where}.from", f"bands must increase: {lower:g} comes after "
                          f"{bands[-1].lower:g}")  # fmt: skip
            bands.append(Band(float(lower), self.points(item["points"], f"{where}.points"),
                              self.flag(item.get("review", False), f"{where}.review")))  # fmt: skip
        return tuple(bands)

    def choices(self, value, key: str) -> tuple[Choice, ...]:
        choices: list[Choice] = []
        for n, item in enumerate(self.items(value, key), start=1):
            where = f"{key}[{n}]"
            self.keys(item, where, required={"value", "label", "points"}, optional={"review"})
            text = item["value"]
            if not isinstance(text, str) or not text.strip():
                self.fail(f"{where}.value", f"a text, got {text!r}")
            if any(c.value == text for c in choices):
                self.fail(f"{where}.value", f"{text!r} is there twice")
            choices.append(Choice(text, str(item["label"]),
                                  self.points(item["points"], f"{where}.points"),
                                  self.flag(item.get("review", False), f"{where}.review")))  # fmt: skip
        return tuple(choices)

    def grades(self, table: Mapping, max_points: float) -> tuple[GradeRule, ...]:
        self.keys(table, "grades", required=set(GRADES), what="grade")
        rules = tuple(self.grade(g, self.table(table[g], f"grades.{g}")) for g in GRADES)
        for better, worse in zip(rules, rules[1:], strict=False):
            if better.min_points <= worse.min_points:
                self.fail(f"grades.{better.grade}.min_points", "grade bands must increase from "
                          f"E to A: {better.min_points:g} is not above grade {worse.grade}'s "
                          f"{worse.min_points:g}")  # fmt: skip
        if rules[-1].min_points != 0:
            self.fail("grades.E.min_points", "must be 0, so that every total has a grade")
        if rules[0].min_points > max_points:
            self.fail("grades.A.min_points", f"{rules[0].min_points:g} is more than the factors "
                      f"can give together ({max_points:g}): nobody could reach grade A")  # fmt: skip
        return rules

    def grade(self, grade: str, table: Mapping) -> GradeRule:
        key = f"grades.{grade}"
        self.keys(table, key, required={"min_points", "terms_days", "policy"},
                  optional={"max_limit", "limit_share_pct"})  # fmt: skip
        policy = table["policy"]
        if policy not in POLICIES:
            self.fail(f"{key}.policy", f"one of {', '.join(POLICIES)}, got {policy!r}")
        terms = int(self.number(table["terms_days"], f"{key}.terms_days", low=0, integer=True))
        if (policy == "prepayment") != (terms == 0):
            self.fail(f"{key}.terms_days", "0 days goes with the prepayment policy and only "
                      f"with it (policy {policy!r}, {terms} days)")  # fmt: skip
        limit, share = table.get("max_limit"), table.get("limit_share_pct")
        if limit is not None:
            limit = self.number(limit, f"{key}.max_limit", low=0)
        if share is not None:
            share = self.number(share, f"{key}.limit_share_pct", low=0, high=100) / 100
        points = self.points(table["min_points"], f"{key}.min_points")
        return GradeRule(grade, points, terms, limit, share, policy)
