"""Column mappings: how an export's columns become the canonical ledger (spec §1).

A mapping is a TOML file (or the same structure as a dict). The format is documented in
``mappings/README.md``; in short::

    date_format = "%m/%d/%Y"                 # optional default for every date column

    [invoices]                               # a ledger table
    invoice_id = "invoiceNumber"             # target column = source column
    invoice_date = { from = "InvoiceDate", format = "%m/%d/%Y" }
    disputed = { from = "Disputed", true = ["Yes"], false = ["No"] }
    currency = { value = "USD" }             # a constant

    [customers]
    distinct = true                          # one row per distinct value combination
    customer_id = "customerID"

    [payments]
    settled_date = "SettledDate"             # one full payment per settled invoice

A bad mapping raises `LedgerError` naming the mapping and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from core.errors import LedgerError
from data.schema import TABLES_BY_NAME, Table

TABLE_OPTIONS = ("file", "distinct")
SETTLED_DATE = "settled_date"
RULE_KEYS = {"from", "value", "format", "true", "false"}


@dataclass(frozen=True)
class ColumnRule:
    """How one canonical column is read: from a source column, or a constant value."""

    source: str | None = None
    value: str | None = None
    date_format: str | None = None
    true_words: tuple[str, ...] = ()
    false_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableMapping:
    """The mapping of one ledger table. `columns` maps canonical name → rule."""

    file: str | None = None
    distinct: bool = False
    columns: dict[str, ColumnRule] = field(default_factory=dict)
    settled_date: ColumnRule | None = None


@dataclass(frozen=True)
class Mapping:
    """A parsed mapping. `name` is the mapping file's name, used in messages."""

    name: str = "no mapping"
    tables: dict[str, TableMapping] = field(default_factory=dict)
    date_format: str | None = None

    def table(self, name: str) -> TableMapping:
        """The mapping of table `name`; identity (empty) when the mapping does not name it."""
        return self.tables.get(name, TableMapping())

    def fail(self, key: str, problem: str) -> LedgerError:
        """A `LedgerError` naming this mapping and `key`."""
        return LedgerError(f"mapping {self.name}, key {key}: {problem}")


def load_mapping(mapping: Path | str | dict | Mapping | None) -> Mapping:
    """Parse and check a mapping given as a TOML path, a dict, or nothing (identity).

    Raises
    ------
    LedgerError
        The file cannot be read or parsed, or a key is not valid.
    """
    if mapping is None:
        return Mapping()
    if isinstance(mapping, Mapping):
        return mapping
    if isinstance(mapping, dict):
        return parse_mapping(mapping, "<mapping dict>")
    path = Path(mapping)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise LedgerError(f"mapping {path.name}: cannot read it ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise LedgerError(f"mapping {path.name}: not UTF-8 text (save it as UTF-8)") from error
    except tomllib.TOMLDecodeError as error:
        raise LedgerError(f"mapping {path.name}: not valid TOML ({error})") from error
    return parse_mapping(data, path.name)


def parse_mapping(data: dict, name: str) -> Mapping:
    """Check the structure of a mapping dict and build a `Mapping` named `name`."""
    shell = Mapping(name)
    date_format = data.get("date_format")
    if date_format is not None:
        check_date_format(shell, "date_format", date_format)
    tables = {}
    for key, section in data.items():
        if key == "date_format":
            continue
        if key not in TABLES_BY_NAME:
            known = ", ".join(TABLES_BY_NAME)
            raise shell.fail(key, f"not a ledger table (tables: {known}; or date_format)")
        if not isinstance(section, dict):
            raise shell.fail(key, "must be a table ([" + key + "])")
        tables[key] = _table_mapping(shell, TABLES_BY_NAME[key], section)
    return Mapping(name, tables, date_format)


def _table_mapping(shell: Mapping, table: Table, section: dict) -> TableMapping:
    """One [table] section: options, then one rule per canonical column."""
    file, distinct = section.get("file"), section.get("distinct", False)
    if file is not None and not isinstance(file, str):
        raise shell.fail(f"{table.name}.file", "must be a file name (text)")
    if not isinstance(distinct, bool):
        raise shell.fail(f"{table.name}.distinct", "must be true or false")
    columns = {}
    settled = None
    for key, spec in section.items():
        if key in TABLE_OPTIONS:
            continue
        if table.name == "payments" and key == SETTLED_DATE:
            settled = _column_rule(shell, f"payments.{key}", "DATE", spec)
            continue
        column = next((c for c in table.columns if c.name == key), None)
        if column is None:
            known = ", ".join(table.column_names)
            raise shell.fail(f"{table.name}.{key}", f"not a column of {table.name} ({known})")
        columns[key] = _column_rule(shell, f"{table.name}.{key}", column.type, spec)
    if settled is not None and (columns or file or distinct):
        raise shell.fail(
            "payments.settled_date", "payments made from settled dates take no other keys"
        )
    return TableMapping(file, distinct, columns, settled)


def _column_rule(shell: Mapping, key: str, column_type: str, spec: object) -> ColumnRule:
    """A column rule from `"Source"` or `{ from = ..., format/true/false = ... }` or `{ value = ... }`."""
    if isinstance(spec, str):
        spec = {"from": spec}
    if not isinstance(spec, dict):
        raise shell.fail(key, 'must be a source column name or an inline table { from = "..." }')
    unknown = set(spec) - RULE_KEYS
    if unknown:
        raise shell.fail(
            key, f"unknown option(s) {', '.join(sorted(unknown))} ({', '.join(sorted(RULE_KEYS))})"
        )
    if ("from" in spec) == ("value" in spec):
        raise shell.fail(key, "give exactly one of from (a source column) or value (a constant)")
    source, value = spec.get("from"), spec.get("value")
    if source is not None and not isinstance(source, str):
        raise shell.fail(key, "from must be a column name (text)")
    if value is not None and not isinstance(value, str | int | float | bool):
        raise shell.fail(key, "value must be text, a number or true/false")
    return ColumnRule(
        source,
        _value_text(value),
        _format_option(shell, key, column_type, spec.get("format")),
        *_word_options(shell, key, column_type, spec),
    )


def _value_text(value: object) -> str | None:
    """A constant as the text a file would hold (TOML true → "true")."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def _format_option(shell: Mapping, key: str, column_type: str, date_format: object) -> str | None:
    """The `format` option: only on date columns, and a valid strptime format."""
    if date_format is None:
        return None
    if column_type != "DATE":
        raise shell.fail(key, "format is only for date columns")
    check_date_format(shell, f"{key}.format", date_format)
    return date_format


def _word_options(shell: Mapping, key: str, column_type: str, spec: dict) -> tuple[tuple, tuple]:
    """The `true` / `false` word lists: only on boolean columns, lists of text, lower-cased."""
    if "true" not in spec and "false" not in spec:
        return (), ()
    if column_type != "BOOLEAN":
        raise shell.fail(key, "true/false words are only for true/false columns")
    lists = []
    for option in ("true", "false"):
        words = spec.get(option, [])
        if isinstance(words, str):
            words = [words]
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words) or not words:
            raise shell.fail(f"{key}.{option}", 'must be a list of words, e.g. true = ["Yes"]')
        lists.append(tuple(w.strip().lower() for w in words))
    return lists[0], lists[1]


def check_date_format(shell: Mapping, key: str, date_format: object) -> None:
    """Raise unless `date_format` is a strptime format DuckDB accepts, e.g. "%m/%d/%Y"."""
    if not isinstance(date_format, str) or "%" not in date_format:
        raise shell.fail(
            key, f'{date_format!r} is not a date format (strptime style, e.g. "%m/%d/%Y")'
        )
    try:
        with duckdb.connect() as con:
            con.execute("select try_strptime('', $f)", {"f": date_format})
    except duckdb.Error as error:
        raise shell.fail(key, f"{date_format!r} is not a valid date format ({error})") from error
