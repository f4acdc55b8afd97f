"""Sanity check on a real payment history: the IBM AR sample (../shared/data), loaded through
its mapping, against figures computed independently from the raw CSV with pandas.

The README of the data says: every invoice is settled in one payment, so AR at D is the sum of
invoices with InvoiceDate <= D < SettledDate; overdue ones have DueDate < D.
"""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from data.loader import load_ledger
from engines.duckdb.engine import connect

REPO = Path(__file__).resolve().parents[3]
IBM_CSV = REPO.parent / "shared" / "data" / "ibm_ar_late_payments.csv"
MAPPING = REPO / "mappings" / "ibm_ar_late_payments.toml"
DATES = [date(2012, 6, 30), date(2013, 3, 15), date(2013, 6, 30), date(2013, 11, 30)]


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    df = pd.read_csv(IBM_CSV, dtype={"invoiceNumber": str})
    for column in ("InvoiceDate", "DueDate", "SettledDate"):
        df[column] = pd.to_datetime(df[column], format="%m/%d/%Y")
    return df


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    db = tmp_path_factory.mktemp("ibm") / "ibm.duckdb"
    load_ledger(IBM_CSV, db, mapping=MAPPING)
    return connect(db)


@pytest.mark.parametrize("as_of", DATES, ids=str)
def test_balances_and_dso_match_an_independent_pandas_computation(raw, con, as_of):
    d = pd.Timestamp(as_of)
    open_items = raw[(raw.InvoiceDate <= d) & (raw.SettledDate > d)]
    overdue = open_items[open_items.DueDate < d].InvoiceAmount.sum()
    sales = raw[
        (raw.InvoiceDate > d - pd.Timedelta(days=90)) & (raw.InvoiceDate <= d)
    ].InvoiceAmount.sum()
    m = portfolio_metrics(snapshot(con, Options(as_of=as_of)))
    assert m.ar_total == pytest.approx(open_items.InvoiceAmount.sum(), abs=0.005)
    assert m.ar_overdue == pytest.approx(overdue, abs=0.005)
    assert m.dso_standard == pytest.approx(open_items.InvoiceAmount.sum() / sales * 90)
    assert m.customers_with_balance == open_items.customerID.nunique()


def test_days_late_of_settled_invoices_match_the_files_own_column(raw, con):
    # DaysLate in the file = max(0, SettledDate - DueDate); ours is signed (early = negative)
    ours = con.con.execute(
        "select i.invoice_id, d.days_late from documents d join invoices i using (invoice_key)"
    ).df()
    merged = ours.merge(raw, left_on="invoice_id", right_on="invoiceNumber")
    assert len(merged) == 2466
    assert (merged["days_late"].clip(lower=0) == merged["DaysLate"]).all()
