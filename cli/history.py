"""`python -m analytics snapshot`: take committee snapshots (spec §14) into the workspace of
the data folder (config.py: $AR_DATA_DIR, else data/), one JSON line per snapshot.

    python -m analytics snapshot --ledger PATH [--as-of D]
    python -m analytics snapshot --ledger PATH --from D1 [--to D2] [--every week|month]

Each line is {"id", "as_of", "hash", "status": "created" | "existed"}; "existed" means a
snapshot of that date on the same ledger content was there already and nothing was written.
Progress goes to stderr. Without --as-of or --from, the date is the ledger's last document
date; --to defaults to it too.
"""

from __future__ import annotations

import argparse

from cli.args import date_arg, ledger_args, progress
from cli.portfolio import strict_json
from cli.risk import _broken_promises
from core.errors import LedgerError


def add_snapshot(sub) -> None:
    p = sub.add_parser(
        "snapshot", help="take a committee snapshot as of a date (spec §14), or a backfill"
    )
    ledger_args(p)
    p.add_argument("--as-of", type=date_arg, help="YYYY-MM-DD (default: the last document date)")
    p.add_argument("--from", dest="start", type=date_arg, help="backfill: first date")
    p.add_argument("--to", dest="end", type=date_arg, help="backfill: last date (default: the "
                   "ledger's last document date)")  # fmt: skip
    p.add_argument("--every", choices=["week", "month"], default="week",
                   help="backfill step (default week)")  # fmt: skip
    p.set_defaults(func=cmd_snapshot)


def cmd_snapshot(args: argparse.Namespace) -> int:
    from analytics.history.snapshots import snapshot_dates, take_snapshots
    from analytics.portfolio.ledger import ledger_info
    from config import load_config
    from engines.duckdb import open_ledger
    from stores.audit import cli_who
    from stores.snapshots import SnapshotStore
    from stores.workspace import Workspace

    if args.entity:
        raise LedgerError("--entity: a snapshot is of the whole ledger, every entity")
    if args.as_of is not None and (args.start is not None or args.end is not None):
        raise LedgerError(
            "--as-of takes one snapshot; --from/--to a backfill: give one or the other"
        )
    if args.end is not None and args.start is None:
        raise LedgerError("--to needs --from (the backfill's first date)")
    engine = open_ledger(args.ledger, currency=args.currency, mapping=args.mapping)
    last = ledger_info(engine).last_date
    if last is None and args.as_of is None and args.end is None:
        raise LedgerError(f"{args.ledger}: the ledger has no documents to take a snapshot of")
    if args.start is not None:
        dates = snapshot_dates(args.start, args.end or last, args.every)
    else:
        dates = [args.as_of or last]
    store = SnapshotStore(Workspace.in_folder(load_config().data_dir), who=cli_who())
    with store.workspace.change():  # the file exists: no promise recorded is 0 broken, not n/a
        pass
    ledger = str(args.ledger.resolve())
    promises = lambda day: _broken_promises(engine, day)  # noqa: E731 (what collectors recorded)
    for taken in take_snapshots(engine, dates, store, ledger=ledger, progress=progress,
                                broken_promises_at=promises):  # fmt: skip
        print(strict_json(taken.json()), flush=True)
    progress(1.0, f"{len(dates)} snapshot(s) in {store.workspace.path}")
    return 0
