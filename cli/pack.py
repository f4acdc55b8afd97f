"""`python -m analytics pack`: the credit committee's pack as a PDF or a workbook (spec §15).

    python -m analytics pack --ledger PATH [--as-of D] --out FILE.pdf|FILE.xlsx
        [--workspace FILE] [--opening-cash X --weekly-outflow Y --buffer Z]

The suffix of --out chooses the format. What users wrote (committee snapshots and decisions,
saved scenarios, collectors' promises and disputes) is read from the workspace of the data
folder (config.py: $AR_DATA_DIR, else data/) or --workspace, when it exists. Progress
goes to stderr; the path written is printed on stdout.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.args import as_of_args, ledger_args, open_for, progress
from core.errors import LedgerError

FORMATS = (".pdf", ".xlsx")


def add_pack(sub) -> None:
    p = sub.add_parser("pack", help="write the credit committee pack (.pdf or .xlsx)")
    ledger_args(p)
    as_of_args(p)
    p.add_argument("--out", required=True, type=Path, help="FILE.pdf or FILE.xlsx")
    p.add_argument("--workspace", type=Path, help="workspace file with the saved scenarios "
                   "(default: the data folder's, when there is one)")  # fmt: skip
    p.add_argument("--opening-cash", type=float, help="funding gap: cash at the as-of date")
    p.add_argument("--weekly-outflow", type=float, help="funding gap: cash out a week")
    p.add_argument("--buffer", type=float, help="funding gap: minimum cash")
    p.set_defaults(func=cmd_pack)


def checked_out(path: Path) -> Path:
    """``path`` when a pack can be written there: a known suffix, an existing folder that
    may be written to, and not a folder or a read-only file itself."""
    if path.suffix.lower() not in FORMATS:
        raise LedgerError(
            f"--out {path}: unknown suffix {path.suffix or '(none)'!r}; use .pdf or .xlsx"
        )
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise LedgerError(f"--out {path}: the folder {folder} does not exist")
    if path.is_dir():
        raise LedgerError(f"--out {path}: is a folder, not a file")
    existed = path.exists()
    try:  # the one sure test, for root too: open it for writing
        with path.open("ab"):
            pass
    except OSError as exc:
        raise LedgerError(f"--out {path}: not writable ({exc.strerror})") from None
    if not existed:
        path.unlink()
    return path


def cmd_pack(args: argparse.Namespace) -> int:
    from analytics.portfolio.snapshot import Options
    from reports.pack import build_pack, render_pdf, render_xlsx

    out = checked_out(args.out)  # before the ledger is opened: a bad path fails at once
    funding = _funding(args)
    engine, _info, as_of = open_for(args)
    options = Options(as_of=as_of, edges=args.buckets, window_days=args.window_days)
    workspace = _workspace(args.workspace)
    pack = build_pack(
        engine, as_of, stamp=_stamp(engine, args.ledger), options=options,
        recorded=_recorded(workspace), history=_history(workspace, as_of, engine), funding=funding,
        progress=progress,
    )  # fmt: skip
    progress(1.0, f"Writing {out}")
    try:
        (render_pdf if out.suffix.lower() == ".pdf" else render_xlsx)(pack, out)
    except OSError as exc:
        raise LedgerError(f"--out {out}: could not be written ({exc.strerror})") from None
    print(out)
    return 0


def _funding(args: argparse.Namespace):
    from reports.pack.cash import FundingAssumptions

    given = [args.opening_cash, args.weekly_outflow, args.buffer]
    if all(v is None for v in given):
        return None
    if any(v is None for v in given):
        raise LedgerError("--opening-cash, --weekly-outflow and --buffer go together")
    return FundingAssumptions(*given)


def _stamp(engine, ledger: Path):
    from data.export import ledger_settings
    from reports.pack.stamp import ledger_stamp

    settings = {}
    if hasattr(engine, "cursor"):  # the DuckDB engine: its ledger_settings table
        cursor = engine.cursor()
        try:
            settings = ledger_settings(cursor)
        finally:
            cursor.close()
    return ledger_stamp(engine, ledger.stem, source=settings.get("source", ""),
                        loaded_at=settings.get("loaded_at"))  # fmt: skip


def _workspace(path: Path | None):
    """The workspace of --workspace or of the data folder; None when there is no such file
    (a pack never creates one)."""
    from config import load_config
    from stores.workspace import Workspace, workspace_path

    path = path or workspace_path(load_config().data_dir)
    return Workspace(path) if path.is_file() else None


def _recorded(workspace):
    """What users wrote in the workspace: saved scenarios, collectors' promises and plans,
    dispute records (nothing without a workspace)."""
    from reports.pack import Recorded
    from stores.collections import CollectionsStore
    from stores.scenarios import ScenarioStore

    if workspace is None:
        return Recorded()
    scenarios = ScenarioStore(workspace).table()
    collections = CollectionsStore(workspace)
    promises, plans, instalments = collections.commitments()
    return Recorded(
        scenarios=dict(zip(scenarios["name"], scenarios["scenario_json"], strict=True)),
        promises=promises, plans=plans, instalments=instalments,
        dispute_records=collections.disputes(),
    )  # fmt: skip


def _history(workspace, as_of, engine):
    """What changed between the last two weekly snapshots up to the date (with the promises
    broken in between, judged on ``engine``'s ledger), and the decisions since (None without
    a workspace or such a pair)."""
    from analytics.risk.promises import Commitments, broken_between
    from reports.pack.history import pack_history
    from stores.collections import CollectionsStore
    from stores.decisions import DecisionStore
    from stores.snapshots import SnapshotStore

    if workspace is None:
        return None
    snapshots = SnapshotStore(workspace)
    book = Commitments(*CollectionsStore(workspace).commitments())
    return pack_history(
        as_of, snapshots.headers(), snapshots.load, DecisionStore(workspace).between,
        lambda start, end: broken_between(engine, book, start, end),
    )  # fmt: skip
