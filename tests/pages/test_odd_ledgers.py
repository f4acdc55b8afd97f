"""Every page on the ledgers real users load (issue 9): no customers file, no payment terms,
no limits, no fx rates, a single customer, last activity years ago, one currency, and the IBM
export through its mapping. Each page must render without an exception (a TypeError on a
missing payment term took the Customer page down on the IBM export) and show its title."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.loader import load_ledger
from tests.ledger_factory import inv, pay, write_ledger
from tests.pages.conftest import APP, TIMEOUT
from ui.settings import DATA_DIR_ENV

ROOT = Path(__file__).resolve().parents[2]
IBM_CSV = ROOT.parent / "shared" / "data" / "ibm_ar_late_payments.csv"
IBM_MAPPING = ROOT / "mappings" / "ibm_ar_late_payments.toml"
PAGES = {
    "overview": "Portfolio overview", "aging": "Aging", "dso": "DSO & collections",
    "concentration": "Concentration", "limits": "Credit limits", "customer": "Customer",
    "cashflow": "Cash flow", "scenarios": "Scenarios", "data": "Data", "compare": "Compare dates",
    "risk_ecl": "Expected credit loss", "risk_limits": "Limits review", "risk_grades": "Grades and PD",
    "risk_application": "New customer application", "watchlist": "Watchlist",
    "collections": "Collections worklist", "disputes": "Disputes", "committee": "What changed",
    "audit": "Audit trail", "access": "Access",
}  # fmt: skip


def _documents(customers: list[str], year: int = 2024, **extra) -> dict:
    """Four months of monthly invoices per customer, most paid 10 days late, the last open."""
    invoices, payments = [], []
    for c, customer in enumerate(customers):
        for m in range(1, 5):
            iid = f"I{c}-{m}"
            invoices.append(inv(iid, customer, f"{year}-{m:02d}-05", f"{year}-{m + 1:02d}-04",
                                100 * (c + 1) * m, **extra))  # fmt: skip
            if m < 4:
                payments.append(pay(f"P{c}-{m}", customer, f"{year}-{m + 1:02d}-14",
                                    100 * (c + 1) * m, iid, **extra))  # fmt: skip
    return {"invoices": invoices, "payments": payments}


def _customers(ids: list[str], **columns) -> list[dict]:
    return [{"customer_id": c, "name": f"Customer {c}", **columns} for c in ids]


SHAPES = {
    "no customers file": lambda: _documents(["A", "B"]),
    "no payment terms or limits": lambda: {
        "customers": _customers(["A", "B"], segment="SMB"), **_documents(["A", "B"])},
    "limits but no terms": lambda: {
        "customers": _customers(["A", "B"], credit_limit=500, insured_limit=""),
        **_documents(["A", "B"])},
    "a single customer": lambda: {
        "customers": _customers(["A"], payment_terms_days=30, credit_limit=1000),
        **_documents(["A"])},
    "last activity years ago": lambda: _documents(["A", "B", "C"], year=2015),
    "one currency, stated": lambda: _documents(["A", "B"], currency="USD"),
}  # fmt: skip


def _load(folder: Path, shape: str) -> Path:
    data = folder / "data"
    if shape == "the IBM export":
        if not IBM_CSV.exists():
            pytest.skip(f"{IBM_CSV} is not here")
        load_ledger(IBM_CSV, data / "ledger.duckdb", mapping=IBM_MAPPING)
    else:
        load_ledger(write_ledger(folder / "files", **SHAPES[shape]()), data / "ledger.duckdb")
    return data


@pytest.fixture(scope="module", params=[*SHAPES, "the IBM export"])
def odd_ledger(request, tmp_path_factory) -> Path:
    return _load(tmp_path_factory.mktemp("odd"), request.param)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_ledger(odd_ledger, page, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(odd_ledger))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title and at.title[0].value == PAGES[page]
