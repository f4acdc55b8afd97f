"""Command line: `python -m analytics {metrics,trend,load,validate,sample,forecast}` (spec §7)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path

from data.errors import LedgerError

from .aging import parse_edges
from .constants import DEFAULT_BUCKET_EDGES, DEFAULT_TOP_N, DEFAULT_WINDOW_DAYS

DEFAULT_DB = Path("data/ledger.duckdb")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"expected a 3-letter ISO currency code, got {text!r}")
    return code


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _progress(fraction: float, message: str) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_metrics(sub)
    _add_trend(sub)
    _add_breakdown(sub)
    _add_load(sub)
    _add_validate(sub)
    _add_sample(sub)
    _add_forecast(sub)
    return parser


def _ledger_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ledger",
        required=True,
        type=Path,
        help="ledger folder, export file (with --mapping) or DuckDB file made by `load`",
    )
    p.add_argument("--mapping", type=Path, help="TOML import mapping (see mappings/README.md)")
    p.add_argument(
        "--currency", type=_currency, help="reporting currency (default: the ledger's, else USD)"
    )


def _add_metrics(sub) -> None:
    p = sub.add_parser(
        "metrics", help="print the portfolio metrics as of a date as one JSON object"
    )
    _ledger_args(p)
    p.add_argument(
        "--as-of", type=_date, help="YYYY-MM-DD (default: the ledger's last document date)"
    )
    p.add_argument(
        "--window-days",
        type=_positive_int,
        default=DEFAULT_WINDOW_DAYS,
        help="DSO window N (default 90)",
    )
    p.add_argument(
        "--buckets",
        type=parse_edges_arg,
        default=DEFAULT_BUCKET_EDGES,
        help="aging upper edges (default 30,60,90,120)",
    )
    p.add_argument(
        "--top-n",
        type=_positive_int,
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


def parse_edges_arg(text: str) -> tuple[int, ...]:
    try:
        return parse_edges(text)
    except LedgerError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--buckets: ")) from None


def _add_trend(sub) -> None:
    p = sub.add_parser(
        "trend", help="print the month-end trend (AR, overdue share, DSO, CEI) as JSON"
    )
    _ledger_args(p)
    p.add_argument(
        "--as-of", type=_date, help="YYYY-MM-DD (default: the ledger's last document date)"
    )
    p.add_argument("--window-days", type=_positive_int, default=DEFAULT_WINDOW_DAYS)
    p.add_argument("--months", type=_positive_int, default=24)
    p.set_defaults(func=cmd_trend)


def _add_breakdown(sub) -> None:
    from .breakdown import DIMENSIONS

    p = sub.add_parser(
        "breakdown", help="print the metrics per customer, segment, region, rating, … as JSON"
    )
    _ledger_args(p)
    p.add_argument(
        "--by", required=True, choices=list(DIMENSIONS), help="dimension to break down by"
    )
    p.add_argument(
        "--as-of", type=_date, help="YYYY-MM-DD (default: the ledger's last document date)"
    )
    p.add_argument("--window-days", type=_positive_int, default=DEFAULT_WINDOW_DAYS)
    p.add_argument("--buckets", type=parse_edges_arg, default=DEFAULT_BUCKET_EDGES)
    p.set_defaults(func=cmd_breakdown)


def _add_load(sub) -> None:
    p = sub.add_parser(
        "load", help="validate a ledger and load it into a DuckDB file (all or nothing)"
    )
    p.add_argument(
        "--ledger",
        required=True,
        type=Path,
        help="ledger folder, or one export file with --mapping",
    )
    p.add_argument("--mapping", type=Path, help="TOML import mapping")
    p.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_DB,
        help=f"database file to replace (default {DEFAULT_DB})",
    )
    p.add_argument(
        "--currency", type=_currency, default="USD", help="reporting currency (default USD)"
    )
    p.set_defaults(func=cmd_load)


def _add_validate(sub) -> None:
    p = sub.add_parser(
        "validate", help="check a ledger and list every error and warning; loads nothing"
    )
    p.add_argument("--ledger", required=True, type=Path)
    p.add_argument("--mapping", type=Path)
    p.add_argument("--currency", type=_currency, default="USD")
    p.set_defaults(func=cmd_validate)


def _add_sample(sub) -> None:
    p = sub.add_parser("sample", help="write a deterministic sample ledger")
    p.add_argument("--out", required=True, type=Path, help="folder to write")
    p.add_argument("--invoices", type=_positive_int, default=60_000)
    p.add_argument("--customers", type=_positive_int, help="default: invoices / 200, at least 20")
    p.add_argument("--years", type=_positive_int, default=3)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--end-date", type=_date, help="last document date (default 2026-10-31)")
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    p.set_defaults(func=cmd_sample)


def _add_forecast(sub) -> None:
    from .forecast_cli import add_forecast  # the cash-flow projection lives in its own module

    add_forecast(sub)


def open_for(args: argparse.Namespace):
    """The ledger named by --ledger/--mapping/--currency, its facts, and --as-of (default: the
    ledger's last document date)."""
    from .ledger import ledger_info, open_ledger

    con = open_ledger(args.ledger, currency=args.currency, mapping=args.mapping)
    info = ledger_info(con)
    return con, info, args.as_of or info.last_date or date.today()


def cmd_metrics(args: argparse.Namespace) -> int:
    from .report import metrics_json, portfolio_metrics, translation_rate
    from .snapshot import Options, snapshot

    con, info, as_of = open_for(args)
    snap = snapshot(
        con,
        Options(as_of=as_of, edges=args.buckets, basis=args.basis, window_days=args.window_days),
    )
    currency = args.currency or info.reporting_currency
    rate = translation_rate(con, as_of, currency, info.reporting_currency)
    out = metrics_json(portfolio_metrics(snap, top_n=args.top_n), snap, currency, rate)
    print(json.dumps(out))
    return 0


def cmd_trend(args: argparse.Namespace) -> int:
    from .trend import monthly_trend

    con, _info, as_of = open_for(args)
    frame = monthly_trend(con, as_of, args.window_days, args.months)
    frame["month_end"] = frame["month_end"].map(date.isoformat)
    print(frame.to_json(orient="records"))
    return 0


def cmd_breakdown(args: argparse.Namespace) -> int:
    from .breakdown import breakdown
    from .snapshot import Options, snapshot

    con, _info, as_of = open_for(args)
    snap = snapshot(con, Options(as_of=as_of, edges=args.buckets, window_days=args.window_days))
    print(breakdown(con, snap, args.by).to_json(orient="records"))
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from data.loader import load_ledger

    report = load_ledger(
        args.ledger, args.db, mapping=args.mapping, currency=args.currency, progress=_progress
    )
    for w in report.warnings[:50]:
        print(f"warning: {w}", file=sys.stderr)
    counts = ", ".join(f"{k} {v:,}" for k, v in report.counts.items())
    print(
        f"loaded {args.ledger} into {args.db} in {report.seconds:.1f} s: {counts}; {len(report.warnings)} warning(s)",
        file=sys.stderr,
    )
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from data.loader import validate_ledger

    issues = validate_ledger(
        args.ledger, mapping=args.mapping, currency=args.currency, progress=_progress
    )
    for issue in issues:
        print(f"{issue.severity}: {issue}", file=sys.stderr)
    n_errors = sum(1 for i in issues if i.severity == "error")
    print(
        f"{args.ledger}: {n_errors} error(s), {len(issues) - n_errors} warning(s)", file=sys.stderr
    )
    return 1 if n_errors else 0


def cmd_sample(args: argparse.Namespace) -> int:
    from data.sample import generate_sample

    kwargs = {"end_date": args.end_date} if args.end_date else {}
    started = time.perf_counter()
    counts = generate_sample(
        args.out,
        invoices=args.invoices,
        customers=args.customers,
        years=args.years,
        seed=args.seed,
        file_format=args.format,
        progress=_progress,
        **kwargs,
    )
    rows = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f} s: {rows}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (LedgerError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
