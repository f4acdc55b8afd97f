"""What the open ledger is: its reporting currency, dates and size, currencies, customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from core.errors import LedgerError
from engines import facts
from engines.base import Engine


@dataclass(frozen=True)
class LedgerInfo:
    reporting_currency: str
    first_date: date | None
    last_date: date | None
    n_documents: int
    n_customers: int
    n_payments: int
    open_at_end: bool = True  # a positive document is still open after the last activity
    last_settled_date: date | None = None  # when none is: the last day one was settled

    @property
    def last_open_date(self) -> date | None:
        """The latest day with receivables open at its end: the last activity date when
        something is still open then, else the day before the last settlement (a ledger
        export whose every invoice is paid says nothing about the days after it)."""
        if self.open_at_end or self.last_settled_date is None:
            return self.last_date
        return min(self.last_settled_date - timedelta(days=1), self.last_date or date.max)


def ledger_info(engine: Engine) -> LedgerInfo:
    """Reporting currency, date range and size of the open ledger, and (when nothing is open
    at its end) the last day something was settled."""
    row = facts.ledger_info(engine)
    if not row["open_at_end"]:  # rare and a scan: only then
        row |= facts.last_settled_date(engine)
    return LedgerInfo(**row)


def entity_names(engine: Engine) -> list[str]:
    """The ledger's legal entities (spec §8), by name; one when the ledger names none."""
    return facts.entities(engine.scoped(None))["entity"].tolist()


def for_entity(engine: Engine, entity: str | None, field: str = "entity") -> Engine:
    """``engine`` scoped to ``entity`` (None or "": consolidated). An unknown entity raises
    LedgerError naming ``field`` and the entities there are."""
    if not entity:
        return engine.scoped(None)
    names = entity_names(engine)
    if entity not in names:
        raise LedgerError(
            f"{field}: no entity {entity!r} in this ledger (it has: {', '.join(names)})"
        )
    return engine.scoped(entity)


def display_currencies(engine: Engine, as_of: date) -> list[str]:
    """Currencies the figures can be translated into on ``as_of`` (reporting one first)."""
    reporting = ledger_info(engine).reporting_currency
    others = [c for c in facts.currencies(engine, as_of=as_of)["currency"] if c != reporting]
    return [reporting, *others]


def customer_dimensions(engine: Engine) -> pd.DataFrame:
    """The customer dimension (id, name, segment, region, rating, group, limits)."""
    return facts.customers(engine)
