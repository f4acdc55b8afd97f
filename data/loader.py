"""Loading a ledger into DuckDB: read, validate everything, then build the loaded tables.

The loaded tables are the contract in ``docs/architecture.md``. `load_ledger` is
all-or-nothing: it writes a new database file next to `db_path`, and only a complete,
valid load replaces `db_path` (``os.replace``); any failure leaves the old file untouched.
A load killed outright (kill -9, a power cut) leaves its new file behind: the next load into
the same folder removes such leftovers (`remove_stray_temps`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core.constants import DEFAULT_CURRENCY, DEFAULT_ENTITY
from core.errors import Issue, LedgerError
from data.mapping import Mapping
from data.paths import Roots
from data.reader import Progress, StagedLedger, drop_object, execute, quiet, stage_ledger
from data.schema import TABLES
from data.validate import validate_staged

SCHEMA_VERSION = "3"  # 2: entity, write_off, credit_limit_date (spec §8); 3: month_end_outcomes
MEMORY_LIMIT = "3GB"
MappingArg = Path | str | dict | Mapping | None
# a load's new database (and its WAL, its spill folder): <target>.tmp-<pid>-<32 hex>[.wal|.tmp];
# files of earlier versions have no pid
TEMP_NAME = re.compile(r".+\.tmp-(?:(?P<pid>\d+)-)?[0-9a-f]{32}(?:\.wal|\.tmp)?")

# Keys are row_number() over the stated order, computed on a narrow (row, key) list and
# joined back, so the wide rows are never sorted (sorting them spills at 10 M rows). Rows are
# therefore not stored in key order; the facts sort what they build.
BUILD_SQL = {
    "customers": """
    create table customers as
    select (row_number() over (order by customer_id) - 1)::integer as customer_key,
        customer_id, coalesce(name, customer_id) as name, segment, region, country, industry,
        coalesce(group_id, customer_id) as group_id, risk_rating, credit_limit,
        payment_terms_days, insured_limit, credit_limit_date
    from typed_customers
    """,
    "invoices": """
    create table invoices as
    with keys as (
        select _row, row_number() over (order by invoice_date, invoice_id) - 1 as invoice_key
        from typed_invoices
    ),

    targets as (
        select i.invoice_id, k.invoice_key
        from typed_invoices i
        join keys k on k._row = i._row
        where i.invoice_id in (select applies_to from typed_invoices where applies_to is not null)
    )

    select k.invoice_key::integer as invoice_key,
        i.invoice_id, c.customer_key, i.customer_id, i.invoice_date, i.due_date, i.amount,
        coalesce(i.currency, $currency) as currency, coalesce(i.disputed, false) as disputed,
        i.applies_to, t.invoice_key::integer as applies_to_key,
        coalesce(i.write_off, false) as write_off, coalesce(i.entity, $entity) as entity
    from typed_invoices i
    join keys k on k._row = i._row
    join customers c on c.customer_id = i.customer_id
    left join targets t on t.invoice_id = i.applies_to
    """,
    "payments": """
    create table payments as
    with keys as (
        select _row, row_number() over (order by payment_date, payment_id) - 1 as payment_key
        from typed_payments
    )

    select k.payment_key::integer as payment_key,
        p.payment_id, c.customer_key, p.customer_id, p.payment_date, p.amount,
        coalesce(p.currency, $currency) as currency, p.invoice_id, i.invoice_key,
        coalesce(p.entity, $entity) as entity
    from typed_payments p
    join keys k on k._row = p._row
    join customers c on c.customer_id = p.customer_id
    left join invoices i on i.invoice_id = p.invoice_id
    """,
    "fx_rates": """
    create table fx_rates as
    select currency, rate_date, rate from typed_fx_rates order by currency, rate_date
    """,
    "orders": """
    create table orders as
    select o.order_id, c.customer_key, o.customer_id, o.order_date, o.amount,
        coalesce(o.currency, $currency) as currency, lower(o.status) as status
    from typed_orders o
    join customers c on c.customer_id = o.customer_id
    order by o.order_id
    """,
}

# What reading or loading a ledger can raise besides LedgerError (a broken file, a full disk),
# so callers above the engine seam can catch it without naming duckdb.
READ_FAILURES = (duckdb.Error, OSError, ValueError)
DISK_FULL = (
    "the disk is full: the new ledger could not be written next to {name}"
    " (free some space and load again); nothing was loaded, {name} is unchanged"
)


@dataclass
class LoadReport:
    """What `load_ledger` did: the database written, rows per table, warnings, seconds taken."""

    db_path: Path
    counts: dict[str, int]
    warnings: list[Issue]
    seconds: float


def load_ledger(
    source: Path | str,
    db_path: Path | str,
    *,
    mapping: MappingArg = None,
    currency: str = DEFAULT_CURRENCY,
    progress: Callable[[float, str], None] | None = None,
    roots: Roots = None,
) -> LoadReport:
    """Validate the ledger at `source` and replace the database `db_path` with it, atomically.

    With `roots` (the dashboard), every file read must lie inside one of those folders.

    Raises
    ------
    LedgerError
        The ledger or the mapping has errors, a file is outside `roots`, or the disk is full;
        `db_path` is left as it was.
    """
    started, db_path = time.perf_counter(), Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    remove_stray_temps(db_path.parent)
    temp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex}")
    try:
        con = connect(temp)
        try:
            warnings = load_into(con, source, mapping, currency, progress or quiet, roots)
            counts = table_counts(con)
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(temp, db_path)
    except BaseException as error:
        _remove(temp)
        if _disk_full(error):
            raise LedgerError(DISK_FULL.format(name=db_path.name)) from error
        raise
    (progress or quiet)(1.0, "done")
    return LoadReport(db_path, counts, warnings, time.perf_counter() - started)


def validate_ledger(
    source: Path | str,
    *,
    mapping: MappingArg = None,
    currency: str = DEFAULT_CURRENCY,
    progress: Callable[[float, str], None] | None = None,
    roots: Roots = None,
) -> list[Issue]:
    """Every error and warning of the ledger at `source`; loads nothing.

    Raises
    ------
    LedgerError
        Only when the mapping is bad, `source` does not exist or a file is outside `roots`.
    """
    with connect(":memory:") as con:
        ledger = stage_ledger(con, source, mapping, _currency(currency), progress or quiet, roots)
        return validate_staged(con, ledger, progress or quiet)


def read_to_connection(
    source: Path | str,
    *,
    mapping: MappingArg = None,
    currency: str = DEFAULT_CURRENCY,
    progress: Callable[[float, str], None] | None = None,
    roots: Roots = None,
) -> tuple[duckdb.DuckDBPyConnection, list[Issue]]:
    """Validate the ledger at `source` and build the loaded tables in an in-memory database.

    Returns the connection (the caller closes it) and the warnings; raises `LedgerError`
    on errors.
    """
    con = connect(":memory:")
    try:
        return con, load_into(con, source, mapping, currency, progress or quiet, roots)
    except BaseException:
        con.close()
        raise


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A connection for loading, its memory capped at `MEMORY_LIMIT`.

    A 10 M-invoice load then stays under 4 GiB; DuckDB spills to disk beyond the cap. No
    progress bar: DuckDB would draw it on the terminal of a command that prints JSON.
    """
    con = duckdb.connect(str(path), config={"memory_limit": MEMORY_LIMIT})
    con.execute("set enable_progress_bar = false")
    return con


def load_into(
    con: duckdb.DuckDBPyConnection,
    source: Path | str,
    mapping: MappingArg,
    currency: str,
    progress: Progress,
    roots: Roots = None,
) -> list[Issue]:
    """Stage, validate, and (when there are no errors) build the loaded tables and facts in `con`.

    Returns the warnings; raises `LedgerError` with every issue when there are errors.
    """
    currency = _currency(currency)
    ledger = stage_ledger(con, source, mapping, currency, progress, roots)
    issues = validate_staged(con, ledger, progress)
    if any(i.severity == "error" for i in issues):
        raise LedgerError.from_issues(issues)
    progress(0.6, "writing keys")
    build_tables(con, ledger)
    progress(0.85, "building facts")
    from data.facts import build_facts

    build_facts(con)
    return [i for i in issues if i.severity == "warning"]


def build_tables(con: duckdb.DuckDBPyConnection, ledger: StagedLedger) -> None:
    """The loaded tables of docs/architecture.md from the validated ``typed_<table>`` tables.

    Each typed table is dropped as soon as its loaded table is built, to free its memory.
    """
    for table, sql in BUILD_SQL.items():
        params = {"currency": ledger.currency, "entity": DEFAULT_ENTITY}
        execute(con, sql, {k: v for k, v in params.items() if f"${k}" in sql})
        drop_object(con, "table", f"typed_{table}")
    settings = {
        "reporting_currency": ledger.currency,
        "source": str(ledger.source.resolve()),
        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": SCHEMA_VERSION,
    }
    con.execute("create table ledger_settings (key varchar, value varchar)")
    con.executemany("insert into ledger_settings values (?, ?)", list(settings.items()))


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows in each loaded ledger table."""
    return {t.name: con.table(t.name).aggregate("count(*)").fetchall()[0][0] for t in TABLES}


def _currency(currency: str | None) -> str:
    """The reporting currency as an upper-case code (None: the default); raises when blank."""
    code = (DEFAULT_CURRENCY if currency is None else currency).strip().upper()
    if not code:
        raise LedgerError("the reporting currency is empty (give e.g. --currency USD)")
    return code


def _disk_full(error: BaseException) -> bool:
    """Whether `error` says the disk is full (from Python, or from DuckDB writing the file)."""
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    return isinstance(error, duckdb.Error) and "No space left on device" in str(error)


def remove_stray_temps(folder: Path) -> list[Path]:
    """Remove what killed loads left in `folder`: new databases, their WALs and spill folders
    whose load's process is gone. Returns what was removed.

    A load in a live process (another session of the dashboard, another command) keeps its
    files; a name without a process id is an earlier version's and always stray.
    """
    removed = []
    for path in folder.iterdir():
        found = TEMP_NAME.fullmatch(path.name)
        if found is None or (found["pid"] and _process_alive(int(found["pid"]))):
            continue
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def _process_alive(pid: int) -> bool:
    """Whether process `pid` exists (signal 0 only asks)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _remove(path: Path) -> None:
    """Remove a half-written database and its write-ahead log, if there."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
