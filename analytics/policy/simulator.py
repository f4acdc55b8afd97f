"""Policy simulator: the baseline and a scenario side by side, per year in steady state.

``prepare`` gathers, once per ledger, as-of date and view, everything the levers do not
change (customer balances, sales, terms and lateness history, the PD table, the receipts
projection's parts, the backtest's invoices); ``simulate`` applies a scenario's levers to it
at customer grain, which is all a slider move recomputes.

The model (docs/simulator.md has the reasons): a customer's receivables are its sales rate
times its days outstanding, so a change of Δ days in when it pays (terms later, collection
effort earlier) moves its AR by daily sales × Δ; sales move with the terms by the elasticity;
a blocking limit cuts the sales of a customer whose exposure would exceed its cap so that it
fits the cap. Baseline and scenario go through the same arithmetic, so a scenario without
policy changes is the baseline exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.metrics import dso
from analytics.policy import economics
from analytics.policy.limit_backtest import BacktestBase, BacktestResult, backtest_base, replay
from analytics.policy.receipts import (
    Receipts,
    ReceiptsBase,
    baseline_receipts,
    receipts_base,
    scenario_receipts,
)
from analytics.policy.scenario import Scenario, Scope
from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.model import behavioural_model
from core.calendar import countback_periods
from core.constants import COUNTBACK_MAX_PERIODS, DEFAULT_WINDOW_DAYS
from core.filters import ALL_CUSTOMERS, CustomerFilter
from engines import facts
from engines.base import Engine

YEAR_DAYS = 365
DEFAULT_TERMS_DAYS = 30  # for a customer with no invoice in the year and no terms on file


@dataclass(frozen=True)
class SimulatorInputs:
    """Everything the levers do not change (reporting currency)."""

    as_of: date
    window_days: int
    customers: pd.DataFrame  # one row per customer of the view, see customer_inputs()
    countback_sales: np.ndarray  # customers × COUNTBACK_MAX_PERIODS, period 0 first
    countback_days: np.ndarray  # days of each countback period
    pd_table: pd.DataFrame  # economics.pd_summary: the rating table and who takes which PD
    receipts: ReceiptsBase
    backtest: BacktestBase


def prepare(
    engine: Engine,
    as_of: date,
    window_days: int = DEFAULT_WINDOW_DAYS,
    customer_filter: CustomerFilter = ALL_CUSTOMERS,
    scores: pd.DataFrame | None = None,
) -> SimulatorInputs:
    """The lever-independent inputs for the customers the filter keeps, as of ``as_of``.

    ``scores``: the behavioural model's scores at ``as_of`` (``BehaviouralModel.scores``:
    customer_key, pd); fitted here when not given. A customer the model does not score takes
    its rating's PD from the ledger's 90+ dpd history (docs/simulator.md)."""
    snap = snapshot(engine, Options(as_of=as_of, window_days=window_days), customer_filter)
    dims = facts.customers(engine)
    keys = customer_filter.customer_keys(dims)
    rating_table = economics.pd_by_rating(_default_history(engine, as_of),
                                          dims.set_index("customer_key")["risk_rating"])  # fmt: skip
    if scores is None:
        scores = behavioural_model(engine, as_of=as_of).scores
    six_month = scores.set_index("customer_key")["pd"]
    customers = customer_inputs(snap.customers, _history(engine, as_of), rating_table,
                                window_days, six_month)  # fmt: skip
    periods = countback_periods(as_of, COUNTBACK_MAX_PERIODS)
    return SimulatorInputs(
        as_of=as_of,
        window_days=window_days,
        customers=customers,
        countback_sales=_countback_matrix(engine, as_of, keys, customers["customer_key"]),
        countback_days=np.array([(last - first).days + 1 for first, last in periods]),
        pd_table=economics.pd_summary(customers, rating_table),
        receipts=receipts_base(engine, as_of, keys),
        backtest=backtest_base(engine, as_of, keys),
    )


def _history(engine: Engine, as_of: date) -> pd.DataFrame:
    start = as_of - timedelta(days=YEAR_DAYS)
    return facts.scenario_customer_history(engine, start=start, as_of=as_of)


def _default_history(engine: Engine, as_of: date) -> pd.DataFrame:
    end = as_of - timedelta(days=economics.DEFAULT_DPD + 1)
    start = end - timedelta(days=YEAR_DAYS)
    return facts.scenario_default_history(engine, start=start, end=end)


def _countback_matrix(engine, as_of, keys, customer_keys: pd.Series) -> np.ndarray:
    rows = facts.scenario_countback_sales(engine, as_of=as_of,
                 periods=COUNTBACK_MAX_PERIODS, customer_keys=keys)  # fmt: skip
    matrix = np.zeros((len(customer_keys), COUNTBACK_MAX_PERIODS))
    position = pd.Series(np.arange(len(customer_keys)), index=customer_keys.to_numpy())
    row = position.reindex(rows["customer_key"]).to_numpy()
    keep = ~np.isnan(row)
    np.add.at(matrix, (row[keep].astype(np.int64), rows["period"].to_numpy()[keep]),
              rows["sales_amount"].to_numpy(float)[keep])  # fmt: skip
    return matrix


def customer_inputs(
    snap_customers: pd.DataFrame,
    history: pd.DataFrame,
    pd_table: pd.DataFrame,
    window_days: int,
    six_month_pd: pd.Series,
) -> pd.DataFrame:
    """Per customer: the snapshot's figures (spec §2-§6) plus terms in force, average days
    late (positive part, amount-weighted, invoices settled in the year; undisputed and
    disputed apart), average monthly sales of the year and its 12-month PD with its basis
    (``economics.customer_pd``: the model's where it scores the customer, else the rating's)."""
    c = snap_customers.sort_values("customer_key").reset_index(drop=True)
    h = history.set_index("customer_key").reindex(c["customer_key"]).fillna(0.0)
    h.index = c.index
    terms = h["terms_amount_days"] / h["invoiced_amount"].where(h["invoiced_amount"] > 0)
    terms = terms.fillna(c["payment_terms_days"]).fillna(DEFAULT_TERMS_DAYS)
    settled = h["settled_undisputed_amount"] + h["settled_disputed_amount"]
    out = c.assign(
        terms_days=terms.astype(float),
        daily_sales_amount=c["sales_amount"] / window_days,
        monthly_sales_amount=h["sales_year_amount"] / 12,
        late_undisputed_days=_ratio(
            h["late_undisputed_amount_days"], h["settled_undisputed_amount"]
        ),  # fmt: skip
        late_disputed_days=_ratio(h["late_disputed_amount_days"], h["settled_disputed_amount"]),
        disputed_share=_ratio(h["settled_disputed_amount"], settled),
    )
    chosen = economics.customer_pd(
        c.set_index("customer_key")["risk_rating"], six_month_pd, pd_table
    )
    return out.assign(pd=chosen["pd"].to_numpy(), pd_basis=chosen["pd_basis"].to_numpy())


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    return (numerator / denominator.where(denominator > 0)).fillna(0.0)


# --- levers ----------------------------------------------------------------------------------


def scope_mask(customers: pd.DataFrame, scope: Scope) -> np.ndarray:
    """True for the customers the levers apply to (empty lists = all)."""
    keep = np.ones(len(customers), bool)
    for column, values in (("segment", scope.segments), ("region", scope.regions),
                           ("risk_rating", scope.ratings), ("customer_id", scope.customers)):  # fmt: skip
        if values:
            keep &= customers[column].isin(values).to_numpy()
    return keep


def terms_change(customers: pd.DataFrame, scenario: Scenario, scope: np.ndarray) -> np.ndarray:
    """ΔT per customer: ``change`` moves the terms by N days (never below 0 days),
    ``set`` makes them N days; 0 outside the scope."""
    current = customers["terms_days"].to_numpy(float)
    t = scenario.terms
    delta = np.maximum(t.days, -current) if t.mode == "change" else t.days - current
    return np.where(scope, delta, 0.0)


def sales_factor(delta_terms: np.ndarray, elasticity_pct_per_10_days: float) -> np.ndarray:
    """m = 1 + elasticity × ΔT / 10 days (never below 0).

    >>> sales_factor(np.array([30.0]), 2.0)
    array([1.06])
    """
    return np.maximum(1.0 + elasticity_pct_per_10_days / 100.0 * delta_terms / 10.0, 0.0)


@dataclass(frozen=True)
class LatenessCut:
    """Days of lateness the collection lever takes off, per customer."""

    overall: np.ndarray  # average over its settled invoices (what its AR moves by)
    undisputed: np.ndarray  # for its undisputed open items
    disputed: np.ndarray  # for its disputed open items (0 when disputes are excluded)


def lateness_cut(customers: pd.DataFrame, scenario: Scenario, scope: np.ndarray) -> LatenessCut:
    """r × average days late (positive part): disputed invoices keep their lateness when
    the lever excludes them."""
    r = np.where(scope, scenario.collection.late_reduction_pct / 100.0, 0.0)
    und = customers["late_undisputed_days"].to_numpy(float)
    dis = customers["late_disputed_days"].to_numpy(float)
    share = customers["disputed_share"].to_numpy(float)
    keep_disputed = 0.0 if scenario.collection.exclude_disputed else 1.0
    overall = r * ((1 - share) * und + keep_disputed * share * dis)
    return LatenessCut(overall, r * und, keep_disputed * r * dis)


def proposed_limits(customers: pd.DataFrame, scenario: Scenario, scope: np.ndarray) -> np.ndarray:
    """Per customer: the limit the policy enforces, NaN = none (spec §6: 0 or empty = no
    limit). In scope: (current limit, or months × average monthly sales) × the rating's
    multiplier; out of scope, or with the default "flag" policy and unchanged limits, the
    current limit (flagged, never enforced)."""
    lim = scenario.limits
    current = customers["credit_limit"].where(customers["credit_limit"] > 0).to_numpy(float)
    if lim.rule == "months_of_sales":
        base = lim.months * customers["monthly_sales_amount"].clip(lower=0).to_numpy(float)
    else:
        base = current
    multiplier = customers["risk_rating"].map(lim.multiplier).to_numpy(float)
    return np.where(scope, base * multiplier, current)


def customer_effects(inputs: SimulatorInputs, scenario: Scenario) -> pd.DataFrame:
    """Per customer of the view: the levers' effect (see the module docstring).

    AR' = m × max(B + d × Δdays, min(B, 0)) with d = window sales ÷ N, Δdays = ΔT − lateness
    cut and m the sales factor (a cut never takes a balance below zero); open orders × m;
    exposure' = max(AR', 0) + orders'. Over the cap (proposed limit × (1 + tolerance)) a
    blocking policy scales the customer's sales, AR and orders by k = cap ÷ exposure' (a
    customer with no sales in the window has nothing to block: k = 1).
    """
    c = inputs.customers
    scope = scope_mask(c, scenario.scope)
    delta_terms = terms_change(c, scenario, scope)
    m = sales_factor(delta_terms, scenario.sales.elasticity_pct_per_10_days)
    cut = lateness_cut(c, scenario, scope)
    days = delta_terms - cut.overall
    balance = c["balance_amount"].to_numpy(float)
    inner = np.maximum(balance + c["daily_sales_amount"].to_numpy(float) * days,
                       np.minimum(balance, 0.0))  # fmt: skip
    balance1, orders1 = m * inner, m * c["open_orders_amount"].to_numpy(float)
    exposure1 = np.maximum(balance1, 0.0) + orders1
    limit = proposed_limits(c, scenario, scope)
    cap = limit * (1.0 + scenario.limits.tolerance_pct / 100.0)
    over = scope & ~np.isnan(cap) & (exposure1 > np.nan_to_num(cap, nan=np.inf))
    can_block = over & (scenario.limits.action == "block") & (c["sales_amount"].to_numpy() > 0)
    k = np.where(can_block, np.divide(cap, exposure1, where=can_block, out=np.ones_like(cap)), 1.0)
    balance2 = np.where(balance1 > 0, balance1 * k, balance1)
    return pd.DataFrame({
        "customer_key": c["customer_key"], "customer_id": c["customer_id"], "name": c["name"],
        "segment": c["segment"], "region": c["region"], "risk_rating": c["risk_rating"],
        "in_scope": scope, "terms_days": c["terms_days"], "terms_change_days": delta_terms,
        "late_cut_days": cut.overall, "late_cut_undisputed_days": cut.undisputed,
        "late_cut_disputed_days": cut.disputed, "sales_factor": m, "block_factor": k,
        "proposed_limit": limit, "cap_amount": cap, "is_over_cap": over,
        "balance_amount": c["balance_amount"], "scenario_balance_amount": balance2,
        "exposure_amount": c["exposure_amount"],
        "scenario_exposure_amount": np.maximum(balance2, 0.0) + orders1 * k,
        "sales_amount": c["sales_amount"], "scenario_sales_amount": c["sales_amount"] * m * k,
    })  # fmt: skip


# --- outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One side (baseline or scenario), reporting currency; money per year where a flow."""

    ar_amount: float
    working_capital_amount: float
    dso_standard: float | None
    dso_countback: float | None
    countback_is_lower_bound: bool
    receipts_13w_amount: float
    receipts_12m_amount: float
    sales_year_amount: float
    exposure_amount: float
    financing_cost_amount: float
    credit_loss_amount: float
    gross_margin_amount: float
    profit_amount: float
    customers_over_cap: int


def outcome(
    inputs: SimulatorInputs,
    scenario: Scenario,
    balance: np.ndarray,
    exposure: np.ndarray,
    factor: np.ndarray,
    receipts: Receipts,
    over_cap: np.ndarray,
) -> Outcome:
    """Aggregate one side: ``factor`` = scenario sales ÷ baseline sales per customer."""
    c, e, n = inputs.customers, scenario.economics, inputs.window_days
    ar = float(np.sum(balance))
    window = float(np.sum(c["sales_amount"].to_numpy(float) * factor))
    periods = (inputs.countback_sales * factor[:, None]).sum(axis=0)
    countback = dso.countback_dso(ar, list(zip(periods, inputs.countback_days, strict=True)))
    parts = _profit_parts(inputs, scenario, ar, window * YEAR_DAYS / n, exposure)
    return Outcome(
        ar_amount=ar,
        working_capital_amount=economics.working_capital(ar, e.gross_margin_pct / 100),
        dso_standard=dso.standard_dso(ar, window, n),
        dso_countback=countback.days,
        countback_is_lower_bound=countback.is_lower_bound,
        receipts_13w_amount=receipts.weeks_total,
        receipts_12m_amount=receipts.months_total,
        sales_year_amount=parts.sales,
        exposure_amount=float(np.sum(exposure)),
        financing_cost_amount=parts.financing,
        credit_loss_amount=parts.credit_loss,
        gross_margin_amount=economics.gross_profit(parts.sales, parts.gross_margin),
        profit_amount=parts.profit,
        customers_over_cap=int(np.sum(over_cap)),
    )


def _profit_parts(inputs, scenario, ar, sales_year, exposure) -> economics.ProfitParts:
    c, e = inputs.customers, scenario.economics
    gm = e.gross_margin_pct / 100
    wc = economics.working_capital(ar, gm)
    loss = economics.expected_credit_loss(
        pd.Series(exposure), c["pd"], c["insured_limit"], e.lgd_pct / 100,
        e.insurance_cover_pct / 100,
    )  # fmt: skip
    return economics.ProfitParts(sales_year, gm, economics.financing_cost(wc, e.cost_of_capital_pct / 100),
                                 float(loss.sum()))  # fmt: skip


@dataclass(frozen=True)
class SimulationResult:
    scenario: Scenario
    baseline: Outcome
    outcome: Outcome
    sales_gained_amount: float  # per year, from the elasticity (negative = lost)
    sales_blocked_amount: float  # per year, by blocking limits
    bridge: pd.DataFrame  # economics.profit_bridge
    customers: pd.DataFrame  # customer_effects
    receipts_baseline: Receipts
    receipts_scenario: Receipts
    backtest: BacktestResult
    pd_table: pd.DataFrame

    @property
    def n_in_scope(self) -> int:
        return int(self.customers["in_scope"].sum())


def simulate(inputs: SimulatorInputs, scenario: Scenario) -> SimulationResult:
    """Baseline and scenario outcomes, the profit bridge and the limit backtest."""
    fx = customer_effects(inputs, scenario)
    c = inputs.customers
    ones = np.ones(len(c))
    factor = fx["sales_factor"].to_numpy() * fx["block_factor"].to_numpy()
    limit = c["credit_limit"].where(c["credit_limit"] > 0).to_numpy(float)
    current_over = c["exposure_amount"].to_numpy(float) > np.nan_to_num(limit, nan=np.inf)
    base_receipts = baseline_receipts(inputs.receipts)
    base = outcome(inputs, scenario, c["balance_amount"].to_numpy(float),
                   c["exposure_amount"].to_numpy(float), ones, base_receipts, current_over)  # fmt: skip
    receipts = _scenario_receipts(inputs, fx)
    scen = outcome(inputs, scenario, fx["scenario_balance_amount"].to_numpy(float),
                   fx["scenario_exposure_amount"].to_numpy(float), factor, receipts,
                   fx["is_over_cap"].to_numpy())  # fmt: skip
    year = YEAR_DAYS / inputs.window_days
    sales = fx["sales_amount"].to_numpy(float)
    gained = float(np.sum(sales * (fx["sales_factor"].to_numpy() - 1.0)) * year)
    blocked = float(np.sum(sales * fx["sales_factor"].to_numpy()
                           * (1.0 - fx["block_factor"].to_numpy())) * year)  # fmt: skip
    bridge = economics.profit_bridge(
        _parts(base, scenario), _parts(scen, scenario), gained, blocked
    )
    caps = pd.Series(np.where(fx["in_scope"], fx["cap_amount"], np.nan),
                     index=fx["customer_key"].to_numpy())  # fmt: skip
    return SimulationResult(scenario, base, scen, gained, blocked, bridge, fx, base_receipts,
                            receipts, replay(inputs.backtest, caps, scenario.limits.action),
                            inputs.pd_table)  # fmt: skip


def _parts(o: Outcome, scenario: Scenario) -> economics.ProfitParts:
    gm = scenario.economics.gross_margin_pct / 100
    return economics.ProfitParts(o.sales_year_amount, gm, o.financing_cost_amount,
                                 o.credit_loss_amount)  # fmt: skip


def _scenario_receipts(inputs: SimulatorInputs, fx: pd.DataFrame) -> Receipts:
    """The receipts of the customers whose levers change anything moved accordingly."""
    days = fx["terms_change_days"] - fx["late_cut_days"]
    factor = fx["sales_factor"] * fx["block_factor"]
    und, dis = fx["late_cut_undisputed_days"].round(), fx["late_cut_disputed_days"].round()
    changed = ((days.round() != 0) | (factor != 1.0) | (und != 0) | (dis != 0)).to_numpy()
    sales = fx["sales_amount"].clip(lower=0).to_numpy(float)
    share = sales / sales.sum() if sales.sum() > 0 else np.zeros_like(sales)
    return scenario_receipts(
        inputs.receipts, fx["customer_key"].to_numpy(np.int64)[changed],
        und.to_numpy()[changed], dis.to_numpy()[changed], share[changed],
        factor.to_numpy()[changed], days.round().to_numpy()[changed],
    )  # fmt: skip


# --- tables for the page and the export ------------------------------------------------------

FIGURES = [  # (field, label, unit, how it is computed: one line; details in docs/simulator.md)
    ("dso_standard", "DSO (standard)", "days",
     "AR ÷ credit sales of the DSO window × its days."),
    ("dso_countback", "DSO (countback)", "days",
     "Months of sales, counted back from the as-of date, that make up AR."),
    ("ar_amount", "AR balance", "money",
     "Per customer: (AR + daily sales × days paid later or sooner) × sales factor."),
    ("working_capital_amount", "Working capital tied up", "money",
     "AR × (1 − gross margin): what the goods in receivables cost."),
    ("receipts_13w_amount", "Receipts, next 13 weeks", "money",
     "The cash-flow projection's expected receipts, retimed and rescaled by the levers."),
    ("receipts_12m_amount", "Receipts, next 12 months", "money",
     "The cash-flow projection's expected receipts, retimed and rescaled by the levers."),
    ("sales_year_amount", "Credit sales per year", "money",
     "Window sales × 365 ÷ window days × sales factor, less blocked sales."),
    ("exposure_amount", "Exposure", "money", "Σ max(AR, 0) + open orders."),
    ("financing_cost_amount", "Financing cost per year", "money",
     "Working capital × cost of capital."),
    ("credit_loss_amount", "Expected credit loss", "money",
     "Σ PD × uninsured exposure × LGD; PD: the behavioural model's, made 12-month "
     "(its rating's 90+ dpd history for a customer the model does not score)."),
    ("profit_amount", "Net profit per year", "money",
     "Gross margin on sales − financing cost − expected credit loss."),
    ("customers_over_cap", "Customers over the limit", "count",
     "Exposure above the policy's limit × (1 + tolerance); baseline: today's limit."),
]  # fmt: skip
FLOWS = [
    ("sales_gained_amount", "Sales gained per year", "money",
     "Sales per year × elasticity × terms change ÷ 10 days (negative = lost)."),
    ("sales_blocked_amount", "Sales blocked per year", "money",
     "Blocking limits: a customer over its cap keeps cap ÷ exposure of its sales."),
    ("profit_effect_amount", "Net profit effect per year", "money",
     "Scenario − baseline net profit: the waterfall's steps."),
]  # fmt: skip
HOW = {key: how for key, _, _, how in FIGURES + FLOWS}
COMPARISON_COLUMNS = ["figure", "unit", "baseline", "scenario", "change", "how"]


def comparison_table(result: SimulationResult) -> pd.DataFrame:
    """One row per figure: baseline, scenario, change and how it is computed."""
    rows = []
    for key, label, unit, how in FIGURES:
        b, s = getattr(result.baseline, key), getattr(result.outcome, key)
        rows.append((label, unit, b, s, _change(b, s), how))
    effect = result.outcome.profit_amount - result.baseline.profit_amount
    flows = {"sales_gained_amount": result.sales_gained_amount,
             "sales_blocked_amount": result.sales_blocked_amount,
             "profit_effect_amount": effect}  # fmt: skip
    for key, label, unit, how in FLOWS:
        rows.append((label, unit, 0.0, flows[key], flows[key], how))
    return pd.DataFrame(rows, columns=COMPARISON_COLUMNS)


def _change(baseline: float | None, scenario: float | None) -> float | None:
    return None if baseline is None or scenario is None else scenario - baseline


def comparison_of(results: list[SimulationResult]) -> pd.DataFrame:
    """Several scenarios side by side: figure, unit, baseline (the first one's economics),
    then one column per scenario."""
    if not results:
        return pd.DataFrame(columns=["figure", "unit", "baseline"])
    first = comparison_table(results[0])
    out = first[["figure", "unit", "baseline"]].copy()
    for r in results:
        out[r.scenario.name] = comparison_table(r)["scenario"].to_numpy()
    return out


def assumptions_table(scenario: Scenario) -> pd.DataFrame:
    """Every lever of the scenario as (lever, value) rows, for the export."""
    rows = [("name", scenario.name)]
    for group, values in scenario.to_dict().items():
        if isinstance(values, dict):
            for key, value in values.items():
                if isinstance(value, dict):
                    rows += [(f"{group}.{key}.{k}", v) for k, v in value.items()]
                else:
                    rows.append((f"{group}.{key}", ", ".join(value) if isinstance(value, list)
                                 else value))  # fmt: skip
    return pd.DataFrame(rows, columns=["lever", "value"]).astype({"value": str})
