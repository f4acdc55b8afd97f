"""Receipts from open AR, worked by hand on tiny ledgers (no sales forecast: include_sales off).

Day t = days after the as-of date D; week k holds days 7(k − 1) + 1 … 7k.
"""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from analytics.cashflow.model import (
    MIN_DAYS_LATE,
    N_BINS,
    NEVER,
    QUANTILE_LEVELS,
    TAIL_DAYS,
    CashflowOptions,
    conditioned,
    delayed,
    effective_n,
    first_level_above,
    intraclass_correlation,
    lateness_history,
    pool_priors,
    quantile_tables,
    shrunk,
)
from analytics.cashflow.projection import project, projection_periods
from core.errors import LedgerError
from tests.ledger_factory import inv, load, pay

D = date(2024, 6, 30)


def options(**kw) -> CashflowOptions:
    return CashflowOptions(**{"as_of": D, "include_sales": False, "draws": 400, **kw})


def bin_of(days_late: int) -> int:
    return days_late - MIN_DAYS_LATE


# --- punctual payers ---------------------------------------------------------------------------


@pytest.fixture
def punctual(tmp_path):
    return punctual_ledger(tmp_path)


def punctual_ledger(tmp_path):
    """A and B paid three invoices each exactly on the due date; open at D = 30 Jun:
    A  I4 1,000 due 10 Jul (t = 10, week 2), I5 500 due 20 Jul (t = 20, week 3),
    B  I9   250 due  1 Jul (t = 1, week 1), C1 −80 (a credit note: not a receipt)."""
    invoices, payments = [], []
    for c, n in (("A", 0), ("B", 5)):
        for k, month in enumerate(("02", "03", "04"), start=1):
            invoice_id = f"I{n + k}"
            invoices.append(inv(invoice_id, c, f"2024-{month}-01", f"2024-{month}-28", 100))
            payments.append(pay(f"P{n + k}", c, f"2024-{month}-28", 100, invoice_id))
    invoices += [
        inv("I4", "A", "2024-06-10", "2024-07-10", 1000),
        inv("I5", "A", "2024-06-20", "2024-07-20", 500),
        inv("I9", "B", "2024-06-01", "2024-07-01", 250),
        inv("C1", "B", "2024-06-15", "2024-06-15", -80),
    ]
    return load(tmp_path, invoices=invoices, payments=payments)


def test_punctual_payers_are_projected_on_their_due_dates(punctual):
    p = project(punctual, options())
    weeks = p.weekly.set_index("period")
    # every draw: 250 in week 1 (1 Jul), 1,000 in week 2 (10 Jul), 500 in week 3 (20 Jul)
    expected = [250.0, 1000.0, 500.0] + [0.0] * 10
    for column in ("mean_amount", "p10_amount", "p50_amount", "p90_amount", "open_ar_amount"):
        assert weeks[column].tolist() == pytest.approx(expected)
    assert (p.weekly_draws == np.array(expected)).all()
    # July holds all three; the credit note is reported, never received
    assert p.monthly["mean_amount"].tolist() == pytest.approx([1750.0] + [0.0] * 11)
    assert p.open_ar.open_amount == pytest.approx(1750.0)
    assert p.open_ar.collectible == pytest.approx(1750.0)
    assert p.open_ar.credits == pytest.approx(-80.0)
    assert p.weekly["start_date"].iloc[0] == date(2024, 7, 1)


def test_a_customer_filter_projects_only_its_customers(punctual):
    p = project(punctual, options(), customer_keys=[1])  # B only
    assert p.weekly["mean_amount"].iloc[:3].tolist() == pytest.approx([250.0, 0.0, 0.0])


# --- a customer who pays 10 or 20 days late --------------------------------------------------


@pytest.fixture
def late_payer(tmp_path):
    """B paid I1 (due 1 May) and I2 (due 11 May), 1,000 each, both on 21 May: 20 and 10 days
    late, known on the same day, so equal weights: half the cash 10 days late, half 20.
    Open: I3 600, due 25 Jun (5 days past due at D) and I4 300 due 15 Jun (15 days)."""
    return load(
        tmp_path,
        invoices=[
            inv("I1", "B", "2024-04-01", "2024-05-01", 1000),
            inv("I2", "B", "2024-04-11", "2024-05-11", 1000),
            inv("I3", "B", "2024-05-26", "2024-06-25", 600),
            inv("I4", "B", "2024-05-16", "2024-06-15", 300),
        ],
        payments=[
            pay("P1", "B", "2024-05-21", 1000, "I1"),
            pay("P2", "B", "2024-05-21", 1000, "I2"),
        ],
    )


def test_history_weights_each_payment_by_amount_and_recency(late_payer):
    h = lateness_history(late_payer, options())
    paid = h[h["days_late_bin"] <= 365].set_index("days_late_bin")
    # both known on 21 May, 40 days before D: 1,000 × 0.5^(40 / 180) each
    assert paid["weight"].tolist() == pytest.approx([1000 * 0.5 ** (40 / 180)] * 2)
    assert paid.index.tolist() == [10, 20]


def test_items_past_due_are_paid_later_than_they_already_are(late_payer):
    p = project(late_payer, options())
    draws = p.weekly_draws
    # I4 is 15 days past due: only "20 days late" is left -> paid 5 Jul (t = 5), every draw.
    # I3 is 5 days past due: 10 days late (30 Jun + 5 = t 5, week 1) or 20 (t 15, week 3), 50/50.
    assert set(np.round(draws[:, 0])) == {300.0, 900.0}
    assert (np.round(draws[:, 0] + draws[:, 2]) == 900.0).all()
    assert (draws[:, [1, *range(3, 13)]] == 0).all()
    assert (draws[:, 0] == 900.0).mean() == pytest.approx(0.5, abs=0.08)


def test_an_item_later_than_all_history_follows_the_tail_rule(late_payer):
    # on 20 Jul I3 is 25 days past due, later than any payment seen and nothing was ever
    # left unpaid: paid evenly over the next TAIL_DAYS (28) days, i.e. weeks 1-4.
    p = project(late_payer, options(as_of=date(2024, 7, 20)))
    assert p.open_ar.tail_amount == pytest.approx(900.0)  # I3 600 + I4 300 (35 days)
    assert p.weekly["mean_amount"].iloc[:4].sum() == pytest.approx(900.0)
    assert p.weekly["mean_amount"].iloc[4:].sum() == 0.0
    assert TAIL_DAYS == 28


# --- never paid, disputes -------------------------------------------------------------------------


@pytest.fixture
def sometimes_unpaid(tmp_path):
    """C: I1 1,000 due 1 Jan 2023 never paid (still open 365 days later, on 1 Jan 2024:
    known then, 181 days before D); I2 1,000 due 1 May 2024 paid 11 May (10 days late, known
    50 days before D). Open: I3 500 due 10 Jul (and I1). D1 400 disputed, due 20 Jun."""
    return load(
        tmp_path,
        invoices=[
            inv("I1", "C", "2022-12-01", "2023-01-01", 1000),
            inv("I2", "C", "2024-04-01", "2024-05-01", 1000),
            inv("I3", "C", "2024-06-10", "2024-07-10", 500),
            inv("D1", "C", "2024-05-21", "2024-06-20", 400, disputed="true"),
        ],
        payments=[pay("P2", "C", "2024-05-11", 1000, "I2")],
    )


def test_the_never_paid_share_is_taken_off_the_amount(sometimes_unpaid):
    p = project(sometimes_unpaid, options(disputed="exclude"))
    w_never, w_paid = 1000 * 0.5 ** (181 / 180), 1000 * 0.5 ** (50 / 180)
    never = w_never / (w_never + w_paid)  # 498.07 / (498.07 + 824.87) = 0.37649
    # I3 (not due): 500 × (1 − 0.37649) = 311.75 collectible, on 20 Jul (t 20, week 3).
    # I1 is 546 days past due: only "never" is left -> nothing collectible.
    assert never == pytest.approx(0.37649, abs=1e-5)
    assert p.open_ar.collectible == pytest.approx(500 * (1 - never))
    assert p.open_ar.open_amount == pytest.approx(1900.0)  # I1 + I3 + D1
    assert p.open_ar.disputed_excluded == pytest.approx(400.0)
    assert p.open_ar.never_expected == pytest.approx(1000 + 500 * never)
    assert p.weekly["p50_amount"].tolist() == pytest.approx([0, 0, 500 * (1 - never)] + [0] * 10)


def test_delayed_disputes_follow_the_portfolio_60_days_later(sometimes_unpaid):
    p = project(sometimes_unpaid, options(disputed="delay"))
    # no disputed history: D1 follows C's distribution delayed 60 days: 70 days late
    # (29 Aug, t 60, month 2) or never; 400 × (1 − 0.37649) = 249.40 collectible.
    assert p.open_ar.disputed_excluded == 0.0
    collectible = 400 * (1 - 0.37649)
    assert p.monthly["mean_amount"].iloc[1] == pytest.approx(collectible, rel=1e-4)


# --- the identity the projection keeps ---------------------------------------------------------


def test_projections_sum_to_the_open_ar_expected_to_be_collected(sometimes_unpaid, late_payer):
    for con, as_of in ((sometimes_unpaid, D), (late_payer, date(2024, 6, 20))):
        p = project(con, options(as_of=as_of, months=1))  # a short horizon: most comes later
        total = p.monthly["mean_amount"].sum() + p.open_ar_after
        assert total == pytest.approx(p.open_ar.collectible)
        assert p.open_ar.collectible == pytest.approx(
            p.open_ar.open_amount - p.open_ar.disputed_excluded - p.open_ar.never_expected
        )


# --- pure pieces ---------------------------------------------------------------------------------


def test_shrinkage_weighs_own_history_by_effective_size():
    own = np.zeros((1, N_BINS))
    own[0, bin_of(10)] = 2.0  # two equal observations: n_eff = 2, alpha = 2 / (2 + 10)
    prior = np.zeros(N_BINS)
    prior[bin_of(0)] = 1.0
    pmf, alpha = shrunk(own, np.array([2.0]), prior)
    assert alpha == pytest.approx([1 / 6])
    assert pmf[0, bin_of(10)] == pytest.approx(1 / 6)
    assert pmf[0, bin_of(0)] == pytest.approx(5 / 6)
    assert effective_n(np.array([3.0, 0.0]), np.array([5.0, 0.0])).tolist() == [1.8, 0.0]


def test_pool_priors_shrink_thin_cells_toward_the_portfolio():
    hist = np.zeros((3, N_BINS))
    hist[0, bin_of(0)] = 1.0  # customer 0, cell 0: one observation on time
    hist[1, bin_of(30)] = 1.0  # customer 1, cell 1: one 30 days late
    cell = np.array([0, 1, 1])  # customer 2 (no history) shares cell 1
    priors = pool_priors(hist, hist.sum(axis=1), hist.sum(axis=1) ** 2, cell)
    # cell 1: n_eff 1 -> 1/11 own (30 days) + 10/11 portfolio (half 0, half 30 days)
    assert priors[2, bin_of(30)] == pytest.approx(1 / 11 + 10 / 11 * 0.5)
    assert priors[2, bin_of(0)] == pytest.approx(10 / 11 * 0.5)
    assert (priors[1] == priors[2]).all()


def test_delay_moves_what_passes_the_last_bin_to_never():
    pmf = np.zeros(N_BINS)
    pmf[bin_of(0)], pmf[bin_of(350)] = 0.75, 0.25
    out = delayed(pmf, 60)
    assert out[bin_of(60)] == 0.75 and out[NEVER] == 0.25 and out.sum() == pytest.approx(1.0)


def test_conditioning_keeps_the_mass_after_the_days_past_due():
    pmf = np.zeros((1, N_BINS))
    pmf[0, bin_of(-5)], pmf[0, bin_of(10)], pmf[0, NEVER] = 0.5, 0.3, 0.2
    c = conditioned(pmf, np.array([0, 0, 0]), np.array([-10, 0, 12]), np.array([100.0] * 3))
    # dpd −10: everything left, 80 % is paid; dpd 0: 0.3 paid of 0.5 left; dpd 12: only never
    assert c.collectible.tolist() == pytest.approx([80.0, 60.0, 0.0])
    assert c.lower.tolist() == pytest.approx([0.0, 0.5 / 0.8, 1.0])
    assert not c.tail.any()


def test_intraclass_correlation_by_hand():
    # two groups of two: (1, 1) and (−1, −1): all variance between groups -> ICC 1, capped
    z, n = np.array([1.0, 1.0, -1.0, -1.0]), np.ones(4)
    assert intraclass_correlation(z, n, np.array([0, 0, 1, 1])) == pytest.approx(0.45)
    # (1, −1) and (1, −1): none between -> 0
    assert intraclass_correlation(np.array([1.0, -1, 1, -1]), n, np.array([0, 0, 1, 1])) == 0.0


def test_projection_periods_start_the_day_after_as_of():
    weekly, monthly = projection_periods(date(2024, 6, 15), 2, 2)
    assert weekly[["first_day", "last_day"]].values.tolist() == [[1, 7], [8, 14]]
    # month 1 is the rest of June (16-30 Jun = days 1-15), then July (days 16-46)
    assert monthly[["first_day", "last_day"]].values.tolist() == [[1, 15], [16, 46]]
    assert monthly["start_date"].tolist() == [date(2024, 6, 16), date(2024, 7, 1)]
    assert isinstance(monthly, pd.DataFrame)


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"disputed": "ignore"}, "disputed items"),
        ({"weeks": 0}, "--weeks"),
        ({"draws": 5}, "draws"),
    ],
)
def test_bad_options_are_refused_with_a_clear_message(kw, message):
    with pytest.raises(LedgerError, match=message):
        CashflowOptions(as_of=D, **kw)


def test_the_first_level_above_a_value_counts_the_levels_at_or_below_it():
    # levels (j + 0.5) / 4096: 0.5/4096 is level 0, so a value on it has 1 level at or below
    # it and one just under it none; 1.0 is above all 4096
    on_first = 0.5 / QUANTILE_LEVELS
    values = np.array([0.0, np.nextafter(on_first, 0), on_first, 0.5, 1.0])
    assert first_level_above(values).tolist() == [0, 0, 1, 2048, QUANTILE_LEVELS]


def test_quantile_tables_give_the_bin_a_search_per_level_finds():
    """Row 0: half on bin 3, half on bin 400: levels below 0.5 read bin 3, the rest bin 400.
    Row 1 pays nothing (all never): left empty. Row 2 is not asked for."""
    pmf = np.zeros((3, N_BINS))
    pmf[0, [3, 400]] = 0.5
    pmf[1, NEVER] = 1.0
    pmf[2, 7] = 1.0
    tables = quantile_tables(pmf, np.array([0, 1, 0]))
    half = QUANTILE_LEVELS // 2
    assert (tables[0, :half] == 3).all() and (tables[0, half:] == 400).all()
    assert not tables[1:].any()
    cdf = np.cumsum(pmf[0, :NEVER])
    levels = (np.arange(QUANTILE_LEVELS) + 0.5) / QUANTILE_LEVELS
    assert tables[0].tolist() == np.searchsorted(cdf / cdf[-1], levels).tolist()
