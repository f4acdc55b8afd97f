"""Properties of the projection on a generated sample: no look-ahead, intervals that widen
with the horizon, receipts that add up to the open AR expected to be collected."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from analytics.cashflow.promised import RECEIPT_COLUMNS
from data.loader import load_ledger
from data.sample import generate_sample
from engines import facts
from engines.duckdb.engine import connect

D = date(2025, 9, 30)
DATE_COLUMNS = {"invoices": "invoice_date", "payments": "payment_date", "fx_rates": "rate_date",
                "orders": "order_date"}  # fmt: skip


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory):
    """The same sample loaded whole, and cut at D (every document, payment and rate after D
    removed): what the ledger knew on D."""
    folder = tmp_path_factory.mktemp("properties")
    generate_sample(folder / "sample", invoices=4000, seed=3, years=2)
    (folder / "cut").mkdir()
    for path in (folder / "sample").glob("*.parquet"):
        table = pq.read_table(path)
        column = DATE_COLUMNS.get(path.stem)
        if column:
            table = table.filter(pc.less_equal(table[column], pa.scalar(D, pa.date32())))
        pq.write_table(table, folder / "cut" / path.name)
    load_ledger(folder / "sample", folder / "whole.duckdb")
    load_ledger(folder / "cut", folder / "cut.duckdb")
    whole, cut = connect(folder / "whole.duckdb"), connect(folder / "cut.duckdb")
    yield whole, cut
    whole.close()
    cut.close()


def test_a_projection_reads_nothing_after_its_as_of_date(ledgers):
    whole, cut = ledgers
    options = CashflowOptions(as_of=D)
    a, b = project(whole, options), project(cut, options)
    for column in ("open_ar_amount", "new_sales_amount", "p10_amount", "p50_amount", "p90_amount"):
        assert a.weekly[column].to_numpy() == pytest.approx(b.weekly[column].to_numpy())
        assert a.monthly[column].to_numpy() == pytest.approx(b.monthly[column].to_numpy())
    assert a.open_ar.collectible == pytest.approx(b.open_ar.collectible)
    assert a.sales.model == b.sales.model


def test_intervals_of_cumulative_receipts_widen_with_the_horizon(ledgers):
    p = project(ledgers[0], CashflowOptions(as_of=D))
    cumulative = np.cumsum(p.weekly_draws, axis=1)
    p10, p90 = np.percentile(cumulative, [10, 90], axis=0)
    width = p90 - p10
    assert width[3] < width[7] < width[12]  # 4, 8 and 13 weeks
    months = np.cumsum(p.monthly_draws, axis=1)
    m10, m90 = np.percentile(months, [10, 90], axis=0)
    assert np.all(np.diff(m90 - m10) > 0)  # every further month widens the year's band


def test_receipts_add_up_to_the_open_ar_expected_to_be_collected(ledgers):
    for disputed in ("delay", "exclude"):
        p = project(ledgers[0], CashflowOptions(as_of=D, disputed=disputed, include_sales=False))
        o = p.open_ar
        assert p.monthly["open_ar_amount"].sum() + p.open_ar_after == pytest.approx(o.collectible)
        assert o.collectible == pytest.approx(
            o.open_amount - o.disputed_excluded - o.never_expected
        )
        # every draw pays the same collectible amount: only the timing varies
        assert p.monthly_draws.sum(axis=1) + p.open_ar_after == pytest.approx(
            o.collectible, rel=0.02
        )
    assert o.disputed_excluded > 0


def test_quantiles_are_ordered_and_the_expected_lies_inside_the_band(ledgers):
    p = project(ledgers[0], CashflowOptions(as_of=D))
    for frame in (p.weekly, p.monthly):
        assert (frame["p10_amount"] <= frame["p50_amount"]).all()
        assert (frame["p50_amount"] <= frame["p90_amount"]).all()
        assert frame["mean_amount"].between(frame["p10_amount"], frame["p90_amount"]).all()


def assert_same_projection(a, b):
    for name in ("weekly", "monthly"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)
    for name in ("weekly_draws", "monthly_draws"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    summary = [f for f in vars(a.open_ar) if f not in ("daily", "expected")]  # emptied arrays
    assert [getattr(a.open_ar, f) for f in summary] == [getattr(b.open_ar, f) for f in summary]
    assert (a.open_ar_after, a.new_sales_after) == (b.open_ar_after, b.new_sales_after)


def test_with_no_open_promises_the_projection_is_the_models_exactly(ledgers):
    options = CashflowOptions(as_of=D)
    none = pd.DataFrame(columns=RECEIPT_COLUMNS)
    assert_same_projection(
        project(ledgers[0], options, promised=none), project(ledgers[0], options)
    )


def test_with_a_promise_receipts_still_add_up_to_the_collectible_open_ar(ledgers):
    con = ledgers[0]
    groups = facts.cashflow_open_items(con, as_of=D, customer_keys=None)
    biggest = int(groups.groupby("customer_key")["open_amount"].sum().idxmax())
    customer_id = facts.customers(con).set_index("customer_key").loc[biggest, "customer_id"]
    promised = pd.DataFrame([{"expected_date": D + timedelta(days=10), "amount": 5000.0,
                              "customer_id": customer_id, "source": "promise", "record_id": 1,
                              "instalment_no": 0, "invoice_ids": ()}])  # fmt: skip
    options = CashflowOptions(as_of=D, include_sales=False)
    p, model = project(con, options, promised=promised), project(con, options)
    o = p.open_ar
    assert (o.promised_amount, o.n_promised) == (5000.0, 1)
    assert o.open_amount == model.open_ar.open_amount
    assert p.monthly["open_ar_amount"].sum() + p.open_ar_after == pytest.approx(o.collectible)
    # day 10 is in week 2: it holds the 5,000 and what the model still expects then
    assert p.weekly["open_ar_amount"].iloc[1] > 5000.0
