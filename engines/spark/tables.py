"""The canonical ledger as Parquet: the tables a loaded DuckDB ledger holds (docs/architecture.md,
"The loaded database") read into Spark, each checked against its columns and types first.

A file with a missing column or a column of another type is refused with the same
file/column message as the DuckDB loader (`core.errors.Issue`), all problems at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import Issue, LedgerError

# table -> column -> Spark type name (DuckDB INTEGER = int, DOUBLE = double, DATE = date)
CANONICAL: dict[str, dict[str, str]] = {
    "ledger_settings": {"key": "string", "value": "string"},
    "customers": {
        "customer_key": "int", "customer_id": "string", "name": "string",
        "segment": "string", "region": "string", "country": "string", "industry": "string",
        "group_id": "string", "risk_rating": "string", "credit_limit": "double",
        "payment_terms_days": "int", "insured_limit": "double", "credit_limit_date": "date",
    },
    "invoices": {
        "invoice_key": "int", "invoice_id": "string", "customer_key": "int",
        "customer_id": "string", "invoice_date": "date", "due_date": "date", "amount": "double",
        "currency": "string", "disputed": "boolean", "applies_to": "string",
        "applies_to_key": "int", "write_off": "boolean", "entity": "string",
    },
    "payments": {
        "payment_key": "int", "payment_id": "string", "customer_key": "int",
        "customer_id": "string", "payment_date": "date", "amount": "double",
        "currency": "string", "invoice_id": "string", "invoice_key": "int", "entity": "string",
    },
    "fx_rates": {"currency": "string", "rate_date": "date", "rate": "double"},
    "orders": {
        "order_id": "string", "customer_key": "int", "customer_id": "string",
        "order_date": "date", "amount": "double", "currency": "string", "status": "string",
    },
}  # fmt: skip


def parquet_path(folder: Path | str, table: str) -> str:
    """Where table ``table`` of a canonical ledger folder is (a file or a folder of parts; the
    folder may be a URL such as s3a://bucket/ledger on a cluster)."""
    return f"{str(folder).rstrip('/')}/{table}.parquet"


def schema_issues(table: str, found: dict[str, str]) -> list[Issue]:
    """An issue per column of ``table`` missing from ``found`` (column -> type) or typed
    otherwise.

    >>> [str(i) for i in schema_issues("fx_rates", {"currency": "string", "rate": "string"})]
    ['fx_rates.parquet, column rate_date: required column is missing', \
'fx_rates.parquet, column rate: expected double, found string']
    """
    file = f"{table}.parquet"
    issues = []
    for column, expected in CANONICAL[table].items():
        if column not in found:
            issues.append(Issue("error", file, "required column is missing", column=column))
        elif found[column] != expected:
            message = f"expected {expected}, found {found[column]}"
            issues.append(Issue("error", file, message, column=column))
    return issues


def read_canonical(spark: Any, folder: Path | str) -> dict[str, Any]:
    """Every canonical table of ``folder`` as a DataFrame of exactly its columns; a missing
    file, column or a wrongly typed column is refused (LedgerError listing them all)."""
    frames, issues = {}, []
    for table in CANONICAL:
        path = parquet_path(folder, table)
        if not Path(path).exists() and "://" not in path:
            issues.append(Issue("error", f"{table}.parquet", "required file is missing"))
            continue
        frame = spark.read.parquet(path)
        found = {f.name: f.dataType.simpleString() for f in frame.schema.fields}
        wrong = schema_issues(table, found)
        issues += wrong
        if not wrong:
            frames[table] = frame.select(*CANONICAL[table])
    if issues:
        raise LedgerError.from_issues(issues)
    return frames
