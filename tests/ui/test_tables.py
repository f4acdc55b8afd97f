"""Tables: picking a row opens its customer (issue 9: rows of the over-limit, aging and
problems tables did not)."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from ui import tables


def picked(rows: list[int]) -> SimpleNamespace:
    return SimpleNamespace(selection=SimpleNamespace(rows=rows))


def test_picking_a_row_opens_that_customer(monkeypatch):
    calls = []
    monkeypatch.setattr(tables.st, "switch_page",
                        lambda page, query_params=None: calls.append((page, query_params)))  # fmt: skip
    frame = pd.DataFrame({"customer_id": ["C1", "C2"], "balance_amount": [5.0, 7.0]})
    tables.open_picked_customer(frame, picked([]), "customer_id")
    assert calls == []  # nothing picked: stay
    tables.open_picked_customer(frame, picked([1]), "customer_id")
    assert calls == [("app_pages/customer.py", {"customer": "C2"})]
