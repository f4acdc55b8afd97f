"""Legal entities (spec §8): an engine scoped to one entity sees only its documents and
payments; consolidated figures are the sum of the entities' where the figure adds up.

Ledger (reporting currency USD, as of 2024-03-31):
  US01: I1 C1 2024-01-10 due 02-09 1,000 USD, paid 400 on 02-20 → open 600, 51 dpd (31-60)
        I2 C2 2024-03-01 due 03-31   500 USD                     → open 500, current
        P2 C2 2024-03-15 300 USD unapplied (cash on account)
  EU01: I3 C1 2024-02-01 due 03-02   200 EUR at 1.10 → open 220 USD at the closing rate, 29 dpd (1-30)
        CN1 C1 2024-03-10 −50 EUR write-off credit note applied to I3 → I3 open 150 EUR = 165 USD
  (empty): I4 C2 2024-03-20 due 04-19 100 USD → the default entity, current

  AR: US01 600 + 500 − 300 = 800; EU01 165; default 100; consolidated 1,065.
  Overdue: US01 600 (I1); EU01 165 (I3); default 0; consolidated 765.
  Credit sales (spec §4, write-offs are not sales: §8) 2024-01-01..03-31:
    US01 1,500; EU01 200 EUR × 1.10 = 220 (the write-off is left out); default 100.
"""

from datetime import date

import pytest

from analytics.portfolio.ledger import entity_names, for_entity
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from core.errors import LedgerError
from engines import facts
from tests.ledger_factory import inv, load, pay

AS_OF = date(2024, 3, 31)
CUSTOMERS = [{"customer_id": "C1"}, {"customer_id": "C2"}]
INVOICES = [
    inv("I1", "C1", "2024-01-10", "2024-02-09", 1000, entity="US01"),
    inv("I2", "C2", "2024-03-01", "2024-03-31", 500, entity="US01"),
    inv("I3", "C1", "2024-02-01", "2024-03-02", 200, currency="EUR", entity="EU01"),
    inv("CN1", "C1", "2024-03-10", "2024-03-10", -50, currency="EUR", entity="EU01",
        applies_to="I3", write_off="true"),
    inv("I4", "C2", "2024-03-20", "2024-04-19", 100),
]  # fmt: skip
PAYMENTS = [
    pay("P1", "C1", "2024-02-20", 400, "I1", entity="US01"),
    pay("P2", "C2", "2024-03-15", 300, entity="US01"),
]
FX = [{"currency": "EUR", "rate_date": "2024-01-01", "rate": 1.10}]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = load(tmp_path_factory.mktemp("entities"), customers=CUSTOMERS, invoices=INVOICES,
                  payments=PAYMENTS, fx_rates=FX)  # fmt: skip
    yield engine
    engine.close()


def metrics(engine, entity):
    return portfolio_metrics(snapshot(for_entity(engine, entity), Options(as_of=AS_OF)))


def test_the_ledger_names_its_entities_with_empty_as_the_default(engine):
    assert entity_names(engine) == ["EU01", "US01", "default"]
    frame = facts.entities(engine)
    assert frame.set_index("entity")["currencies"].to_dict() == {
        "EU01": "EUR", "US01": "USD", "default": "USD"
    }  # fmt: skip


@pytest.mark.parametrize(
    ("entity", "ar", "overdue"),
    [
        ("US01", 800.0, 600.0),
        ("EU01", 165.0, 165.0),
        ("default", 100.0, 0.0),
        (None, 1065.0, 765.0),
    ],
)
def test_receivables_of_one_entity_and_consolidated(engine, entity, ar, overdue):
    m = metrics(engine, entity)
    assert m.ar_total == pytest.approx(ar)
    assert m.ar_overdue == pytest.approx(overdue)


def test_write_off_is_not_a_credit_sale(engine):
    # §8: the −50 EUR write-off reduces I3 but is not a sale reversal
    sales = {
        e: facts.sales_by_customer(for_entity(engine, e), start=date(2024, 1, 1), as_of=AS_OF)[
            "sales_amount"
        ].sum()
        for e in ("US01", "EU01", "default")
    }
    assert sales == pytest.approx({"US01": 1500.0, "EU01": 220.0, "default": 100.0})


def test_scoping_leaves_the_consolidated_engine_alone(engine):
    us = for_entity(engine, "US01")
    assert metrics(engine, "US01").ar_total == pytest.approx(800.0)
    assert portfolio_metrics(snapshot(engine, Options(as_of=AS_OF))).ar_total == pytest.approx(
        1065.0
    )
    assert us.scoped(None).entity is None and us.entity == "US01"


def test_an_unknown_entity_is_refused_naming_the_field_and_the_entities(engine):
    with pytest.raises(LedgerError, match=r"--entity: no entity 'XX'.*EU01, US01, default"):
        for_entity(engine, "XX", field="--entity")


def test_a_write_off_on_a_positive_invoice_is_refused_with_its_row(tmp_path):
    bad = [inv("I1", "C1", "2024-01-10", "2024-02-09", 100, write_off="true")]
    with pytest.raises(LedgerError, match=r"invoices.csv.*row 2.*write_off.*only a credit note"):
        load(tmp_path, customers=CUSTOMERS, invoices=bad)


def test_the_cli_takes_entity_and_refuses_an_unknown_one(tmp_path):
    # same ledger, through `python -m analytics metrics --entity`: AR as worked out above
    import json
    import subprocess
    import sys
    from pathlib import Path

    from tests.ledger_factory import write_ledger

    folder = write_ledger(tmp_path / "ledger", customers=CUSTOMERS, invoices=INVOICES,
                          payments=PAYMENTS, fx_rates=FX)  # fmt: skip
    root = Path(__file__).resolve().parents[2]

    def run(*flags):
        args = ["metrics", "--ledger", str(folder), "--as-of", "2024-03-31", *flags]
        cmd = [sys.executable, "-m", "analytics", *args]
        return subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=120)

    totals = {e: json.loads(run("--entity", e).stdout)["ar"]["total"] for e in ("US01", "EU01")}
    assert totals == {"US01": 800.0, "EU01": 165.0}
    assert json.loads(run().stdout)["ar"]["total"] == 1065.0
    bad = run("--entity", "XX")
    assert bad.returncode != 0 and bad.stdout == ""
    assert "--entity: no entity 'XX' in this ledger (it has: EU01, US01, default)" in bad.stderr
