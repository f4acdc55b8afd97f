"""Disputes (spec §13) on the hand-worked ledger of test_loss_rates, as of D = 2025-03-31,
buckets by days past due with edges 30,60.

Disputed and open: I4 (C2) 800, due 2024-01-31 → dpd 425 → 60+.
AR(D) = C1 (450 − 100 credit) + C2 (800 + 1,000) = 2,150. Credit sales of the 90 days to D,
(2025-01-01, 2025-03-31]: I6 1,000. DSO = 2,150 / 1,000 × 90 = 193.5; without the disputed
item (2,150 − 800) / 1,000 × 90 = 121.5.
"""

from datetime import date

import pandas as pd
import pytest

from analytics.risk.disputes import (
    NO_REASON,
    NOT_DISPUTED,
    OPEN_DISPUTED,
    ORPHANED,
    RECORD_COLUMNS,
    SETTLED,
    dispute_summary,
    disputes,
    records_in_ledger,
)
from tests.analytics.risk.test_loss_rates import AS_OF, EDGES, risk_ledger  # noqa: F401


def records(*rows) -> pd.DataFrame:
    return pd.DataFrame(
        [{"invoice_id": i, "customer_id": c, "reason": r, "status": "open", "note": None,
          "who": "ana", "updated_at": pd.Timestamp("2026-12-01")} for i, c, r in rows],
        columns=RECORD_COLUMNS,
    )  # fmt: skip


def test_disputed_amount_count_ageing_and_both_dsos(risk_ledger):  # noqa: F811
    view = disputes(risk_ledger, records(), as_of=AS_OF, edges=EDGES, window_days=90)
    assert (view.n_items, view.open_amount) == (1, pytest.approx(800.0))
    assert view.items["days_past_due"].tolist() == [425]
    assert view.by_bucket["bucket_label"].tolist() == ["current", "1-30", "31-60", "60+"]
    assert view.by_bucket["open_amount"].tolist() == pytest.approx([0, 0, 0, 800])
    assert view.by_bucket["n_items"].tolist() == [0, 0, 0, 1]
    assert view.ar_amount == pytest.approx(2150.0) and view.sales_amount == pytest.approx(1000.0)
    assert view.dso == pytest.approx(193.5)
    assert view.dso_without_disputed == pytest.approx(121.5)
    assert view.share_of_ar == pytest.approx(800 / 2150)
    assert view.by_reason.values.tolist() == [[NO_REASON, 1, pytest.approx(800.0)]]


def test_recorded_reasons_are_joined_and_summed(risk_ledger):  # noqa: F811
    view = disputes(risk_ledger, records(("I4", "C2", "price")), as_of=AS_OF, edges=EDGES)
    assert view.items["reason"].tolist() == ["price"]
    summary = dispute_summary(view)
    assert summary["by_reason"] == {"price": 800.0}
    assert summary["by_bucket"]["60+"] == 800.0 and summary["count"] == 1


def test_with_no_sales_in_the_window_both_dsos_are_undefined(risk_ledger):  # noqa: F811
    view = disputes(risk_ledger, records(), as_of=date(2025, 2, 28), edges=EDGES)
    assert view.dso is None and view.dso_without_disputed is None


def test_every_record_is_kept_with_what_the_ledger_says_of_its_invoice(risk_ledger):  # noqa: F811
    kept = records(("I4", "C2", "price"), ("I2", "C2", "other"), ("I1", "C1", "not ordered"),
                   ("I99", "C9", "price"))  # fmt: skip
    out = records_in_ledger(risk_ledger, kept, as_of=AS_OF).set_index("invoice_id")
    assert out["ledger_state"].to_dict() == {
        "I4": OPEN_DISPUTED, "I2": SETTLED, "I1": NOT_DISPUTED, "I99": ORPHANED}  # fmt: skip
    assert out["open_amount"].to_dict() == pytest.approx({"I4": 800, "I2": 0, "I1": 450, "I99": 0})
