"""The canonical ledger (spec §1): tables, columns, types, which are required.

Used by validation, the loader, the sample generator and the docs. Types are the
DuckDB types of the loaded tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.constants import DEFAULT_CURRENCY as DEFAULT_CURRENCY  # one home: core


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # VARCHAR | DATE | DOUBLE | INTEGER | BOOLEAN
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    key: str | None
    columns: tuple[Column, ...]
    required_file: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


CUSTOMERS = Table(
    "customers",
    "customer_id",
    (
        Column("customer_id", "VARCHAR", True),
        Column("name", "VARCHAR"),
        Column("segment", "VARCHAR"),
        Column("region", "VARCHAR"),
        Column("country", "VARCHAR"),
        Column("industry", "VARCHAR"),
        Column("group_id", "VARCHAR"),
        Column("risk_rating", "VARCHAR"),
        Column("credit_limit", "DOUBLE"),
        Column("payment_terms_days", "INTEGER"),
        Column("insured_limit", "DOUBLE"),
        Column("credit_limit_date", "DATE"),  # spec §8: when the limit was last set or reviewed
    ),
)

INVOICES = Table(
    "invoices",
    "invoice_id",
    (
        Column("invoice_id", "VARCHAR", True),
        Column("customer_id", "VARCHAR", True),
        Column("invoice_date", "DATE", True),
        Column("due_date", "DATE", True),
        Column("amount", "DOUBLE", True),
        Column("currency", "VARCHAR"),
        Column("disputed", "BOOLEAN"),
        Column("applies_to", "VARCHAR"),
        Column("write_off", "BOOLEAN"),  # spec §8: a credit note that writes the debt off
        Column("entity", "VARCHAR"),  # spec §8: the selling legal entity
    ),
    required_file=True,
)

PAYMENTS = Table(
    "payments",
    "payment_id",
    (
        Column("payment_id", "VARCHAR", True),
        Column("customer_id", "VARCHAR", True),
        Column("payment_date", "DATE", True),
        Column("amount", "DOUBLE", True),
        Column("currency", "VARCHAR"),
        Column("invoice_id", "VARCHAR"),
        Column("entity", "VARCHAR"),  # spec §8: the legal entity the payment was made to
    ),
)

FX_RATES = Table(
    "fx_rates",
    None,
    (
        Column("currency", "VARCHAR", True),
        Column("rate_date", "DATE", True),
        Column("rate", "DOUBLE", True),
    ),
)

ORDERS = Table(
    "orders",
    "order_id",
    (
        Column("order_id", "VARCHAR", True),
        Column("customer_id", "VARCHAR", True),
        Column("order_date", "DATE", True),
        Column("amount", "DOUBLE", True),
        Column("currency", "VARCHAR"),
        Column("status", "VARCHAR"),
    ),
)

TABLES: tuple[Table, ...] = (CUSTOMERS, INVOICES, PAYMENTS, FX_RATES, ORDERS)
TABLES_BY_NAME = {t.name: t for t in TABLES}
