"""The figures the faster paths of issue 15 must not move: the cash-flow projection (expected
columns, P10/P50/P90 from the draws, the open-AR summary), the scenario simulator's receipts,
balances and DSO, and the Aging page's month-end history, as JSON.

    .venv/bin/python -m bench.same_figures --db data/ledger.duckdb --write before.json
    ... change ...
    .venv/bin/python -m bench.same_figures --db data/ledger.duckdb --check before.json

bench/figures/ holds them as the code gave them before the speed work (commit 93c9b3e) for the
bundled sample (data/ledger.duckdb, seed 7) and, with --quick, for bench_pages.py's 1M ledger
(bench/out/pages-1000000). ``--check`` prints every figure that differs by more than 1e-9 (relative) and exits 1 if any
does. tests/analytics/test_same_figures.py runs the same collection on the test ledger against
tests/fixtures/same_figures.json. The credit-loss and profit lines of a scenario are left out:
they follow the PD model, which is not what a speed change touches.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from analytics.policy.scenario import Collection, Limits, Sales, Scenario, Terms
from analytics.policy.simulator import prepare, simulate
from analytics.portfolio.aging_view import aging_history
from analytics.portfolio.snapshot import Options
from core.filters import ALL_CUSTOMERS, CustomerFilter
from engines import facts
from engines.base import Engine
from engines.duckdb.engine import connect

RTOL = 1e-9
SCENARIO_SKIP = ("credit_loss_amount", "profit_amount")  # the PD model's, not the speed work's
SCENARIOS = (
    Scenario(),
    Scenario(name="terms", terms=Terms("change", 15), sales=Sales(5.0)),
    Scenario(name="collection", collection=Collection(30.0, False)),
    Scenario(name="block", limits=Limits("months_of_sales", 2.0, (), 10.0, "block")),
)


def plain(value):
    """JSON-ready: frames to column lists, numpy scalars to floats, dates to text."""
    if isinstance(value, pd.DataFrame):
        return {c: plain(value[c].tolist()) for c in value.columns}
    if isinstance(value, pd.Series):
        return plain(value.tolist())
    if isinstance(value, list | tuple | np.ndarray):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, date | pd.Timestamp):
        return value.isoformat()[:10]
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        return None if math.isnan(value) else float(value)
    return value


def projection_figures(engine: Engine, options: CashflowOptions, keys) -> dict:
    p = project(engine, options, keys)
    o = p.open_ar
    totals = p.weekly_draws.sum(axis=1)
    return {
        "weekly": p.weekly, "monthly": p.monthly,
        "open_ar": [o.open_amount, o.disputed_excluded, o.never_expected, o.tail_amount,
                    o.credits, o.n_documents, o.rho_portfolio, o.rho_customer],
        "after": [p.open_ar_after, p.new_sales_after, p.unapplied_amount],
        "weeks_total_p10_p50_p90": np.percentile(totals, [10, 50, 90]),
        "sales": None if p.sales is None else [p.sales.model, p.sales.mean],
    }  # fmt: skip


def outcome_figures(o) -> dict:
    """One side of a simulation, the PD model's lines left out."""
    return {k: getattr(o, k) for k in o.__dataclass_fields__ if k not in SCENARIO_SKIP}


def scenario_figures(engine: Engine, as_of: date, f: CustomerFilter) -> dict:
    inputs = prepare(engine, as_of, 91, f)
    out = {"countback_sales": inputs.countback_sales.sum(axis=0)}
    for scenario in SCENARIOS:
        r = simulate(inputs, scenario)
        c = r.customers
        out[scenario.name] = {
            "baseline": outcome_figures(r.baseline),
            "outcome": outcome_figures(r.outcome),
            "flows": [r.sales_gained_amount, r.sales_blocked_amount],
            "weekly": [r.receipts_baseline.weekly["receipts_amount"],
                       r.receipts_scenario.weekly["receipts_amount"]],
            "monthly": [r.receipts_baseline.monthly["receipts_amount"],
                        r.receipts_scenario.monthly["receipts_amount"]],
            "customers": [c["scenario_balance_amount"].sum(), c["scenario_sales_amount"].sum(),
                          c["balance_amount"].sum(), int(c["in_scope"].sum())],
            "backtest": [len(r.backtest.invoices),
                         float(r.backtest.invoices.get("amount", pd.Series(dtype=float)).sum())],
        }  # fmt: skip
    return out


def segment_filter(engine: Engine) -> CustomerFilter:
    """The filter the page benchmarks change to: the segment with the most customers."""
    segments = facts.customers(engine)["segment"].value_counts()
    return CustomerFilter(segments=(str(segments.index[0]),))


def figures(engine: Engine, as_of: date, quick: bool = False) -> dict:
    """Every figure above as of ``as_of``, whole ledger and the largest segment. ``quick``
    (large ledgers): fewer projection variants."""
    seg = segment_filter(engine)
    dims = facts.customers(engine)
    variants = [("all", ALL_CUSTOMERS, "delay", True), ("segment", seg, "exclude", True),
                ("all", ALL_CUSTOMERS, "delay", False)]  # fmt: skip
    if not quick:
        variants += [("segment", seg, "delay", False), ("all", ALL_CUSTOMERS, "exclude", True)]
    out: dict = {}
    for name, f, disputed, sales in variants:
        options = CashflowOptions(as_of=as_of, disputed=disputed, include_sales=sales)
        label = f"projection/{name}/{disputed}/{'sales' if sales else 'no-sales'}"
        out[label] = projection_figures(engine, options, f.customer_keys(dims))
    for name, f in (("all", ALL_CUSTOMERS), ("segment", seg)):
        out[f"scenarios/{name}"] = scenario_figures(engine, as_of, f)
        for basis in ("due", "invoice"):
            options = Options(as_of=as_of, basis=basis)
            first = facts.ledger_info(engine)["first_date"]
            out[f"aging/{name}/{basis}"] = aging_history(
                engine, options, f.customer_keys(dims), start=first
            )
    if not quick:
        back = replace(CashflowOptions(as_of=as_of), as_of=date(as_of.year - 1, 6, 30))
        out["projection/a-year-before"] = projection_figures(engine, back, None)
    return plain(out)


def differences(expected, actual, path: str = "") -> list[str]:
    """Where ``actual`` differs from ``expected`` (relative 1e-9 for numbers)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        keys = sorted(set(expected) | set(actual))
        return [d for k in keys for d in differences(expected.get(k), actual.get(k), f"{path}/{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} values, now {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in differences(e, a, f"{path}[{i}]")]  # fmt: skip
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        if math.isclose(expected, actual, rel_tol=RTOL, abs_tol=1e-6):
            return []
    elif expected == actual:
        return []
    return [f"{path}: {expected!r} -> {actual!r}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 10, 31))
    parser.add_argument("--quick", action="store_true", help="fewer variants (large ledgers)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path)
    group.add_argument("--check", type=Path)
    args = parser.parse_args()
    engine = connect(args.db)
    got = figures(engine, args.as_of, args.quick)
    if args.write:
        args.write.write_text(json.dumps(got, indent=1) + "\n")
        return
    diffs = differences(json.loads(args.check.read_text()), got)
    print("\n".join(diffs[:50]) or "same figures")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
