"""The movement of the loss allowance between two dates (spec §9): opening, charge, closing.

Each date's allowance is the ECL as it stood then, with the loss rates calibrated as of that
date (or the same given rates at both): charge = closing − opening, so opening + charge =
closing by construction. Undefined at either date: the charge is undefined too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from analytics.risk.ecl import Ecl, EclOptions, expected_credit_loss
from core.errors import LedgerError
from engines.base import Engine


@dataclass(frozen=True)
class AllowanceMovement:
    opening_date: date
    closing_date: date
    opening: float | None
    charge: float | None  # closing − opening: > 0 a charge to profit, < 0 a release
    closing: float | None
    net_of_insurance: bool = False


def allowance_movement(
    opening: Ecl, closing: Ecl, *, net_of_insurance: bool = False
) -> AllowanceMovement:
    """Opening ECL, charge = closing − opening, closing ECL (gross, or net of insurance).

    >>> from types import SimpleNamespace as NS
    >>> a = NS(options=NS(as_of=date(2025, 1, 31)), total=100.0)
    >>> b = NS(options=NS(as_of=date(2025, 2, 28)), total=130.0)
    >>> allowance_movement(a, b).charge
    30.0
    """
    if closing.options.as_of <= opening.options.as_of:
        raise LedgerError(
            f"allowance movement: the opening date ({opening.options.as_of}) must be before"
            f" the closing date ({closing.options.as_of})"
        )
    first, last = (
        (opening.total_net_of_insurance, closing.total_net_of_insurance)
        if net_of_insurance
        else (opening.total, closing.total)
    )
    charge = None if first is None or last is None else last - first
    return AllowanceMovement(
        opening.options.as_of, closing.options.as_of, first, charge, last, net_of_insurance
    )


def ecl_at_two_dates(engine: Engine, options: EclOptions, opening_date: date) -> tuple[Ecl, Ecl]:
    """The ECL at ``opening_date`` and at ``options.as_of`` with the same options otherwise."""
    opening = expected_credit_loss(engine, replace(options, as_of=opening_date))
    return opening, expected_credit_loss(engine, options)
