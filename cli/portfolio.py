"""Portfolio commands: `metrics` (the spec §7 JSON), `trend` and `breakdown`."""

from __future__ import annotations

import argparse
import json
import math
from datetime import date
from typing import Any

from cli.args import as_of_args, ledger_args, open_for, positive_int
from core.constants import DEFAULT_TOP_N, TREND_MONTHS


def strict_json(value: Any) -> str:
    """`value` as strict JSON: a number that is not finite is null (spec §7: undefined values
    are null), never the NaN or Infinity that JSON does not have.

    >>> strict_json({"dso": float("nan"), "ar": [float("inf"), 1.5]})
    '{"dso": null, "ar": [null, 1.5]}'
    """
    return json.dumps(_finite(value), allow_nan=False)


def _finite(value: Any) -> Any:
    """`value` with every float that is NaN or ±inf replaced by None, in dicts and lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def add_metrics(sub) -> None:
    p = sub.add_parser(
        "metrics", help="print the portfolio metrics as of a date as one JSON object"
    )
    ledger_args(p)
    as_of_args(p)
    p.add_argument(
        "--top-n",
        type=positive_int,
        default=DEFAULT_TOP_N,
        help="N for the top-N share (default 10)",
    )
    p.add_argument(
        "--basis",
        choices=["due", "invoice"],
        default="due",
        help="age by due date (default) or invoice date",
    )
    p.set_defaults(func=cmd_metrics)


def add_trend(sub) -> None:
    p = sub.add_parser(
        "trend", help="print the month-end trend (AR, overdue share, DSO, CEI) as JSON"
    )
    ledger_args(p)
    as_of_args(p, buckets=False)
    p.add_argument("--months", type=positive_int, default=TREND_MONTHS)
    p.set_defaults(func=cmd_trend)


def add_breakdown(sub) -> None:
    from analytics.portfolio.breakdown import DIMENSIONS

    p = sub.add_parser(
        "breakdown", help="print the metrics per customer, segment, region, rating, … as JSON"
    )
    ledger_args(p)
    p.add_argument(
        "--by", required=True, choices=list(DIMENSIONS), help="dimension to break down by"
    )
    as_of_args(p)
    p.set_defaults(func=cmd_breakdown)


def cmd_metrics(args: argparse.Namespace) -> int:
    from analytics.portfolio.report import metrics_json, portfolio_metrics, translation_rate
    from analytics.portfolio.snapshot import Options, snapshot

    engine, info, as_of = open_for(args)
    snap = snapshot(
        engine,
        Options(as_of=as_of, edges=args.buckets, basis=args.basis, window_days=args.window_days),
    )
    currency = args.currency or info.reporting_currency
    rate = translation_rate(engine, as_of, currency, info.reporting_currency)
    out = metrics_json(portfolio_metrics(snap, top_n=args.top_n), snap, currency, rate)
    print(strict_json(out))
    return 0


def cmd_trend(args: argparse.Namespace) -> int:
    from analytics.portfolio.trend import monthly_trend

    engine, _info, as_of = open_for(args)
    frame = monthly_trend(engine, as_of, args.window_days, args.months)
    frame["month_end"] = frame["month_end"].map(date.isoformat)
    print(frame.to_json(orient="records"))
    return 0


def cmd_breakdown(args: argparse.Namespace) -> int:
    from analytics.portfolio.breakdown import breakdown
    from analytics.portfolio.snapshot import Options, snapshot

    engine, _info, as_of = open_for(args)
    snap = snapshot(engine, Options(as_of=as_of, edges=args.buckets, window_days=args.window_days))
    print(breakdown(engine, snap, args.by).to_json(orient="records"))
    return 0
