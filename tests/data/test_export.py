"""Export of a loaded ledger: spec §1 columns, and CSV that loads again to the same figures."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from data import export
from data.loader import load_ledger
from data.schema import TABLES
from tests.ledger_factory import inv, load, pay

NAMES = [t.name for t in TABLES]

# Two customers, USD reporting currency, one EUR invoice; leading zeros in an id, a credit
# note against an invoice, applied and unapplied cash, a disputed invoice, an open order.
CUSTOMERS = [
    {"customer_id": "C1", "name": "Acme", "group_id": "G1", "credit_limit": 1000,
     "payment_terms_days": 30},
    {"customer_id": "C2"},  # name and group default to the id
]  # fmt: skip
INVOICES = [  # not in key order in the file: the export sorts by key
    inv("CN1", "C1", "2024-01-12", "2024-01-12", -20.00, applies_to="0001"),
    inv("0002", "C2", "2024-01-10", "2024-02-09", 200.00, currency="EUR", disputed="yes"),
    inv("0001", "C1", "2024-01-05", "2024-02-04", 100.00),
]
PAYMENTS = [
    pay("P2", "C2", "2024-01-25", 30.00, currency="EUR"),  # unapplied
    pay("P1", "C1", "2024-01-20", 50.00, "0001"),
]
FX_RATES = [
    {"currency": "EUR", "rate_date": "2024-01-01", "rate": 1.10},
    {"currency": "EUR", "rate_date": "2024-01-20", "rate": 1.20},
]
ORDERS = [{"order_id": "O1", "customer_id": "C1", "order_date": "2024-01-15", "amount": 300,
           "status": "Open"}]  # fmt: skip
AS_OF = date(2024, 1, 31)


@pytest.fixture
def con(tmp_path: Path):
    con = load(tmp_path / "original", customers=CUSTOMERS, invoices=INVOICES, payments=PAYMENTS,
               fx_rates=FX_RATES, orders=ORDERS)  # fmt: skip
    yield con.con
    con.close()


def csv_frame(con, table: str) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(export.csv_bytes(con, table)), dtype=str, keep_default_na=False)


def test_every_table_has_the_spec_columns_in_order_and_no_internal_keys(con):
    for table in TABLES:
        assert list(csv_frame(con, table.name).columns) == table.column_names


def test_values_are_the_loaded_ones_in_key_order(con):
    invoices = csv_frame(con, "invoices")
    # key order = invoice_date, invoice_id; empty currency = USD; empty disputed = false;
    # empty write_off = false; empty entity = the default entity (spec §8)
    assert invoices.to_dict("records") == [
        {"invoice_id": "0001", "customer_id": "C1", "invoice_date": "2024-01-05",
         "due_date": "2024-02-04", "amount": "100.0", "currency": "USD", "disputed": "false",
         "applies_to": "", "write_off": "false", "entity": "default"},
        {"invoice_id": "0002", "customer_id": "C2", "invoice_date": "2024-01-10",
         "due_date": "2024-02-09", "amount": "200.0", "currency": "EUR", "disputed": "true",
         "applies_to": "", "write_off": "false", "entity": "default"},
        {"invoice_id": "CN1", "customer_id": "C1", "invoice_date": "2024-01-12",
         "due_date": "2024-01-12", "amount": "-20.0", "currency": "USD", "disputed": "false",
         "applies_to": "0001", "write_off": "false", "entity": "default"},
    ]  # fmt: skip
    customers = csv_frame(con, "customers")
    assert customers[["customer_id", "name", "group_id"]].values.tolist() == [
        ["C1", "Acme", "G1"],
        ["C2", "C2", "C2"],
    ]
    assert csv_frame(con, "orders")["status"].tolist() == ["open"]
    assert csv_frame(con, "payments")["invoice_id"].tolist() == ["0001", ""]


def test_exported_csv_loads_again_to_the_same_ledger_and_metrics(con, tmp_path: Path):
    folder = tmp_path / "exported"
    folder.mkdir()
    for name in NAMES:
        (folder / f"{name}.csv").write_bytes(export.csv_bytes(con, name))
    load_ledger(folder, tmp_path / "again.duckdb")
    from engines.duckdb.engine import DuckDBEngine, connect

    again = connect(tmp_path / "again.duckdb")
    try:
        for name in NAMES:  # a fixed point: exporting the reloaded ledger gives the same files
            assert export.csv_bytes(again.con, name) == export.csv_bytes(con, name), name
        before = portfolio_metrics(snapshot(DuckDBEngine(con), Options(as_of=AS_OF)))
        after = portfolio_metrics(snapshot(again, Options(as_of=AS_OF)))
    finally:
        again.close()
    # AR at 2024-01-31: 0001 open 100 - 20 (CN1) - 50 (P1) = 30 USD; 0002 open 200 EUR x 1.20
    # = 240; unapplied P2 30 EUR x 1.20 = 36 is subtracted: 30 + 240 - 36 = 234
    assert before.ar_total == pytest.approx(234.0)
    assert after == before


def test_excel_workbook_has_one_sheet_per_table_with_the_csv_rows_and_real_dates(con):
    data = export.excel_bytes(con)
    sheets = pd.read_excel(io.BytesIO(data), sheet_name=None)
    assert list(sheets) == NAMES
    for name in NAMES:
        expected = pd.read_csv(io.BytesIO(export.csv_bytes(con, name)))
        got = sheets[name]
        assert list(got.columns) == list(expected.columns), name
        assert len(got) == len(expected), name
    invoices = sheets["invoices"]
    assert invoices["invoice_date"].tolist() == [datetime(2024, 1, 5), datetime(2024, 1, 10),
                                                 datetime(2024, 1, 12)]  # fmt: skip
    assert pd.read_excel(io.BytesIO(data), sheet_name="invoices", dtype=str)["invoice_id"].tolist() == [
        "0001", "0002", "CN1"]  # fmt: skip
    assert invoices["amount"].tolist() == [100.0, 200.0, -20.0]


def test_a_table_longer_than_a_sheet_is_refused_and_can_be_left_out(con, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_MAX_ROWS", 3)  # header + 2 rows
    assert export.fits_excel(2) and not export.fits_excel(3)
    with pytest.raises(ValueError, match="invoices: 3 rows do not fit"):
        export.excel_bytes(con)
    sheets = pd.read_excel(io.BytesIO(export.excel_bytes(con, ["customers", "payments"])),
                           sheet_name=None)  # fmt: skip
    assert list(sheets) == ["customers", "payments"]


def test_ledger_settings_name_the_currency_and_the_source(con, tmp_path: Path):
    settings = export.ledger_settings(con)
    assert settings["reporting_currency"] == "USD"
    assert settings["source"] == str((tmp_path / "original" / "ledger").resolve())
    assert {"loaded_at", "schema_version"} <= set(settings)
