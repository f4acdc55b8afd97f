"""Reading ledger files into typed staging tables in DuckDB (spec §1).

A ledger folder holds ``customers``, ``invoices``, ``payments``, ``fx_rates`` and ``orders``
as ``.csv``, ``.parquet`` or ``.xlsx`` (first sheet); only ``invoices`` is required. A single
file is read through a mapping (see `data.mapping`).

Each file is staged once as a relation ``src_<n>`` with columns ``c0 .. c<k>`` (by position,
so no header text ever reaches SQL) and ``_row``, the row as a spreadsheet counts it: the
header is row 1, the first data row is row 2:

- CSV: read with every column as VARCHAR into a temporary table, insertion order preserved,
  and ``_row = rowid + 2``: the r-th data record is row r + 1. That is its file line when no
  record spans lines and there are no blank lines (DuckDB skips blank lines).
- Parquet: typed columns read in place, ``_row = file_row_number + 2``.
- xlsx: every cell as text (pandas/openpyxl); ``_row`` is the sheet row.

Each ledger table then becomes ``typed_<table>``: ``_row``, every schema column parsed
(``try_cast`` / ``try_strptime``; NULL when empty or unparsable; currency upper-cased) and,
for each column that is parsed, ``_bad_<column>``: the text of a value that did not parse.
The staged file is dropped as soon as its typed tables exist. `data.validate` reports from
the typed tables alone; `data.loader` builds the loaded tables from them.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
from duckdb import ColumnExpression, ConstantExpression

from core.constants import MAX_AMOUNT
from core.errors import Issue, LedgerError
from data.mapping import ColumnRule, Mapping, TableMapping, load_mapping
from data.paths import Roots, check_inside
from data.schema import DEFAULT_CURRENCY, PAYMENTS, TABLES, TABLES_BY_NAME, Column, Table

SUFFIXES = (".csv", ".parquet", ".xlsx")
UNKNOWN_KIND = "its name does not end in .csv, .parquet or .xlsx"
NOT_WORKBOOK = "it is not an Excel workbook (.xlsx)"
NOT_UTF8 = "byte 0x{:02x} is not UTF-8 text (save the file as UTF-8)"
UTF16 = "the file is UTF-16 text: save it as UTF-8 (in Excel: CSV UTF-8)"
EMPTY_HEADER = "cannot read the file: its first line, the header naming the columns, is empty"
OTHER_DELIMITER = (
    "the header is one column separated by {!r}: save the file with commas between columns"
    " (and a point as the decimal mark)"
)
DELIMITERS = (";", "\t", "|")
# what a file that is not text starts with: a file named .csv that is something else
SIGNATURES = {b"\x89PNG": "a PNG image", b"%PDF": "a PDF document", b"\xff\xd8\xff": "a JPEG image",
              b"GIF8": "a GIF image", b"PK\x03\x04": "a zip file or an Excel workbook (name it .xlsx)",
              b"\xd0\xcf\x11\xe0": "an old Excel (.xls) or Word file (save it as .xlsx or CSV)"}  # fmt: skip
GLOB_CHARACTERS = "[*?"  # what DuckDB's file readers expand in a path
MAX_SHOWN = 60  # characters of a value echoed in a message
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
SETTLED = "_settled_date"
PAYMENT_PREFIX = "PAY-"
# payments made from settled invoices: payment column -> (SQL over typed_invoices, the
# invoice column it comes from, whose name in the file issues give)
SETTLED_PAYMENTS = {
    "payment_id": (f"'{PAYMENT_PREFIX}' || invoice_id", "invoice_id"),
    "customer_id": ("customer_id", "customer_id"),
    "payment_date": (SETTLED, SETTLED),
    "amount": ("amount", "amount"),
    "currency": ("currency", "currency"),
    "invoice_id": ("invoice_id", "invoice_id"),
    "entity": ("entity", "entity"),  # a settled invoice is paid to its own entity (spec §8)
}

Progress = Callable[[float, str], None]


def quiet(fraction: float, message: str) -> None:
    """A progress callback that shows nothing."""


def clip(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` cut to `limit` characters, the last one "…" when cut.

    >>> clip("abcdef", 4)
    'abc…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


def literal_path(path: Path) -> str:
    """`path` as DuckDB's file readers take it without expanding a pattern: ``[``, ``*`` and
    ``?`` each in brackets, so a folder named ``AR [2024]`` is that folder, not ``AR 2``.

    >>> literal_path(Path("AR [2024]/invoices.csv"))
    'AR [[]2024]/invoices.csv'
    """
    return "".join(f"[{c}]" if c in GLOB_CHARACTERS else c for c in str(path))


class DuplicateColumn(LedgerError):
    """A file has two columns of the name the ledger reads (ignoring case and outer spaces)."""


class Params(dict):
    """Bound parameters of the staging SQL: `add` returns the ``$name`` to write in the SQL."""

    def add(self, value: object) -> str:
        name = f"p{len(self)}"
        self[name] = value
        return f"${name}"


def execute(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """Run `sql` with those of `params` it names (DuckDB refuses unused parameters)."""
    names = set(re.findall(r"\$(\w+)", sql))
    return con.execute(sql, {k: v for k, v in (params or {}).items() if k in names})


@dataclass
class StagedFile:
    """A file staged as relation `relation`: columns ``c<i>`` hold header `columns[i]`.

    `objects` lists what staging created, as (kind, name) to drop.
    """

    path: Path
    relation: str
    columns: list[str]
    types: list[str]
    objects: list[tuple[str, str]]

    def find(self, name: str) -> int | None:
        """Position of header `name`, ignoring case and outer spaces.

        Raises
        ------
        DuplicateColumn
            Two headers are `name` that way (e.g. ``amount`` and ``Amount``).
        """
        key = name.strip().lower()
        found = [i for i, c in enumerate(self.columns) if c.strip().lower() == key]
        if len(found) > 1:
            first, second = (f"{clip(self.columns[i])!r} (column {_letter(i)})" for i in found[:2])
            problem = f"two columns are named {clip(key)}: {first} and {second}; keep one"
            issue = Issue("error", self.path.name, problem, column=self.columns[found[0]])
            raise DuplicateColumn(str(issue), [issue])
        return found[0] if found else None


def _letter(position: int) -> str:
    """The spreadsheet letter of column `position` (0 → A, 26 → AA)."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass
class SourceColumn:
    """How one canonical column is read from a staged file."""

    column: Column
    label: str  # the column as named in the file, for messages
    raw: str  # SQL over the staged file: the value as found, NULL when empty
    parsed: str  # SQL over the raw value, named r_<column>: the typed value, NULL if unparsable
    date_format: str | None = None

    @property
    def checked(self) -> bool:
        """Whether parsing can fail (not for text, nor for a column already of its type)."""
        return self.parsed != f"r_{self.column.name}" and self.column.type != "VARCHAR"


@dataclass
class TableSource:
    """One ledger table and where it comes from. `columns` holds the columns present."""

    table: Table
    file: str
    relation: str | None
    columns: dict[str, SourceColumn] = field(default_factory=dict)
    distinct: bool = False

    @property
    def from_file(self) -> bool:
        """Whether the typed table was parsed from a file (not derived from another table)."""
        return self.relation is not None

    def label(self, column: str) -> str:
        """The name of canonical `column` in the file (the canonical name when absent)."""
        found = self.columns.get(column)
        return found.label if found else column


@dataclass
class StagedLedger:
    """Everything staged for one ledger: typed tables exist for every schema table."""

    source: Path
    currency: str
    sources: dict[str, TableSource] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    params: Params = field(default_factory=Params)

    def file(self, table: str) -> str:
        """The file name issues about `table` name."""
        found = self.sources.get(table)
        return found.file if found else f"{table}.csv"

    def label(self, table: str, column: str) -> str:
        """The file's name for `column` of `table`."""
        found = self.sources.get(table)
        return found.label(column) if found else column


def stage_ledger(
    con: duckdb.DuckDBPyConnection,
    source: Path | str,
    mapping: Path | str | dict | Mapping | None = None,
    currency: str = DEFAULT_CURRENCY,
    progress: Progress = quiet,
    roots: Roots = None,
) -> StagedLedger:
    """Read every file of a ledger and build ``typed_<table>`` for every schema table.

    Problems with the files themselves (missing, unreadable, missing columns) are returned
    in ``issues``; a bad mapping, or a file outside `roots` (when given), raises `LedgerError`.
    """
    source, parsed = Path(source), load_mapping(mapping)
    paths, issues = locate_files(source, parsed, roots)
    ledger = StagedLedger(source, currency, issues=issues)
    files = list(dict.fromkeys(paths.values()))
    for n, path in enumerate(files):
        progress(0.3 * n / len(files), f"reading {path.name}")
        tables = [TABLES_BY_NAME[name] for name, p in paths.items() if p == path]
        stage_tables(con, ledger, path, f"src_{n}", tables, parsed)
    complete_typed_tables(con, ledger, parsed)
    return ledger


def stage_tables(
    con: duckdb.DuckDBPyConnection,
    ledger: StagedLedger,
    path: Path,
    relation: str,
    tables: list[Table],
    mapping: Mapping,
) -> None:
    """Stage `path`, build ``typed_<table>`` of each of `tables` from it, drop the staged file."""
    try:
        staged = stage_file(con, path, relation)
    except LedgerError as error:
        ledger.issues += error.issues
        return
    try:
        for table in tables:
            try:
                found = resolve_source(
                    table, mapping.table(table.name), staged, mapping, ledger.params
                )
            except DuplicateColumn as error:
                ledger.issues += error.issues
                continue
            ledger.issues += missing_columns(found, staged.columns)
            sql = f"create temp table typed_{table.name} as {typed_select(found)}"
            execute(con, sql, ledger.params)
            ledger.sources[table.name] = found
    finally:
        for kind, name in reversed(staged.objects):
            drop_object(con, kind, name)


def drop_object(con: duckdb.DuckDBPyConnection, kind: str, name: str) -> None:
    """Drop one of our own working tables or views (named from the schema, never user input)."""
    if kind not in ("table", "view") or not name.isidentifier():
        raise ValueError(f"not a working {kind}: {name!r}")
    con.execute("drop " + kind + " " + name)


def locate_files(
    source: Path, mapping: Mapping, roots: Roots = None
) -> tuple[dict[str, Path], list[Issue]]:
    """The file of each ledger table present, and issues for missing or ambiguous files.

    With `roots`, the source and every file read must lie inside one of them (`data.paths`).
    """
    check_inside(source, roots, "the ledger folder")
    if not source.exists():
        raise LedgerError(f"{source}: no such file or folder")
    if source.is_file():
        if not mapping.tables:
            raise LedgerError(
                f"{source.name}: a single file needs a mapping (see mappings/README.md)"
            )
        names = dict.fromkeys(["invoices", *mapping.tables])
        return {n: source for n in names if not mapping.table(n).settled_date}, []
    paths, issues = {}, []
    for table in TABLES:
        if table.name == "payments" and mapping.table("payments").settled_date:
            continue
        found, issue = _table_file(source, table, mapping, roots)
        if found:
            paths[table.name] = found
        if issue:
            issues.append(issue)
    return paths, issues


def _table_file(
    folder: Path, table: Table, mapping: Mapping, roots: Roots = None
) -> tuple[Path | None, Issue | None]:
    """The file of `table` in `folder`: the mapping's ``file``, else ``<table>.<csv|parquet|xlsx>``."""
    named = mapping.table(table.name).file
    if named:
        check_inside(folder / named, roots, f"mapping {mapping.name}, key {table.name}.file")
        if not (folder / named).is_file():
            raise mapping.fail(f"{table.name}.file", f"no file {named!r} in {folder}")
        return folder / named, None
    found = sorted(
        p for p in folder.iterdir() if p.stem == table.name and p.suffix.lower() in SUFFIXES
    )
    for path in found:
        check_inside(path, roots, f"the ledger file {path.name}")
    if len(found) > 1:
        names = " and ".join(p.name for p in found)
        return None, Issue("error", found[0].name, f"both {names} exist; keep one")
    if not found and table.required_file:
        expected = " or ".join(table.name + s for s in SUFFIXES)
        return None, Issue(
            "error", f"{table.name}.csv", f"required file is missing (expected {expected})"
        )
    return (found[0] if found else None), None


def stage_file(con: duckdb.DuckDBPyConnection, path: Path, relation: str) -> StagedFile:
    """Stage `path` as `relation` (columns ``_row``, ``c0`` ..).

    Raises
    ------
    LedgerError
        The file cannot be read; its one issue names the file (and row, for a bad CSV line).
    """
    reader = {".csv": _stage_csv, ".parquet": _stage_parquet, ".xlsx": _stage_xlsx}
    if path.suffix.lower() not in reader:
        issue = Issue("error", path.name, f"cannot read the file: {UNKNOWN_KIND}")
        raise LedgerError(str(issue), [issue])
    try:
        return reader[path.suffix.lower()](con, path, relation)
    except NotUtf8 as error:
        raise LedgerError(str(error.issue), [error.issue]) from error
    except (duckdb.Error, OSError, ValueError, StopIteration) as error:
        issue = _read_issue(path, error)
        if "Invalid unicode" in str(error):
            issue = _first_bad_byte(path) or issue
        raise LedgerError(str(issue), [issue]) from error


def _read_issue(path: Path, error: Exception) -> Issue:
    """The issue for an unreadable file, e.g. ``row 2: Expected Number of Columns: 3 Found: 4``."""
    if isinstance(error, StopIteration):
        return Issue("error", path.name, "cannot read the file: it is empty (no header line)")
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    detail = next((x for x in lines[1:] if not x.startswith("Original Line")), None)
    detail = clip(detail or (lines[0] if lines else type(error).__name__), 4 * MAX_SHOWN)
    line = re.search(r"CSV Error on Line: (\d+)", str(error))
    if line is None:
        return Issue("error", path.name, f"cannot read the file: {detail}")
    message = f"cannot read the file at line {line.group(1)}: {detail}"
    return Issue("error", path.name, message, row=int(line.group(1)))


def _stage_csv(con: duckdb.DuckDBPyConnection, path: Path, relation: str) -> StagedFile:
    """CSV (comma, double quotes), every column as text, in file order; ``_row`` is record + 1.

    The dialect is fixed rather than sniffed, so that a malformed line is an error naming
    its line instead of a guess at another delimiter.
    """
    with path.open("rb") as handle:
        columns = next(csv.reader(_text_lines(path, handle)))
    _check_header(path, columns)
    names = {f"c{i}": "VARCHAR" for i in range(len(columns))}
    sql = (
        f"create temp table {relation}_data as select * from read_csv($path, header = true,"
        " auto_detect = false, delim = ',', quote = '\"', escape = '\"', columns = $names)"
    )
    execute(con, sql, {"path": literal_path(path), "names": names})
    con.execute(f"create temp view {relation} as select rowid + 2 as _row, * from {relation}_data")
    objects = [("table", f"{relation}_data"), ("view", relation)]
    return StagedFile(path, relation, columns, ["VARCHAR"] * len(columns), objects)


def _check_header(path: Path, columns: list[str]) -> None:
    """Refuse a CSV header that is empty, or one column holding another delimiter."""
    problem = None
    if not any(c.strip() for c in columns):
        problem = EMPTY_HEADER
    elif len(columns) == 1:
        other = next((d for d in DELIMITERS if d in columns[0]), None)
        problem = OTHER_DELIMITER.format(other) if other else None
    if problem:
        issue = Issue("error", path.name, problem, row=1)
        raise LedgerError(str(issue), [issue])


def _stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, relation: str) -> StagedFile:
    """Parquet, typed columns read in place; ``_row`` is ``file_row_number + 2``."""
    scan = con.read_parquet(literal_path(path), file_row_number=True)
    pairs = [
        (c, str(t)) for c, t in zip(scan.columns, scan.types, strict=True) if c != "file_row_number"
    ]
    picks = [ColumnExpression(c).alias(f"c{i}") for i, (c, _) in enumerate(pairs)]
    row = (ColumnExpression("file_row_number") + ConstantExpression(2)).alias("_row")
    scan.select(row, *picks).create_view(relation)
    columns, types = _parquet_names(con, path, [c for c, _ in pairs]), [t for _, t in pairs]
    return StagedFile(path, relation, columns, types, [("view", relation)])


def _stage_xlsx(con: duckdb.DuckDBPyConnection, path: Path, relation: str) -> StagedFile:
    """xlsx, first sheet, every cell as text; ``_row`` is the sheet row (the header is row 1)."""
    try:
        sheet = pd.read_excel(path, sheet_name=0, dtype=str, header=None, engine="openpyxl")
    except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as error:
        raise ValueError(NOT_WORKBOOK) from error
    # the header row read as data, so that two columns of one name keep their names
    columns = ["" if pd.isna(c) else str(c) for c in sheet.iloc[0]] if len(sheet) else []
    frame = sheet.iloc[1:].reset_index(drop=True)
    frame.columns = [f"c{i}" for i in range(len(columns))]
    frame.insert(0, "_row", range(2, len(frame) + 2))
    con.register(f"{relation}_frame", frame)
    try:
        con.execute(f"create temp table {relation} as select * from {relation}_frame")
    finally:
        con.unregister(f"{relation}_frame")
    return StagedFile(path, relation, columns, ["VARCHAR"] * len(columns), [("table", relation)])


class NotUtf8(ValueError):
    """A CSV line that is not UTF-8 text; `issue` names its row (and column, when known)."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(str(issue))
        self.issue = issue


def _text_lines(path: Path, handle, header: list[str] | None = None) -> Iterator[str]:
    """The lines of binary `handle` decoded as UTF-8 (a BOM dropped), for `csv.reader`.

    Raises `NotUtf8` naming the row (the file line) and, given the `header`, the column of
    the first byte that does not decode.
    """
    for number, line in enumerate(handle, start=1):
        if number == 1:
            _check_first_line(path, line)
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as error:
            before = line[: error.start].decode("utf-8", "replace")
            position = len(next(csv.reader([before]), [""])) - 1 if before else 0
            column = header[position] if header and position < len(header) else None
            message = NOT_UTF8.format(line[error.start])
            raise NotUtf8(Issue("error", path.name, message, number, column)) from error


def _check_first_line(path: Path, line: bytes) -> None:
    """Raise `NotUtf8` when a CSV file is UTF-16 or not text at all (a PNG named .csv)."""
    problem = UTF16 if line.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else None
    kind = next((k for sig, k in SIGNATURES.items() if line.startswith(sig)), None)
    problem = f"not CSV text: the file is {kind}" if kind else problem
    if problem:
        raise NotUtf8(Issue("error", path.name, problem, 1))


def _first_bad_byte(path: Path) -> Issue | None:
    """The issue of the first line of `path` that is not UTF-8 (None if there is none).

    Reads the file once more in Python: only after DuckDB found bad text somewhere.
    """
    header: list[str] = []  # filled once read: the lines' column names
    with path.open("rb") as handle:
        records = csv.reader(_text_lines(path, handle, header))
        try:
            header += next(records, [])
            for _ in records:
                pass
        except NotUtf8 as error:
            return error.issue
    return None


def _parquet_names(con: duckdb.DuckDBPyConnection, path: Path, scanned: list[str]) -> list[str]:
    """The column names as written in the Parquet file (DuckDB renames a repeated name, e.g.
    ``Amount`` after ``amount`` to ``Amount_1``); `scanned` when they cannot be matched."""
    rows = con.execute(
        "select name, num_children from parquet_schema($path)", {"path": literal_path(path)}
    ).fetchall()
    names = [name for name, _ in rows[1:]]
    flat = all(children in (None, 0) for _, children in rows[1:])
    return names if flat and len(names) == len(scanned) else scanned


def resolve_source(
    table: Table, table_map: TableMapping, staged: StagedFile, mapping: Mapping, params: Params
) -> TableSource:
    """Which staged column (or constant) feeds each canonical column of `table`."""
    found = TableSource(table, staged.path.name, staged.relation, distinct=table_map.distinct)
    for column in table.columns:
        rule = table_map.columns.get(column.name)
        if rule is None:
            position = staged.find(column.name)
            if position is None:
                continue
            rule = ColumnRule(source=staged.columns[position])
        key = f"{table.name}.{column.name}"
        found.columns[column.name] = source_column(column, rule, staged, mapping, key, params)
    settled = mapping.table("payments").settled_date
    if table.name == "invoices" and settled:
        column = Column(SETTLED, "DATE")
        found.columns[SETTLED] = source_column(
            column, settled, staged, mapping, "payments.settled_date", params
        )
    return found


def source_column(
    column: Column, rule: ColumnRule, staged: StagedFile, mapping: Mapping, key: str, params: Params
) -> SourceColumn:
    """The raw and parsed SQL of `column` read by `rule`; raises if the source column is absent."""
    date_format = rule.date_format or mapping.date_format
    if rule.value is not None:
        raw, source_type, label = (
            f"nullif(trim({params.add(rule.value)}), '')",
            "VARCHAR",
            f"{key} (mapping value)",
        )
    else:
        position = staged.find(rule.source)
        if position is None:
            listed = ", ".join(clip(c) for c in staged.columns)
            raise mapping.fail(
                key,
                f"column {clip(rule.source)!r} is not in {staged.path.name} (columns: {listed})",
            )
        source_type, label = staged.types[position], staged.columns[position]
        raw = f"nullif(trim(c{position}), '')" if source_type == "VARCHAR" else f"c{position}"
    parsed = parse_sql(column, f"r_{column.name}", source_type, rule, date_format, params)
    return SourceColumn(column, label, raw, parsed, date_format)


def parse_sql(
    column: Column,
    raw: str,
    source_type: str,
    rule: ColumnRule,
    date_format: str | None,
    params: Params,
) -> str:
    """SQL turning `raw` (of `source_type`) into `column.type`; NULL where it does not parse."""
    target = column.type
    if target == "DOUBLE":  # NULL (reported as bad) unless finite and below MAX_AMOUNT in size
        value = f"try_cast({raw} as double)"
        return f"case when abs({value}) < {MAX_AMOUNT!r} then {value} end"
    if source_type == target:
        return raw
    if target == "VARCHAR":
        return f"cast({raw} as varchar)"
    if target == "INTEGER":
        return f"try_cast({raw} as integer)"
    if target == "DATE" and source_type == "VARCHAR" and date_format:
        formatted = f"try_cast(try_strptime({raw}, {params.add(date_format)}) as date)"
        return f"coalesce({formatted}, try_cast({raw} as date))"
    if target == "BOOLEAN" and source_type == "VARCHAR":
        true_words = params.add(list(rule.true_words or TRUE_WORDS))
        false_words = params.add(list(rule.false_words or FALSE_WORDS))
        return (
            f"case when list_contains({true_words}, lower({raw})) then true"
            f" when list_contains({false_words}, lower({raw})) then false end"
        )
    return f"try_cast({raw} as {target})"


def missing_columns(found: TableSource, headers: list[str] = ()) -> list[Issue]:
    """An error for each required column of the table that its file does not have, naming a
    header of the file that looks like a misspelling of it (``ammount`` for ``amount``)."""
    issues = []
    for column in found.table.required_columns:
        if column in found.columns:
            continue
        close = difflib.get_close_matches(column, [h.strip().lower() for h in headers], 1, 0.8)
        hint = f" (the file has {clip(close[0])!r}: misspelt?)" if close else ""
        issues.append(
            Issue("error", found.file, "required column is missing" + hint, column=column)
        )
    return issues


def complete_typed_tables(
    con: duckdb.DuckDBPyConnection, ledger: StagedLedger, mapping: Mapping
) -> None:
    """``typed_<table>`` for the tables without a file: derived payments, implied customers, empty."""
    derive = mapping.table("payments").settled_date is not None and "invoices" in ledger.sources
    for table in TABLES:
        if table.name in ledger.sources or (table.name == "payments" and derive):
            continue
        columns = ", ".join(f"{c.name} {c.type}" for c in table.columns)
        con.execute(f"create temp table typed_{table.name} (_row bigint, {columns})")
    if derive:
        _payments_from_settled(con, ledger)
    if "customers" not in ledger.sources:
        _implied_customers(con)


def typed_select(found: TableSource) -> str:
    """The select of ``typed_<table>`` from the staged file (distinct rows if asked).

    Three layers: the raw values ``r_<column>``, the parsed columns, then the columns in
    schema order with ``_bad_<column>`` (the raw text where parsing failed).
    """
    reads = found.columns
    raw = ["_row", *(f"{r.raw} as r_{n}" for n, r in reads.items())]
    parsed = ["*", *(f"{r.parsed} as {n}" for n, r in reads.items())]
    picks = ["_row"]
    for column in [*found.table.columns, *(r.column for n, r in reads.items() if n == SETTLED)]:
        value = column.name if column.name in reads else f"null::{column.type}"
        value = f"upper({value})" if column.name == "currency" else value
        picks.append(f"{value} as {column.name}")
    picks += [
        f"case when r_{n} is not null and {n} is null then cast(r_{n} as varchar) end as _bad_{n}"
        for n, r in reads.items()
        if r.checked
    ]
    body = (
        f"select {', '.join(picks)} from (select {', '.join(parsed)}"
        f" from (select {', '.join(raw)} from {found.relation}))"
    )
    if found.distinct:
        body = f"select min(_row) as _row, * exclude (_row) from ({body}) group by all"
    return body


def _payments_from_settled(con: duckdb.DuckDBPyConnection, ledger: StagedLedger) -> None:
    """One payment per invoice with a settled date: full amount, applied to that invoice."""
    picks = ", ".join(f"{sql} as {target}" for target, (sql, _) in SETTLED_PAYMENTS.items())
    con.execute(
        f"create temp table typed_payments as select _row, {picks} from typed_invoices"
        f" where {SETTLED} is not null and amount > 0"
    )
    invoices = ledger.sources["invoices"]
    derived = TableSource(PAYMENTS, invoices.file, None)
    for target, (_, source) in SETTLED_PAYMENTS.items():
        if source in invoices.columns:
            derived.columns[target] = invoices.columns[source]
    ledger.sources["payments"] = derived


def _implied_customers(con: duckdb.DuckDBPyConnection) -> None:
    """Without a customers file, the customers are the ids the other tables use."""
    con.execute(
        "insert into typed_customers (customer_id)"
        " select customer_id from typed_invoices where customer_id is not null"
        " union select customer_id from typed_payments where customer_id is not null"
        " union select customer_id from typed_orders where customer_id is not null"
    )
