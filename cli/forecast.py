"""`python -m analytics forecast`: the cash-flow projection (and its backtest) on the command
line, from the same functions as the Cash flow page.

    python -m analytics forecast --ledger data/ledger.duckdb [--as-of DATE] [--weeks 13]
        [--disputed delay|exclude] [--no-sales] [--opening-cash X --weekly-outflow Y
        --buffer Z | --outflows plan.csv] [--backtest] [--json]

Text tables by default, one JSON object with ``--json``; the backtest reports its progress
on stderr.
"""

from __future__ import annotations

import argparse
import math
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from analytics.cashflow.model import DISPUTE_MODES, CashflowOptions
from analytics.portfolio.ledger import ledger_info
from cli.args import date_arg, ledger_args, open_engine, positive_int, progress
from cli.portfolio import strict_json


def add_forecast(sub) -> None:
    p = sub.add_parser(
        "forecast",
        help="project customer receipts week by week with P10/P50/P90 (and --backtest them)",
    )
    ledger_args(p)
    p.add_argument("--as-of", type=date_arg, help="YYYY-MM-DD (default: the ledger's last date)")
    p.add_argument("--weeks", type=positive_int, default=13, help="weeks to project (default 13)")
    p.add_argument("--months", type=positive_int, default=12, help="months (default 12)")
    p.add_argument("--disputed", choices=DISPUTE_MODES, default="delay",
                   help="disputed items: paid as past disputes were (delay) or left out")  # fmt: skip
    p.add_argument("--no-sales", action="store_true", help="leave out sales not yet invoiced")
    p.add_argument("--draws", type=positive_int, default=CashflowOptions.draws)
    p.add_argument("--seed", type=int, default=CashflowOptions.seed)
    p.add_argument("--opening-cash", type=float, help="funding gap: cash at the as-of date")
    p.add_argument("--weekly-outflow", type=float, default=0.0, help="funding gap: cash out a week")
    p.add_argument("--outflows", type=Path, help="funding gap: CSV of date, amount (cash out)")
    p.add_argument("--buffer", type=float, default=0.0, help="funding gap: minimum cash")
    p.add_argument("--backtest", action="store_true",
                   help="also backtest at past month-ends (progress on stderr)")  # fmt: skip
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=cmd_forecast)


def cmd_forecast(args: argparse.Namespace) -> int:
    from analytics.cashflow.projection import project

    engine = open_engine(args)
    info = ledger_info(engine)
    options = CashflowOptions(
        as_of=args.as_of or info.last_date or date.today(), weeks=args.weeks, months=args.months,
        disputed=args.disputed, include_sales=not args.no_sales, draws=args.draws, seed=args.seed,
    )  # fmt: skip
    projection = project(engine, options)
    out: dict[str, Any] = projection_json(projection, info.reporting_currency)
    gap = _funding(args, projection)
    if gap is not None:
        out["funding"] = _records(gap)
    if args.backtest:
        from analytics.cashflow.backtest import backtest

        out["backtest"] = backtest_json(backtest(engine, options, progress=progress))
    print(strict_json(out) if args.json else text_report(out))
    return 0


def _funding(args: argparse.Namespace, projection) -> pd.DataFrame | None:
    from analytics.cashflow.funding import constant_outflows, funding_gap, outflows_from_csv

    if args.opening_cash is None and args.outflows is None:
        return None
    weeks, as_of = projection.options.weeks, projection.options.as_of
    if args.outflows is not None:
        outflows = outflows_from_csv(args.outflows.read_bytes(), as_of, weeks, str(args.outflows))
    else:
        outflows = constant_outflows(args.weekly_outflow, weeks)
    opening = args.opening_cash or 0.0
    return funding_gap(projection.weekly_draws, as_of, outflows, opening, args.buffer)


def _clean(value):
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def projection_json(p, currency: str) -> dict[str, Any]:
    """The projection as plain JSON types (amounts in the reporting currency)."""
    o = p.open_ar
    return {
        "as_of": p.options.as_of.isoformat(),
        "currency": currency,
        "options": {
            "weeks": p.options.weeks,
            "months": p.options.months,
            "disputed": p.options.disputed,
            "include_sales": p.options.include_sales,
            "draws": p.options.draws,
            "seed": p.options.seed,
        },  # fmt: skip
        "open_ar": {
            "open_amount": o.open_amount,
            "collectible": o.collectible,
            "never_expected": o.never_expected,
            "disputed_excluded": o.disputed_excluded,
            "tail_rule": o.tail_amount,
            "credits": o.credits,
            "n_documents": o.n_documents,
            "after_last_month": p.open_ar_after,
            "rho_portfolio": o.rho_portfolio,
            "rho_customer": o.rho_customer,
        },  # fmt: skip
        "unapplied_cash": p.unapplied_amount,
        "sales_forecast": None
        if p.sales is None
        else {
            "model": p.sales.model,
            "reason": p.sales.reason,
            "history_months": len(p.sales.history),
            "collection_rate": float(p.curve.sum()),
            "after_last_month": p.new_sales_after,
        },  # fmt: skip
        "weekly": _records(p.weekly),
        "monthly": _records(p.monthly),
    }


def backtest_json(bt) -> dict[str, Any]:
    return {
        "origins": [d.isoformat() for d in bt.origins],
        "coverage_p10_p90": _clean(bt.coverage),
        "cumulative_coverage": {str(k): v for k, v in bt.cumulative_coverage.items()},
        "errors": _records(bt.errors),
    }


def _table(rows: list[dict], columns: list[str]) -> str:
    frame = pd.DataFrame(rows)[columns]
    return frame.to_string(index=False, float_format=lambda v: f"{v:,.0f}")


def text_report(out: dict[str, Any]) -> str:
    """Tables a person reads: weekly and monthly receipts, then funding and backtest."""
    o, ccy = out["open_ar"], out["currency"]
    money = ["open_ar_amount", "new_sales_amount", "mean_amount", "p10_amount", "p50_amount",
             "p90_amount"]  # fmt: skip
    lines = [
        f"Receipts projected as of {out['as_of']} ({ccy})",
        f"open AR {o['open_amount']:,.0f}: collectible {o['collectible']:,.0f}, never expected "
        f"{o['never_expected']:,.0f}, disputed left out {o['disputed_excluded']:,.0f}; credits "
        f"{o['credits']:,.0f} and unapplied cash {out['unapplied_cash']:,.0f} not projected",
    ]
    if out["sales_forecast"]:
        s = out["sales_forecast"]
        lines.append(f"sales forecast {s['model']} ({s['reason']}); collection rate "
                     f"{s['collection_rate']:.1%}")  # fmt: skip
    lines += ["", "Weekly", _table(out["weekly"], ["period", "start_date", "end_date", *money])]
    lines += ["", "Monthly", _table(out["monthly"], ["period", "start_date", "end_date", *money])]
    if "funding" in out:
        columns = ["period", "end_date", "cash_p10_amount", "cash_p50_amount",
                   "shortfall_p50_amount", "shortfall_p90_amount", "status"]  # fmt: skip
        lines += ["", "Funding gap", _table(out["funding"], columns)]
    if "backtest" in out:
        lines += ["", backtest_text(out["backtest"])]
    return "\n".join(lines)


def backtest_text(bt: dict[str, Any]) -> str:
    if not bt["origins"]:
        return "Backtest: no month-end with 12 months of ledger before and 13 weeks after"
    errors = pd.DataFrame(bt["errors"])
    wide = errors.pivot(index="method", columns="horizon_weeks", values="mape")
    wide.columns = [f"{h} weeks" for h in wide.columns]
    return (
        f"Backtest at {len(bt['origins'])} month-ends ({bt['origins'][0]} to {bt['origins'][-1]}):"
        f" mean absolute % error of cumulative receipts\n"
        + wide.to_string(float_format=lambda v: f"{v:.1%}")
        + f"\nP10-P90 coverage of actual weeks: {bt['coverage_p10_p90']:.1%}"
    )
