"""Validation of a staged ledger (spec §1), all in DuckDB SQL, before anything is loaded.

Every problem is reported, not just the first: for each rule at most `MAX_EXAMPLES` rows
are listed as `Issue`s (file, row, column), followed by one issue giving the total count
when there are more. Row numbers are those of `data.reader` (``_row``), counted as a
spreadsheet does: the header is row 1, the first data row is row 2 (for CSV, the file line
when no record spans lines).

Errors block the load; warnings are reported and loaded anyway.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import duckdb

from core.constants import MAX_AMOUNT
from core.errors import Issue
from data.reader import (
    MAX_SHOWN,
    Progress,
    SourceColumn,
    StagedLedger,
    TableSource,
    clip,
    execute,
    quiet,
)
from data.schema import TABLES

MAX_EXAMPLES = 20
KIND_NAMES = {
    "DATE": "a date",
    "DOUBLE": "a number",
    "INTEGER": "a whole number",
    "BOOLEAN": "true/false",
}
NO_INVOICES = "no rows; a ledger needs at least one invoice"
DECIMAL_COMMA = re.compile(r"-?\d{1,3}([. ]\d{3})*,\d+|-?\d+,\d+")  # 1.234,50 or 100,5
MAX_TEXT = 1_000  # characters of one text value (a name, an id): longer is not a ledger's
CONTROL = "[\\x00-\\x1f\\x7f]"  # control characters (a tab, a line break, an escape code, NUL)
TOO_LARGE = f"is too large: a number here must be smaller than {MAX_AMOUNT:.0e} in size"
# clip(x): a text value cut to MAX_SHOWN characters for a message, as `data.reader.clip` does
CLIP_MACRO = (
    "create or replace temp macro clip(x) as case when length(cast(x as varchar)) > "
    f"{MAX_SHOWN} then left(cast(x as varchar), {MAX_SHOWN - 1}) || '…' else cast(x as varchar) end"
)


@dataclass(frozen=True)
class Rule:
    """A check over the ``typed_<table>`` tables.

    `sql` selects ``_row, message`` for each offending row of `table` (it may use
    ``$currency``, the reporting currency); `column` is the canonical column named.
    """

    severity: str
    table: str
    column: str
    sql: str


def validate_staged(
    con: duckdb.DuckDBPyConnection, ledger: StagedLedger, progress: Progress = quiet
) -> list[Issue]:
    """Every issue of a staged ledger: file problems, parse errors, then the `RULES`."""
    issues = list(ledger.issues)
    progress(0.35, "validating values")
    for found in ledger.sources.values():
        if found.from_file:
            issues += parse_issues(con, found)
    issues += no_invoices(con, ledger)
    progress(0.45, "validating keys and references")
    con.execute(PAYMENT_CHECKS_SQL)
    con.execute(CLIP_MACRO)
    try:
        for rule in TEXT_RULES:  # on the files read; a derived table repeats their values
            found = ledger.sources.get(rule.table)
            if found is not None and found.from_file:
                issues += rule_issues(con, rule, ledger)
        for rule in RULES:
            issues += rule_issues(con, rule, ledger)
    finally:
        con.execute("drop table payment_checks")
        con.execute("drop macro clip")
    return list(dict.fromkeys(issues))


def no_invoices(con: duckdb.DuckDBPyConnection, ledger: StagedLedger) -> list[Issue]:
    """An error when the invoices file was read and holds no rows: an empty ledger would
    replace the loaded one with nothing."""
    found = ledger.sources.get("invoices")
    if found is None or not found.from_file:
        return []
    if con.table("typed_invoices").aggregate("count(*)").fetchall()[0][0]:
        return []
    return [Issue("error", found.file, NO_INVOICES)]


def parse_issues(con: duckdb.DuckDBPyConnection, found: TableSource) -> list[Issue]:
    """Empty required values and values that did not parse, in one scan of the typed table."""
    checks = _parse_checks(found)
    if not checks:
        return []
    table = f"typed_{found.table.name}"
    counts = ", ".join(f"count(*) filter (where {condition})" for _, _, condition in checks)
    totals = con.table(table).aggregate(counts).fetchall()[0]
    issues = []
    for (read, empty, condition), total in zip(checks, totals, strict=True):
        if not total:
            continue
        value = f"_bad_{read.column.name}" if read.checked else "null"
        sql = f"select _row, {value} from {table} where {condition} order by _row limit {MAX_EXAMPLES}"
        examples = [(row, _parse_message(read, v, empty)) for row, v in con.execute(sql).fetchall()]
        issues += _issues("error", found.file, read.label, total, examples)
    return issues


def _parse_checks(found: TableSource) -> list[tuple[SourceColumn, bool, str]]:
    """(column, is-empty-check, SQL condition over ``typed_<table>``) for the file's columns."""
    checks = []
    for name, read in found.columns.items():
        bad = f"_bad_{name}"
        if read.column.required:
            checks.append(
                (read, True, f"{name} is null" + (f" and {bad} is null" if read.checked else ""))
            )
        if read.checked:
            checks.append((read, False, f"{bad} is not null"))
    return checks


def _parse_message(read: SourceColumn, value: object, empty: bool) -> str:
    """What is wrong with `value`, e.g. ``'13/45/2020' is not a date in format %m/%d/%Y``."""
    if empty:
        return "required value is empty"
    shown = repr(clip(str(value)))
    if read.column.type == "DOUBLE" and _is_finite_number(str(value)):
        return f"{shown} {TOO_LARGE}"
    message = f"{shown} is not {KIND_NAMES[read.column.type]}"
    if read.column.type == "DATE":
        fmt = read.date_format
        return message + (f" in format {fmt} (or YYYY-MM-DD)" if fmt else " (YYYY-MM-DD)")
    if read.column.type == "DOUBLE" and DECIMAL_COMMA.fullmatch(str(value).strip()):
        return message + " (a decimal comma? write the decimal mark as a point, e.g. 1234.50)"
    return message


def _is_finite_number(text: str) -> bool:
    """Whether `text` reads as a finite number (so it was refused for its size)."""
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


def rule_issues(con: duckdb.DuckDBPyConnection, rule: Rule, ledger: StagedLedger) -> list[Issue]:
    """The issues `rule` finds: the first `MAX_EXAMPLES` rows and a count of the rest."""
    sql = f"select count(*) over (), _row, message from ({rule.sql}) order by _row limit {MAX_EXAMPLES}"
    rows = execute(con, sql, {"currency": ledger.currency}).fetchall()
    if not rows:
        return []
    examples = [(row, message) for _, row, message in rows]
    file, column = ledger.file(rule.table), ledger.label(rule.table, rule.column)
    return _issues(rule.severity, file, column, rows[0][0], examples)


def _issues(
    severity: str, file: str, column: str, total: int, examples: list[tuple[int, str]]
) -> list[Issue]:
    """One issue per example row, plus one with the total when some were left out."""
    issues = [Issue(severity, file, message, row, column) for row, message in examples]
    if total > len(examples):
        summary = f"{total} rows in all have this problem; the first {len(examples)} are listed"
        issues.append(Issue(severity, file, summary, column=column))
    return issues


def _duplicate_rule(table: str, keys: tuple[str, ...]) -> Rule:
    """Error: the same key on more than one row (reported on its last row)."""
    columns = ", ".join(keys)
    return Rule(
        "error",
        table,
        keys[-1],
        f"select max(_row) as _row, format('duplicate {' and '.join(keys)} {{}}: {{}} rows, first on row {{}}',"
        f" clip(concat_ws(' ', {columns})), count(*), min(_row)) as message"
        f" from typed_{table} where {' and '.join(k + ' is not null' for k in keys)}"
        f" group by {columns} having count(*) > 1",
    )


def _reference_rule(table: str, column: str, target: str, target_column: str) -> Rule:
    """Error: `table.column` names a row that `target` does not have."""
    return Rule(
        "error",
        table,
        column,
        f"select t._row, format('{column} {{}} is not in {target}', clip(t.{column})) as message"
        f" from typed_{table} t anti join typed_{target} r on t.{column} = r.{target_column}"
        f" where t.{column} is not null",
    )


def _fx_rule(table: str, date_column: str) -> Rule:
    """Error: a foreign currency with no fx rate in force on the document's date."""
    return Rule(
        "error",
        table,
        "currency",
        "with firsts as (select currency, min(rate_date) as first_date from typed_fx_rates group by currency)"
        f" select t._row, format('no fx rate for {{}} in force on {{}} ({{}})', clip(t.currency), t.{date_column},"
        " coalesce('its first rate is dated ' || f.first_date, 'fx_rates has no rate for it')) as message"
        f" from typed_{table} t left join firsts f on t.currency = f.currency"
        f" where t.currency <> $currency and t.{date_column} is not null"
        f" and (f.first_date is null or t.{date_column} < f.first_date)",
    )


KEY_RULES = [_duplicate_rule(t.name, (t.key,)) for t in TABLES if t.key] + [
    _duplicate_rule("fx_rates", ("currency", "rate_date"))
]
# Payments applied to an unknown invoice, dated before it, or from another customer: one join
# of payments to invoices for the three rules that read it.
PAYMENT_CHECKS_SQL = """
create temp table payment_checks as
select p._row, p.invoice_id, p.payment_date, p.customer_id,
    i.invoice_id is not null as is_known, i.invoice_date, i.customer_id as invoice_customer_id
from typed_payments p
left join typed_invoices i on i.invoice_id = p.invoice_id
where p.invoice_id is not null
    and (i.invoice_id is null or p.payment_date < i.invoice_date or p.customer_id <> i.customer_id)
"""
REFERENCE_RULES = [
    _reference_rule("invoices", "customer_id", "customers", "customer_id"),
    _reference_rule("payments", "customer_id", "customers", "customer_id"),
    _reference_rule("orders", "customer_id", "customers", "customer_id"),
    _reference_rule("invoices", "applies_to", "invoices", "invoice_id"),
    Rule(
        "error",
        "payments",
        "invoice_id",
        "select _row, format('invoice_id {} is not in invoices', clip(invoice_id)) as message"
        " from payment_checks where not is_known",
    ),
]
AMOUNT_RULES = [
    Rule(
        "error",
        "payments",
        "amount",
        "select _row, format('payment amount {} is negative', amount) as message from typed_payments where amount < 0",
    ),
    _fx_rule("invoices", "invoice_date"),
    _fx_rule("payments", "payment_date"),
    _fx_rule("orders", "order_date"),
    Rule(
        "error",
        "fx_rates",
        "rate",
        "select _row, format('rate {} of the reporting currency {} must be 1', rate, clip(currency)) as message"
        " from typed_fx_rates where currency = $currency and rate <> 1",
    ),
    Rule(
        "error",
        "fx_rates",
        "rate",
        "select _row, format('rate {} for {} is not positive', rate, clip(currency)) as message"
        " from typed_fx_rates where rate <= 0",
    ),
]
WRITE_OFF_RULES = [
    Rule(
        "error",
        "invoices",
        "write_off",
        "select _row, format('write_off is set on amount {}: only a credit note (a negative amount)"
        " can write a debt off', amount) as message from typed_invoices where write_off and amount >= 0",
    ),
]
WARNING_RULES = [
    Rule(
        "warning",
        "invoices",
        "due_date",
        "select _row, format('due date {} is before the invoice date {}', due_date, invoice_date) as message"
        " from typed_invoices where due_date < invoice_date",
    ),
    Rule(
        "warning",
        "payments",
        "payment_date",
        "select _row, format('payment dated {} is before invoice {} dated {}', payment_date, clip(invoice_id),"
        " invoice_date) as message from payment_checks where payment_date < invoice_date",
    ),
    Rule(
        "warning",
        "payments",
        "customer_id",
        "select _row, format('payment from customer {} is applied to invoice {} of customer {}',"
        " clip(customer_id), clip(invoice_id), clip(invoice_customer_id)) as message"
        " from payment_checks where customer_id <> invoice_customer_id",
    ),
    Rule(
        "warning",
        "invoices",
        "amount",
        "select c._row, format('credit note of {} is larger than invoice {} of {}', -c.amount, clip(i.invoice_id),"
        " i.amount) as message"
        " from typed_invoices c join typed_invoices i on c.applies_to = i.invoice_id"
        " where c.amount < 0 and -c.amount > i.amount"
        " and coalesce(c.currency, $currency) = coalesce(i.currency, $currency)",
    ),
    Rule(
        "warning",
        "invoices",
        "applies_to",
        "select _row, format('applies_to {} is set on a positive amount {}', clip(applies_to), amount) as message"
        " from typed_invoices where applies_to is not null and amount > 0",
    ),
]


def _text_rule(table: str, column: str, *, control: bool) -> Rule:
    """Error: text longer than `MAX_TEXT` characters or, with `control`, holding a control
    character (customers' text only: it is what pages show in headings and cards, and
    searching every id of a 10 M-invoice ledger for one would cost seconds)."""
    too_long = f"length({column}) > {MAX_TEXT}"
    found = f"regexp_matches({column}, '{CONTROL}')" if control else "false"
    return Rule(
        "error",
        table,
        column,
        f"select _row, case when {too_long}"
        f" then format('{column} is {{}} characters long; at most {MAX_TEXT:,} are read', length({column}))"
        f" else format('{column} holds a control character (code {{}}): remove it',"
        f" unicode(regexp_extract({column}, '{CONTROL}'))) end as message"
        f" from typed_{table} where {too_long} or {found}",
    )


TEXT_RULES = [
    _text_rule(t.name, c.name, control=t.name == "customers")
    for t in TABLES
    for c in t.columns
    if c.type == "VARCHAR"
]
RULES = KEY_RULES + REFERENCE_RULES + AMOUNT_RULES + WRITE_OFF_RULES + WARNING_RULES
