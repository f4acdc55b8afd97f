"""Loss rates (spec §9) on a hand-worked ledger that the roll-rate, ECL, allowance and CLI
tests share (the `risk_ledger` fixture).

Reporting currency USD; buckets by days past due with edges 30,60: current, 1-30, 31-60, 60+.
  I1 C1 2024-01-15 due 02-14 1,000: paid 400 on 2024-03-10 and 150 on 2024-09-01 (partial)
     → 450 open for good
  I2 C2 2024-02-01 due 03-02   500: write-off credit note CN1 −300 dated 2024-04-15, paid 200
     on 2024-07-15 → closed, 300 of it lost
  I3 C1 2024-01-15 due 02-14   500: paid in full 2024-02-20
  I4 C2 2024-01-15 due 01-31   800: disputed, never paid (left out of the calibration)
  I5 C2 2024-03-01 due 03-31   400: paid in full 2024-05-15
  CN2 C1 2024-02-10 −100, stand-alone credit (left out, never netted)
  I6 C2 2025-03-15 due 04-14 1,000, entity EU01 (every other document: the default entity)
C1 segment SMB, no insurance; C2 segment Enterprise, insured limit 1,000 (coverage 90 %).

As of D = 2025-03-31 the calibration month-ends are m ≤ D − 365 = 2024-03-31 from the first
document on: 2024-01-31, 02-29, 03-31 (three, fewer than 6). Outcome dates m + 365: 2025-01-30,
2025-02-28, 2025-03-31. Per month-end (dpd at m; lost = open at m + 365 + write-offs after m):
  01-31: I1 current 1,000 (dpd −14), lost 450; I3 current 500, lost 0
  02-29: I1 1-30 1,000 (dpd 15), lost 450; I2 current 500 (dpd −2), lost 0 + 300 = 300
  03-31: I1 31-60 600 (dpd 46), lost 450; I2 1-30 500 (dpd 29), lost 300;
         I5 current 400 (dpd 0), lost 0
  current 750 / 2,400 = 0.3125; 1-30 750 / 1,500 = 0.5; 31-60 450 / 600 = 0.75;
  60+ no amount → borrowed from 31-60: 0.75.
"""

import re
from datetime import date

import pandas as pd
import pytest

from analytics.risk.loss_rates import (
    borrow_rates,
    calibrated_loss_rates,
    calibration,
    calibration_month_ends,
    given_loss_rates,
    parse_overlay,
    parse_rates,
    rate_warnings,
    validate_given_rates,
    with_overlay,
)
from core.errors import LedgerError
from tests.ledger_factory import inv, load, pay

AS_OF = date(2025, 3, 31)
EDGES = (30, 60)
CUSTOMERS = [
    {"customer_id": "C1", "segment": "SMB"},
    {"customer_id": "C2", "segment": "Enterprise", "insured_limit": 1000},
]
INVOICES = [
    inv("I1", "C1", "2024-01-15", "2024-02-14", 1000),
    inv("I2", "C2", "2024-02-01", "2024-03-02", 500),
    inv("I3", "C1", "2024-01-15", "2024-02-14", 500),
    inv("I4", "C2", "2024-01-15", "2024-01-31", 800, disputed="true"),
    inv("I5", "C2", "2024-03-01", "2024-03-31", 400),
    inv("CN1", "C2", "2024-04-15", "2024-04-15", -300, applies_to="I2", write_off="true"),
    inv("CN2", "C1", "2024-02-10", "2024-02-10", -100),
    inv("I6", "C2", "2025-03-15", "2025-04-14", 1000, entity="EU01"),
]
PAYMENTS = [
    pay("P1", "C1", "2024-03-10", 400, "I1"),
    pay("P2", "C1", "2024-09-01", 150, "I1"),
    pay("P3", "C2", "2024-07-15", 200, "I2"),
    pay("P4", "C1", "2024-02-20", 500, "I3"),
    pay("P5", "C2", "2024-05-15", 400, "I5"),
]


@pytest.fixture(scope="module")
def risk_ledger(tmp_path_factory):
    engine = load(tmp_path_factory.mktemp("risk"), customers=CUSTOMERS, invoices=INVOICES,
                  payments=PAYMENTS)  # fmt: skip
    yield engine
    engine.close()


def rates_at(engine, as_of, edges=EDGES):
    return calibrated_loss_rates(calibration(engine, as_of=as_of, edges=edges), edges)


def test_calibration_month_ends_are_the_latest_a_year_before_from_the_first_document():
    assert calibration_month_ends(AS_OF, date(2024, 1, 15)) == (
        date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)
    )  # fmt: skip
    # m + 365 <= D: D − 365 = 2024-03-30 leaves 03-31 out
    assert calibration_month_ends(date(2025, 3, 30), date(2024, 1, 15))[-1] == date(2024, 2, 29)
    ends = calibration_month_ends(date(2030, 6, 30), date(2020, 1, 1))
    assert len(ends) == 24 and ends[-1] == date(2029, 6, 30) and ends[0] == date(2027, 7, 31)


def test_loss_rates_from_hand_worked_cohorts_with_a_partial_payment_a_write_off_and_a_borrowed_rate(
    risk_ledger,
):
    rates = rates_at(risk_ledger, AS_OF)
    assert rates.buckets == ("current", "1-30", "31-60", "60+")
    assert rates.n_month_ends == 3
    assert rates.open_amounts == pytest.approx((2400.0, 1500.0, 600.0, 0.0))
    assert rates.lost_amounts == pytest.approx((750.0, 750.0, 450.0, 0.0))
    assert rates.rates == pytest.approx((0.3125, 0.5, 0.75, 0.75))
    assert rates.sources == ("calibrated", "calibrated", "calibrated", "borrowed from 31-60")
    assert rates.borrowed == (False, False, False, True)


def test_the_lost_part_counts_write_offs_after_the_month_end_and_never_exceeds_the_open_amount(
    risk_ledger,
):
    # at 2024-03-31 I2 is 500 open in 1-30 and closed by 2025-03-31: its lost part is the 300
    # written off on 2024-04-15; I1 is 600 open in 31-60 and 450 of it is still open then
    frame = calibration(risk_ledger, as_of=AS_OF, edges=EDGES).outcomes
    march = frame[frame["month_end"] == pd.Timestamp("2024-03-31")]
    lost = march.groupby("bucket")[["open_amount", "lost_amount"]].sum()
    assert lost.loc[1].tolist() == pytest.approx([500.0, 300.0])  # I2
    assert lost.loc[2].tolist() == pytest.approx([600.0, 450.0])  # I1 after the 400 paid
    assert (frame["lost_amount"] <= frame["open_amount"] + 1e-9).all()


def test_no_calibration_month_end_gives_no_rates_and_says_so(risk_ledger):
    # D − 365 = 2024-01-01 is before the first document's month-end (2024-01-31)
    rates = rates_at(risk_ledger, date(2024, 12, 31))
    assert rates.rates is None and rates.n_month_ends == 0
    assert "expected credit loss undefined" in rate_warnings(rates)[0]


def test_fewer_than_six_month_ends_are_used_and_said(risk_ledger):
    warnings = rate_warnings(rates_at(risk_ledger, AS_OF))
    assert warnings[0].startswith("only 3 calibration month-end(s), fewer than 6")
    assert warnings[1] == "bucket 60+: no calibration amount, rate borrowed from 31-60"


@pytest.mark.parametrize(
    ("own", "rates", "sources"),
    [
        ([0.1, None, 0.4], (0.1, 0.1, 0.4), ("calibrated", "borrowed from current", "calibrated")),
        ([None, None], (0.0, 0.0), ("none (0)", "none (0)")),  # no younger bucket: 0
        ([0.0, None, None], (0.0, 0.0, 0.0), ("calibrated", "borrowed from current",
                                              "borrowed from current")),
    ],
)  # fmt: skip
def test_a_bucket_without_history_borrows_from_the_nearest_younger_one(own, rates, sources):
    labels = ["current", "1-30", "30+"][: len(own)]
    assert borrow_rates(own, labels) == (rates, sources)


def test_the_overlay_scales_rates_and_caps_them_at_one():
    # 0.75 × 1.5 = 1.125 → 1; 0.3125 × 1.5 = 0.46875; −100 % brings every rate to 0
    assert with_overlay((0.3125, 0.75), 0.5) == pytest.approx((0.46875, 1.0))
    assert with_overlay((1.0, 0.4), 0.0) == (1.0, 0.4)
    assert with_overlay((0.3, 0.9), -1.0) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("rates", "message"),
    [
        ((0.1, 0.2), "--loss-rates: expected 4 rates, one per bucket (current, 1-30, 31-60, 60+), got 2"),
        ((0.1, 0.2, 1.5, 0.3), "--loss-rates: the rate for bucket 31-60 must be between 0 and 1"),
        ((0.1, -0.01, 0.2, 0.3), "--loss-rates: the rate for bucket 1-30 must be between 0 and 1"),
        ((0.1, float("nan"), 0.2, 0.3), "--loss-rates: the rate for bucket 1-30 must be between"),
    ],
)  # fmt: skip
def test_given_rates_are_one_per_bucket_between_zero_and_one(rates, message):
    with pytest.raises(LedgerError, match=re.escape(message)):
        validate_given_rates(rates, EDGES)


def test_given_rates_are_echoed_and_flagged_as_given():
    rates = given_loss_rates((0.01, 0.02, 0.5, 1.0), EDGES)
    assert rates.rates == (0.01, 0.02, 0.5, 1.0) and rates.is_given
    assert rates.n_month_ends == 0 and rate_warnings(rates) == ()


@pytest.mark.parametrize(
    ("text", "flag"), [("0.1,abc", "--loss-rates"), ("0.1,,0.2", "--loss-rates")]
)
def test_rates_that_are_not_numbers_are_refused_naming_the_flag(text, flag):
    with pytest.raises(LedgerError, match=f"^{flag}: expected numbers"):
        parse_rates(text)


@pytest.mark.parametrize("text", ["abc", "nan", "-1.5", "inf"])
def test_an_overlay_that_is_not_a_number_of_at_least_minus_one_is_refused(text):
    with pytest.raises(LedgerError, match="^--overlay: expected a number"):
        parse_overlay(text)


class Spy:
    """The engine it wraps, recording the name of every query it runs."""

    def __init__(self, engine) -> None:
        self.engine, self.names = engine, []

    def frame(self, name, params):
        self.names.append(name)
        return self.engine.frame(name, params)

    def row(self, name, params):
        self.names.append(name)
        return self.engine.row(name, params)


def routes(engine, as_of, **options):
    spy = Spy(engine)
    calibration(spy, as_of=as_of, edges=EDGES, **options)
    return {n for n in spy.names if n.startswith("risk_calibration_outcomes")}


def test_the_default_horizon_reads_the_load_time_outcomes(risk_ledger):
    assert routes(risk_ledger, AS_OF) == {"risk_calibration_outcomes"}


def test_another_horizon_or_month_ends_past_the_ledger_take_the_as_of_route(risk_ledger):
    # the load built H = 365 only; the ledger's last month-end is 2025-03-31, and as of
    # 2026-06-30 the latest calibration month-end is 2025-06-30
    assert routes(risk_ledger, AS_OF, horizon_days=180) == {"risk_calibration_outcomes_full"}
    assert routes(risk_ledger, date(2026, 6, 30)) == {"risk_calibration_outcomes_full"}


def test_a_ledger_loaded_before_the_outcomes_table_gives_the_same_rates_the_as_of_way(
    risk_ledger, tmp_path
):
    from tests.data.test_month_end_outcomes import old_ledger

    old = old_ledger(risk_ledger, tmp_path)
    assert routes(old, AS_OF) == {"risk_calibration_outcomes_full"}
    assert rates_at(old, AS_OF).rates == pytest.approx(rates_at(risk_ledger, AS_OF).rates, rel=1e-9)
    eu = rates_at(old.scoped("EU01"), AS_OF)  # a scoped engine opens without the table
    assert eu.rates is None and eu.n_month_ends == 0  # I6 (2025-03-15) is EU01's first
    old.close()
