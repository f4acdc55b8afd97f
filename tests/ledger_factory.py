"""Tiny ledgers for tests: write spec §1 CSV files and load them through the real loader."""

from __future__ import annotations

import csv
from pathlib import Path

from data.loader import load_ledger
from data.schema import TABLES_BY_NAME
from engines.duckdb.engine import DuckDBEngine, connect


def write_ledger(folder: Path, **tables: list[dict]) -> Path:
    """Write each table (a list of row dicts with spec column names) as `<table>.csv`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        columns = TABLES_BY_NAME[name].column_names
        extra = [k for r in rows for k in r if k not in columns]
        header = columns + sorted(set(extra))
        with (folder / f"{name}.csv").open("w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return folder


def load(tmp_path: Path, currency: str = "USD", **tables: list[dict]) -> DuckDBEngine:
    """Write, load into `tmp_path/ledger.duckdb` and open it read-only."""
    folder = write_ledger(tmp_path / "ledger", **tables)
    db = tmp_path / "ledger.duckdb"
    load_ledger(folder, db, currency=currency)
    return connect(db)


def generated(folder: Path, invoices: int, seed: int) -> DuckDBEngine:
    """The sample generator's ledger of ``invoices`` invoices (``seed``), loaded into
    `folder/ledger.duckdb` and opened read-only."""
    from data.sample import generate_sample

    generate_sample(folder / "sample", invoices=invoices, seed=seed)
    load_ledger(folder / "sample", folder / "ledger.duckdb")
    return connect(folder / "ledger.duckdb")


def inv(invoice_id, customer_id, invoice_date, due_date, amount, **extra) -> dict:
    return {
        "invoice_id": invoice_id,
        "customer_id": customer_id,
        "invoice_date": invoice_date,
        "due_date": due_date,
        "amount": amount,
        **extra,
    }


def pay(payment_id, customer_id, payment_date, amount, invoice_id=None, **extra) -> dict:
    return {
        "payment_id": payment_id,
        "customer_id": customer_id,
        "payment_date": payment_date,
        "amount": amount,
        "invoice_id": invoice_id,
        **extra,
    }
