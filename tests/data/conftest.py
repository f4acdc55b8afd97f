"""Helpers to write tiny ledgers in a temporary folder.

`GOOD` is a small valid ledger (every file present). `ledger(**files)` writes it, with a
table's CSV text replaced by a keyword argument, or left out when the argument is None:

    folder = ledger(invoices=INVOICES_HEADER + "I1,C1,2024-01-05,2024-02-04,100\\n", orders=None)
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import Issue

GOOD = {
    "customers": """\
        customer_id,name,segment,group_id,credit_limit,payment_terms_days
        C1,Acme,SMB,G1,1000,30
        C2,Beta,Ent,,,45
        """,
    "invoices": """\
        invoice_id,customer_id,invoice_date,due_date,amount,currency,disputed,applies_to
        I1,C1,2024-01-05,2024-02-04,100.00,,false,
        I2,C2,2024-01-03,2024-02-02,50.00,EUR,true,
        CN1,C1,2024-01-10,2024-01-10,-20.00,,,I1
        """,
    "payments": """\
        payment_id,customer_id,payment_date,amount,currency,invoice_id
        P1,C1,2024-01-20,80.00,,I1
        P2,C2,2024-01-21,10.00,EUR,
        """,
    "fx_rates": """\
        currency,rate_date,rate
        EUR,2024-01-01,1.10
        EUR,2024-02-01,1.20
        """,
    "orders": """\
        order_id,customer_id,order_date,amount,currency,status
        O1,C1,2024-01-15,300.00,,Open
        """,
}


def write_csv(folder: Path, name: str, text: str) -> Path:
    """Write dedented `text` to `folder/name` and return the path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text))
    return path


def good_database(folder: Path, database: str = "data/ledger.duckdb") -> Path:
    """The `GOOD` ledger written to ``folder/good`` and loaded into ``folder/<database>``: the
    database a refused or killed load must leave byte for byte."""
    from data.loader import load_ledger

    for table, text in GOOD.items():
        write_csv(folder / "good", f"{table}.csv", text)
    path = folder / database
    load_ledger(folder / "good", path)
    return path


def header(table: str) -> str:
    """The header line of `table` in `GOOD` (with its newline)."""
    return textwrap.dedent(GOOD[table]).splitlines()[0] + "\n"


def find(issues: list[Issue], severity: str, file: str, column: str | None = None) -> list[Issue]:
    """The issues of `severity` about `file` (and `column`, when given)."""
    return [
        i
        for i in issues
        if i.severity == severity and i.file == file and (column is None or i.column == column)
    ]


@pytest.fixture
def ledger(tmp_path: Path) -> Callable[..., Path]:
    """Write the `GOOD` ledger to a folder, each table's CSV replaceable; returns the folder."""

    def make(**files: str | None) -> Path:
        folder = tmp_path / "ledger"
        for table, text in {**GOOD, **files}.items():
            if text is not None:
                write_csv(folder, f"{table}.csv", text)
        return folder

    return make
