"""Command line: `python -m analytics {metrics,trend,breakdown,load,validate,sample,forecast,risk,
snapshot, pack}` (spec §7, §14, §15)."""

from __future__ import annotations

import argparse
import sys

from cli import forecast, history, ingest, pack, portfolio, risk
from core.errors import LedgerError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    portfolio.add_metrics(sub)
    portfolio.add_trend(sub)
    portfolio.add_breakdown(sub)
    ingest.add_load(sub)
    ingest.add_validate(sub)
    ingest.add_sample(sub)
    forecast.add_forecast(sub)
    risk.add_risk(sub)
    history.add_snapshot(sub)
    pack.add_pack(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (LedgerError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
