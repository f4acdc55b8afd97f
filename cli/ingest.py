"""Ingest commands: `load` (validate then replace a database, all or nothing), `validate`, `sample`."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from cli.args import DEFAULT_DB, currency_arg, date_arg, positive_int, progress
from core.constants import DEFAULT_CURRENCY


def add_load(sub) -> None:
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
        "--currency",
        type=currency_arg,
        default=DEFAULT_CURRENCY,
        help=f"reporting currency (default {DEFAULT_CURRENCY})",
    )
    p.set_defaults(func=cmd_load)


def add_validate(sub) -> None:
    p = sub.add_parser(
        "validate", help="check a ledger and list every error and warning; loads nothing"
    )
    p.add_argument("--ledger", required=True, type=Path)
    p.add_argument("--mapping", type=Path)
    p.add_argument("--currency", type=currency_arg, default=DEFAULT_CURRENCY)
    p.set_defaults(func=cmd_validate)


def add_sample(sub) -> None:
    p = sub.add_parser("sample", help="write a deterministic sample ledger")
    p.add_argument("--out", required=True, type=Path, help="folder to write")
    p.add_argument("--invoices", type=positive_int, default=60_000)
    p.add_argument("--customers", type=positive_int, help="default: invoices / 200, at least 20")
    p.add_argument("--years", type=positive_int, default=3)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--end-date", type=date_arg, help="last document date (default 2026-10-31)")
    p.add_argument("--format", choices=["parquet", "csv"], default="parquet")
    p.set_defaults(func=cmd_sample)


def cmd_load(args: argparse.Namespace) -> int:
    from data.loader import load_ledger
    from data.summary import ledger_summary, load_summary

    before = ledger_summary(args.db)  # for the audit trail: the ledger it replaces
    report = load_ledger(
        args.ledger, args.db, mapping=args.mapping, currency=args.currency, progress=progress
    )
    record_load(args.db, before, load_summary(args.db, report))
    for w in report.warnings[:50]:
        print(f"warning: {w}", file=sys.stderr)
    counts = ", ".join(f"{k} {v:,}" for k, v in report.counts.items())
    print(
        f"loaded {args.ledger} into {args.db} in {report.seconds:.1f} s: {counts}; {len(report.warnings)} warning(s)",
        file=sys.stderr,
    )
    return 0


def record_load(db: Path, before: dict | None, after: dict) -> None:
    """Log the load in the audit trail of the workspace beside the database (the data folder
    when ``db`` is one of its ledgers), in the name ``cli:<user>``. Failing that, the error
    says the ledger was loaded all the same."""
    from core.errors import LedgerError
    from stores.audit import cli_who
    from stores.audit import record_load as record
    from stores.workspace import Workspace

    try:
        record(Workspace.in_folder(db.parent), cli_who(), db.stem, before, after)
    except LedgerError as exc:
        raise LedgerError(
            f"{db} was loaded, but the load is not in the audit trail: {exc}"
        ) from exc


def cmd_validate(args: argparse.Namespace) -> int:
    from data.loader import validate_ledger

    issues = validate_ledger(
        args.ledger, mapping=args.mapping, currency=args.currency, progress=progress
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
        progress=progress,
        **kwargs,
    )
    rows = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f} s: {rows}", file=sys.stderr)
    return 0
