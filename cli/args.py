"""What every command shares: argument types, the --ledger options, progress on stderr."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from analytics.portfolio.ledger import LedgerInfo, for_entity, ledger_info
from config import DATA_FOLDER, LEDGER_FILE
from core.constants import DEFAULT_BUCKET_EDGES, DEFAULT_WINDOW_DAYS
from core.errors import LedgerError
from core.validation import parse_edges
from engines.base import Engine
from engines.duckdb import open_ledger

DEFAULT_DB = Path(DATA_FOLDER) / LEDGER_FILE  # relative to the working folder, as before
ENGINES = ("duckdb", "spark")


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def currency_arg(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise argparse.ArgumentTypeError(f"expected a 3-letter ISO currency code, got {text!r}")
    return code


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def progress(fraction: float, message: str) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def ledger_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--ledger",
        required=True,
        type=Path,
        help="ledger folder, export file (with --mapping) or DuckDB file made by `load`",
    )
    p.add_argument("--mapping", type=Path, help="TOML import mapping (see mappings/README.md)")
    p.add_argument(
        "--currency", type=currency_arg, help="reporting currency (default: the ledger's, else USD)"
    )
    p.add_argument(
        "--entity",
        help="figures of one legal entity (company code, spec §8; default: consolidated)",
    )
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="duckdb",
        help="duckdb (one machine, default) or spark (--ledger may then be a canonical Parquet"
        " folder; see docs/scale-out.md)",
    )
    p.add_argument(
        "--spark-master",
        help="Spark master for --engine spark, e.g. local[2] (default) or spark://host:7077;"
        " SPARK_REMOTE=sc://host:15002 uses Spark Connect instead",
    )


def as_of_args(p: argparse.ArgumentParser, *, buckets: bool = True) -> None:
    """--as-of, --window-days and (with ``buckets``) --buckets, as every portfolio command
    takes them."""
    p.add_argument(
        "--as-of", type=date_arg, help="YYYY-MM-DD (default: the ledger's last document date)"
    )
    p.add_argument(
        "--window-days",
        type=positive_int,
        default=DEFAULT_WINDOW_DAYS,
        help="DSO window N (default 90)",
    )
    if buckets:
        p.add_argument(
            "--buckets",
            type=parse_edges_arg,
            default=DEFAULT_BUCKET_EDGES,
            help="aging upper edges (default 30,60,90,120)",
        )


def parse_edges_arg(text: str) -> tuple[int, ...]:
    try:
        return parse_edges(text)
    except LedgerError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix("--buckets: ")) from None


def open_for(args: argparse.Namespace) -> tuple[Engine, LedgerInfo, date]:
    """The ledger named by --ledger/--mapping/--currency, its facts, and --as-of (default: the
    ledger's last document date)."""
    engine = open_engine(args)
    info = ledger_info(engine)
    return engine, info, args.as_of or info.last_date or date.today()


def open_engine(args: argparse.Namespace) -> Engine:
    """The ledger named by --ledger/--mapping/--currency on --engine, scoped to --entity when
    given."""
    if getattr(args, "engine", "duckdb") == "spark":
        from engines.spark.ledger import open_spark_ledger

        engine = open_spark_ledger(
            args.ledger, master=args.spark_master, currency=args.currency, mapping=args.mapping
        )
    else:
        engine = open_ledger(args.ledger, currency=args.currency, mapping=args.mapping)
    return for_entity(engine, getattr(args, "entity", None), field="--entity")
