"""The committee pack's cash section places open promises as the Cash flow page does.

Ledger (tests/analytics/cashflow/test_model.py's punctual payers, D = 30 Jun 2024): A's I4
1,000 is due 10 Jul (week 2) and the model pays it then; A promised it on 1 Jul for 25 Jul
(t = 25, week 4). The pack's weekly table moves the 1,000 from week 2 to week 4 and says so.
"""

from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from analytics.risk.promises import INSTALMENT_COLUMNS, PLAN_COLUMNS, PROMISE_COLUMNS
from reports.pack.cash import cashflow_section
from reports.pack.model import Recorded
from tests.analytics.cashflow.test_model import punctual_ledger

D = date(2024, 6, 30)


@pytest.fixture
def ledger(tmp_path):
    engine = punctual_ledger(tmp_path)
    yield engine
    engine.close()


def context(engine, promises: list[dict] | None) -> SimpleNamespace:
    """What cashflow_section reads of a PackContext."""
    recorded = Recorded() if promises is None else Recorded(
        promises=pd.DataFrame(promises, columns=PROMISE_COLUMNS),
        plans=pd.DataFrame(columns=PLAN_COLUMNS),
        instalments=pd.DataFrame(columns=INSTALMENT_COLUMNS),
    )  # fmt: skip
    return SimpleNamespace(engine=engine, as_of=D, currency="USD", recorded=recorded)


PROMISE = {"promise_id": 1, "customer_id": "A", "amount": 1000.0, "currency": "USD",
           "promised_date": pd.Timestamp("2024-07-25"), "made_on": pd.Timestamp(D),
           "invoice_ids": ("I4",), "note": None, "who": "ana",
           "created_at": pd.Timestamp("2024-07-01"), "cancelled_at": None}  # fmt: skip


def weekly(section) -> list[float]:
    table = next(t for t in section.tables if t.title == "Projected receipts by week")
    return table.frame["open_ar_amount"].tolist()[:5]


def test_an_open_promise_moves_its_invoice_to_the_promised_week_and_is_said(ledger):
    section = cashflow_section(context(ledger, [PROMISE]), None)
    # weeks 1-5 (new sales come on top in mean_amount): B's 250, A's I5 500, then I4's 1,000
    assert weekly(section) == pytest.approx([250.0, 0.0, 500.0, 1000.0, 0.0])
    assert (
        "1 promise or plan worth USD 1,000 replaces the model's timing for its items."
        in section.lines
    )


def test_without_the_workspace_the_model_alone(ledger):
    section = cashflow_section(context(ledger, None), None)
    assert weekly(section) == pytest.approx([250.0, 1000.0, 500.0, 0.0, 0.0])
    assert not any("promise" in line for line in section.lines)
