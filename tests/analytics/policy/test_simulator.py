"""Policy simulator: invariants on a sample ledger and hand-worked cases on tiny ones.

Tiny ledgers: customers invoice the same amount every day and pay exactly N days after the
due date, so AR at D = daily amount × (terms + N) and window sales = daily amount × 90.
"""

from dataclasses import asdict, replace
from datetime import date, timedelta

import numpy as np
import pytest

from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from analytics.policy import economics
from analytics.policy.scenario import Collection, Economics, Limits, Sales, Scenario, Scope, Terms
from analytics.policy.simulator import prepare, simulate
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.model import behavioural_model
from core.filters import CustomerFilter
from data.loader import load_ledger
from data.sample import generate_sample
from tests.ledger_factory import inv, load, pay

D = date(2024, 6, 30)
SAMPLE_END = date(2026, 10, 31)


def daily_ledger(tmp_path, customers: dict[str, dict], start=date(2023, 5, 1), disputed=()):
    """Each customer: {"amount", "terms", "late", segment/rating/limit...}: an invoice every day
    from ``start`` to D, paid ``late`` days after its due date when that is on or before D.
    ``disputed``: extra (customer, invoice_date, amount, days late) invoices, disputed."""
    invoices, payments, rows = [], [], []
    for cid, spec in customers.items():
        rows.append({"customer_id": cid, **{k: v for k, v in spec.items()
                                           if k not in ("amount", "terms", "late")}})  # fmt: skip
        day = start
        while day <= D:
            iid = f"{cid}-{day:%Y%m%d}"
            due = day + timedelta(days=spec["terms"])
            invoices.append(inv(iid, cid, day.isoformat(), due.isoformat(), spec["amount"]))
            paid = due + timedelta(days=spec["late"])
            if paid <= D:
                payments.append(pay(f"P{iid}", cid, paid.isoformat(), spec["amount"], iid))
            day += timedelta(days=1)
    for k, (cid, day, amount, late) in enumerate(disputed):
        iid, due = f"DSP{k}", day + timedelta(days=30)
        invoices.append(inv(iid, cid, day.isoformat(), due.isoformat(), amount, disputed="true"))
        payments.append(pay(f"PD{k}", cid, (due + timedelta(days=late)).isoformat(), amount, iid))
    return load(tmp_path, customers=rows, invoices=invoices, payments=payments)


PUNCTUAL = {
    "X": {"amount": 100, "terms": 30, "late": 0, "segment": "Retail", "risk_rating": "B",
          "credit_limit": 10_000},
    "Y": {"amount": 300, "terms": 30, "late": 0, "segment": "Wholesale", "risk_rating": "C"},
}  # fmt: skip


@pytest.fixture
def punctual(tmp_path):
    """AR at D: X 30 × 100 = 3,000, Y 30 × 300 = 9,000; window sales X 9,000, Y 27,000;
    standard DSO = 12,000 / 36,000 × 90 = 30 days."""
    return prepare(daily_ledger(tmp_path, PUNCTUAL), D)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    from engines.duckdb.engine import connect

    folder = tmp_path_factory.mktemp("simulator-sample")
    generate_sample(folder / "sample", invoices=6_000, seed=11)
    load_ledger(folder / "sample", folder / "ledger.duckdb")
    con = connect(folder / "ledger.duckdb")
    yield con, prepare(con, SAMPLE_END)
    con.close()


# --- the baseline ----------------------------------------------------------------------------


def test_a_scenario_without_policy_changes_equals_the_baseline_exactly(sample):
    _, inputs = sample
    for scenario in (Scenario(), Scenario(name="assumptions only", scope=Scope(segments=("SMB",)),
                                          economics=Economics(12, 40, 60, 50))):  # fmt: skip
        r = simulate(inputs, scenario)
        assert r.outcome == r.baseline
        assert r.sales_gained_amount == 0 and r.sales_blocked_amount == 0
        assert r.bridge["amount"].iloc[1:-1].tolist() == [0.0] * 4
        assert np.array_equal(r.receipts_scenario.daily, r.receipts_baseline.daily)
        fx = r.customers
        assert fx["scenario_balance_amount"].equals(fx["balance_amount"])
        assert fx["scenario_sales_amount"].equals(fx["sales_amount"])


def test_the_baseline_is_the_dashboard_and_the_cash_flow_projection(sample):
    con, inputs = sample
    b = simulate(inputs, Scenario()).baseline
    m = portfolio_metrics(snapshot(con, Options(as_of=SAMPLE_END)))
    assert b.ar_amount == pytest.approx(m.ar_total, rel=1e-12)
    assert b.dso_standard == pytest.approx(m.dso_standard, rel=1e-12)
    assert b.dso_countback == pytest.approx(m.dso_countback, rel=1e-12)
    assert b.exposure_amount == pytest.approx(m.total_exposure, rel=1e-12)
    # the projection's expected receipts (open AR as the mean of 500 draws)
    p = project(con, CashflowOptions(as_of=SAMPLE_END))
    assert b.receipts_13w_amount == pytest.approx(p.weekly["mean_amount"].sum(), rel=0.005)
    assert b.receipts_12m_amount == pytest.approx(p.monthly["mean_amount"].sum(), rel=0.005)


def test_the_punctual_ledger_by_hand(punctual):
    b = simulate(punctual, Scenario()).baseline
    assert b.ar_amount == 12_000 and b.dso_standard == pytest.approx(30)
    assert b.sales_year_amount == pytest.approx(36_000 * 365 / 90)  # the window, annualised
    # working capital 12,000 × 75 %; financing 9,000 × 8 % = 720
    assert b.working_capital_amount == 9_000 and b.financing_cost_amount == pytest.approx(720)
    # nothing ever went 90+ → PD at the 0.03 % floor; X insured? no: 0.0003 × 12,000 × 45 %
    assert b.credit_loss_amount == pytest.approx(0.0003 * 12_000 * 0.45)


def test_the_expected_loss_takes_the_behavioural_models_pd_made_twelve_month(sample):
    """One PD: every customer the model scores carries 1 − (1 − PD6)² of its own model PD;
    the rest their rating's history PD; the yearly loss is Σ PD × uninsured exposure × LGD."""
    con, inputs = sample
    scores = behavioural_model(con, as_of=SAMPLE_END).scores.set_index("customer_key")["pd"]
    c = inputs.customers.set_index("customer_key")
    on_model = c["pd_basis"] == economics.PD_MODEL
    assert on_model.sum() > 0.8 * len(c)  # the model scores nearly every customer of the sample
    expected = 1 - (1 - scores.reindex(c.index[on_model])) ** 2
    assert c.loc[on_model, "pd"].to_numpy() == pytest.approx(expected.clip(lower=0.0003).to_numpy())
    table = inputs.pd_table.set_index("rating")["pd"]
    rated = c.loc[~on_model]
    assert rated["pd"].to_numpy() == pytest.approx(
        rated["risk_rating"].fillna("(none)").map(table).to_numpy()
    )
    b = simulate(inputs, Scenario()).baseline
    uninsured = (
        c["exposure_amount"] - np.minimum(c["exposure_amount"], c["insured_limit"].fillna(0)) * 0.9
    )
    assert b.credit_loss_amount == pytest.approx(
        float((c["pd"] * uninsured * 0.45).sum()), rel=1e-9
    )


# --- terms ---------------------------------------------------------------------------------------


def test_longer_terms_on_a_share_of_sales_raise_dso_by_that_share(punctual):
    """X (share s = 9,000 / 36,000 = 25 %) +20 days: AR + 100 × 20 = 14,000; DSO + 20 × 25 %."""
    r = simulate(punctual, Scenario(scope=Scope(segments=("Retail",)), terms=Terms(days=20)))
    assert r.outcome.ar_amount == pytest.approx(14_000)
    assert r.outcome.dso_standard == pytest.approx(35)
    # financing of the extra AR: 2,000 × 75 % × 8 % = 120 a year
    extra = r.bridge.set_index("step").loc["Extra financing cost", "amount"]
    assert extra == pytest.approx(-120)


@pytest.mark.parametrize(("segments", "days"), [(("SMB",), 30), (("Enterprise",), 90),
                                                 ((), -20), (("SMB", "Mid-market"), 45)])  # fmt: skip
def test_the_dso_invariant_on_a_sample(sample, segments, days):
    """+ΔT on a share s of sales: standard DSO + ΔT·s (within a day) and AR + daily sales × ΔT·s."""
    _, inputs = sample
    c = inputs.customers
    share = c.loc[c["segment"].isin(segments or c["segment"]), "sales_amount"].sum()
    share /= c["sales_amount"].sum()
    r = simulate(inputs, Scenario(scope=Scope(segments=segments), terms=Terms(days=days)))
    daily = c["sales_amount"].sum() / inputs.window_days
    assert abs(r.outcome.dso_standard - r.baseline.dso_standard - days * share) < 1
    assert r.outcome.ar_amount - r.baseline.ar_amount == pytest.approx(daily * days * share)


def test_a_new_standard_term_moves_each_customer_to_it(tmp_path):
    inputs = prepare(daily_ledger(tmp_path, {**PUNCTUAL, "Y": {**PUNCTUAL["Y"], "terms": 60}}), D)
    # X 30 → 45 (+15), Y 60 → 45 (−15): AR 3,000 + 1,500 + 18,000 − 4,500
    r = simulate(inputs, Scenario(terms=Terms(mode="set", days=45)))
    assert r.customers["terms_change_days"].tolist() == [15, -15]
    assert r.outcome.ar_amount == pytest.approx(18_000)


def test_shorter_terms_never_take_a_balance_below_zero(punctual):
    r = simulate(punctual, Scenario(terms=Terms(days=-30)))  # 30-day terms become cash
    assert r.customers["terms_change_days"].tolist() == [-30, -30]
    assert r.outcome.ar_amount == 0 and r.outcome.dso_standard == 0


def test_sales_respond_to_terms_by_the_elasticity(punctual):
    """X +20 days, +5 % per 10 days: m = 1.1; AR_X = 1.1 × 5,000 = 5,500; window sales
    X 9,900; DSO = 14,500 / 36,900 × 90; sales gained 900 × 365 / 90 a year."""
    s = Scenario(scope=Scope(segments=("Retail",)), terms=Terms(days=20), sales=Sales(5.0))
    r = simulate(punctual, s)
    assert r.outcome.ar_amount == pytest.approx(14_500)
    assert r.outcome.dso_standard == pytest.approx(14_500 / 36_900 * 90)
    assert r.sales_gained_amount == pytest.approx(900 * 365 / 90)
    margin = r.bridge.set_index("step").loc["Margin on sales gained", "amount"]
    assert margin == pytest.approx(900 * 365 / 90 * 0.25)


# --- collection effort -----------------------------------------------------------------------


def test_collection_effort_takes_days_off_the_lateness(tmp_path):
    """X pays 20 days late: AR 100 × 50 = 5,000. One disputed invoice of 10,000 was paid 80
    days late. Cut 50 %: undisputed lateness 20 → 10 days; with disputes excluded the AR
    falls by 100 × 50 % × (1 − share) × 20, with them by 100 × 50 % × ((1 − share) × 20 +
    share × 80), share = the disputed part of the year's settled amount."""
    late = {"X": {**PUNCTUAL["X"], "late": 20}}
    con = daily_ledger(tmp_path, late, disputed=[("X", date(2023, 12, 1), 10_000, 80)])
    inputs = prepare(con, D)
    c = inputs.customers.iloc[0]
    assert (c["late_undisputed_days"], c["late_disputed_days"]) == (20, 80)
    share = c["disputed_share"]
    assert 0 < share < 0.5
    base = simulate(inputs, Scenario()).baseline.ar_amount
    assert base == 5_000
    for exclude, cut in ((True, (1 - share) * 20), (False, (1 - share) * 20 + share * 80)):
        r = simulate(inputs, Scenario(collection=Collection(50, exclude_disputed=exclude)))
        assert r.outcome.ar_amount == pytest.approx(5_000 - 100 * 0.5 * cut)
        assert r.outcome.receipts_13w_amount > r.baseline.receipts_13w_amount


# --- limits --------------------------------------------------------------------------------------


def test_a_blocking_limit_cuts_sales_to_fit_the_cap(punctual):
    """X limit 10,000 × 0.2 = 2,000 < exposure 3,000: k = 2/3 → AR_X 2,000, window sales
    6,000; blocked 3,000 × 365 / 90 a year. Flagging changes nothing but the count."""
    limits = Limits(multipliers=(("B", 0.2),), action="block")
    r = simulate(punctual, Scenario(limits=limits))
    assert r.customers["block_factor"].tolist() == pytest.approx([2 / 3, 1])
    assert r.outcome.ar_amount == pytest.approx(11_000)
    assert r.sales_blocked_amount == pytest.approx(3_000 * 365 / 90)
    assert r.outcome.customers_over_cap == 1 and r.baseline.customers_over_cap == 0
    flagged = simulate(punctual, Scenario(limits=replace(limits, action="flag")))
    assert flagged.outcome.ar_amount == 12_000 and flagged.outcome.customers_over_cap == 1
    # tolerance 50 %: cap 3,000 is not exceeded by an exposure of exactly 3,000
    tolerant = simulate(punctual, Scenario(limits=replace(limits, tolerance_pct=50)))
    assert tolerant.outcome.customers_over_cap == 0


def test_a_limit_rule_of_months_of_sales(punctual):
    """1 month of average sales: X 100 × 365 / 12 = 3,041.67 ≥ 3,000 (fits), Y 9,125 ≥ 9,000:
    nothing over; 0.5 months blocks both down to half a month of sales."""
    fits = simulate(punctual, Scenario(limits=Limits(rule="months_of_sales", months=1,
                                                     action="block")))  # fmt: skip
    assert fits.outcome.customers_over_cap == 0
    half = simulate(punctual, Scenario(limits=Limits(rule="months_of_sales", months=0.5,
                                                     action="block")))  # fmt: skip
    assert half.outcome.ar_amount == pytest.approx(0.5 * 36_500 / 12 + 0.5 * 109_500 / 12)


@pytest.mark.parametrize("lever", ["multiplier", "tolerance", "months"])
def test_tighter_limits_never_raise_exposure_or_sales(sample, lever):
    _, inputs = sample
    loose_to_tight = {
        "multiplier": [Limits(multipliers=tuple((r, m) for r in "ABCDE"), action="block")
                       for m in (3, 1.5, 1, 0.75, 0.5, 0.25, 0)],
        "tolerance": [Limits(tolerance_pct=t, action="block") for t in (100, 50, 20, 5, 0)],
        "months": [Limits(rule="months_of_sales", months=m, action="block")
                   for m in (12, 6, 3, 2, 1, 0.5)],
    }[lever]  # fmt: skip
    outs = [simulate(inputs, Scenario(terms=Terms(days=30), limits=lim)).outcome
            for lim in loose_to_tight]  # fmt: skip
    exposure = [o.exposure_amount for o in outs]
    sales = [o.sales_year_amount for o in outs]
    assert all(a >= b - 1e-6 for a, b in zip(exposure, exposure[1:], strict=False))
    assert all(a >= b - 1e-6 for a, b in zip(sales, sales[1:], strict=False))
    assert exposure[0] > exposure[-1] and sales[0] > sales[-1]  # the levers do bite


def test_higher_cost_of_capital_never_raises_profit(sample):
    _, inputs = sample
    for policy in (Scenario(terms=Terms(days=60), sales=Sales(4.0)),
                   Scenario(collection=Collection(40), limits=Limits(action="block"))):  # fmt: skip
        profits = [simulate(inputs, replace(policy, economics=Economics(cost_of_capital_pct=k)))
                   for k in (0, 4, 8, 15, 30, 50)]  # fmt: skip
        for side in ("baseline", "outcome"):
            p = [getattr(r, side).profit_amount for r in profits]
            assert all(a >= b for a, b in zip(p, p[1:], strict=False)) and p[0] > p[-1]


def test_the_bridge_adds_up_to_the_profit_change(sample):
    _, inputs = sample
    s = Scenario(scope=Scope(ratings=("D", "E")), terms=Terms(days=30), sales=Sales(3.0),
                 collection=Collection(20), limits=Limits(multipliers=(("E", 0.5),),
                                                          action="block"))  # fmt: skip
    r = simulate(inputs, s)
    steps = r.bridge.set_index("step")["amount"]
    assert "Other" not in steps.index
    assert steps.iloc[:-1].sum() == pytest.approx(r.outcome.profit_amount)
    assert steps.iloc[0] == r.baseline.profit_amount and steps.iloc[-1] == r.outcome.profit_amount


# --- scope, views and edges ---------------------------------------------------------------------


def test_the_scope_picks_customers_by_id_and_rating(punctual):
    by_id = simulate(punctual, Scenario(scope=Scope(customers=("Y",)), terms=Terms(days=10)))
    assert by_id.customers["in_scope"].tolist() == [False, True] and by_id.n_in_scope == 1
    assert by_id.outcome.ar_amount == pytest.approx(12_000 + 300 * 10)
    by_rating = simulate(punctual, Scenario(scope=Scope(ratings=("B",)), terms=Terms(days=10)))
    assert by_rating.outcome.ar_amount == pytest.approx(12_000 + 100 * 10)


def test_a_view_that_matches_nobody_and_a_date_before_the_ledger(sample):
    con, _ = sample
    nobody = prepare(con, SAMPLE_END, customer_filter=CustomerFilter(search="no such customer"))
    r = simulate(nobody, Scenario(terms=Terms(days=30)))
    assert r.outcome.ar_amount == 0 and r.outcome.dso_standard is None
    early = prepare(con, date(2020, 1, 1))
    r = simulate(early, Scenario(terms=Terms(days=30), limits=Limits(action="block")))
    assert r.baseline.ar_amount == 0 and r.outcome.receipts_13w_amount == 0


def test_simulate_does_not_change_its_inputs(sample):
    _, inputs = sample
    before = inputs.customers.copy()
    simulate(inputs, Scenario(terms=Terms(days=30), limits=Limits(action="block")))
    assert inputs.customers.equals(before)
    assert asdict(simulate(inputs, Scenario()).baseline) == asdict(
        simulate(inputs, Scenario()).baseline
    )
