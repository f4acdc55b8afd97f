"""No SQL text is built from values (issue 13): values reach SQL as bound parameters only.

The test reads every module of the layers that talk to a database or build queries and finds
string building — f-strings, ``%``, ``.format()``, ``+`` — whose text reads as SQL (select,
insert, update, delete, create, drop, describe, a where clause). Each one must be removed, or
listed in `ALLOWED` with the reason it is safe: it formats only identifiers or fragments from
a fixed internal list (the schema, our own relation names), never a value a user typed or a
file held.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("analytics", "engines", "data", "stores", "ui", "reports")
SQL = re.compile(
    r"\bselect\s+(\*|distinct\b|[\w.]+\s*(,|\bas\b|\bfrom\b))|\binsert\s+into\b"
    r"|\bupdate\s+\w+\s+set\b|\bdelete\s+from\b|\bdescribe\s+\w|\bdrop\s+(table|view|macro)\b"
    r"|\bcreate\s+(temp\s+|temporary\s+|or\s+replace\s+)*(table|view|macro|index)\b"
    r"|\bwhere\s+[\w.]+\s*(=|<|>|\bin\b|\blike\b|\bbetween\b)",
    re.IGNORECASE,
)
HOLE = "x"  # what a formatted value reads as when the text is checked

# (file, text on the flagged line) -> why it is safe. Keep it short: each is a fixed identifier.
ALLOWED = {
    (
        "data/reader.py",
        "create temp table {relation}_data",
    ): "staging DDL: `relation` is src_<n>, our own name; the path and columns are bound",
    ("data/reader.py", "create temp view {relation}"): "staging DDL over our own relation src_<n>",
    (
        "data/reader.py",
        "create temp table {relation} as select",
    ): "staging DDL: an xlsx frame registered under our own name src_<n>",
    (
        "data/reader.py",
        "typed_{table.name} as {typed_select",
    ): "typed staging: table names from data.schema; every value in it is a $parameter",
    (
        "data/reader.py",
        "create temp table typed_{table.name} (_row",
    ): "an empty typed table: names and types from data.schema",
    (
        "data/reader.py",
        "select {', '.join(picks)} from",
    ): "typed_select: columns c<i> by position and schema names; values are $parameters",
    (
        "data/reader.py",
        "create temp table typed_payments as select",
    ): "payments from settled dates: columns from the fixed SETTLED_PAYMENTS table",
    (
        "data/validate.py",
        "create or replace temp macro clip(x)",
    ): "the clip macro: MAX_SHOWN, a constant of ours",
    (
        "data/validate.py",
        'sql = f"select _row, {value} from {table} where {condition}',
    ): "parse examples: typed_<schema table>, _bad_<schema column>, conditions from the schema",
    (
        "data/validate.py",
        "is not in {target}', clip(t.{column}))",
    ): "reference rules: schema table and column names; the value is read by format() in SQL",
    (
        "data/validate.py",
        "with firsts as (select currency, min(rate_date)",
    ): "fx rule: schema table and date column names; the currency is $currency",
    (
        "data/validate.py",
        'f"select _row, case when {too_long}"',
    ): "text rules: schema table and column names, MAX_TEXT and the CONTROL pattern constants",
    (
        "stores/decisions.py",
        "f\"select {', '.join(COLUMNS)} from decisions\"",
    ): "the store's own fixed column list",
    (
        "stores/snapshots.py",
        "insert into {table} (snapshot_id, {names})",
    ): "snapshot tables and columns from the store's fixed schema; values are $parameters",
    (
        "stores/snapshots.py",
        "insert into snapshots ({names}, taken_at_utc",
    ): "the store's fixed header columns and their $parameter names",
    ("stores/snapshots.py", 'f"select {LIST_HEADER} from snapshots'): "a constant column list",
}


def _text(node: ast.AST) -> str | None:
    """The text a string-building expression makes, each formatted value read as `HOLE`; None
    when `node` builds no string from a value."""
    if isinstance(node, ast.JoinedStr) and any(
        isinstance(v, ast.FormattedValue) for v in node.values
    ):
        return "".join(v.value if isinstance(v, ast.Constant) else HOLE for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        parts = _parts(node)
        constants = [p.value for p in parts if isinstance(p, ast.Constant)]
        strings = [c for c in constants if isinstance(c, str)]
        if strings and len(constants) < len(parts):
            return " ".join(c if isinstance(c, str) else HOLE for c in constants) + " " + HOLE
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
    ):
        return node.func.value.value
    return None


def _parts(node: ast.AST) -> list[ast.AST]:
    """The operands of a chain of ``+``/``%``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
        return _parts(node.left) + _parts(node.right)
    return [node]


def built_sql(path: Path) -> list[tuple[int, str]]:
    """(line, source line) of each string built from values that reads as SQL in `path`."""
    source = path.read_text()
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        text = _text(node)
        if text and SQL.search(" ".join(text.split())):
            found.append((node.lineno, lines[node.lineno - 1].strip()))
    return found


def allowed(relative: str, line: str) -> bool:
    return any(f == relative and snippet in line for f, snippet in ALLOWED)


def test_no_sql_text_is_built_from_values() -> None:
    offenders = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            for number, line in built_sql(path):
                if not allowed(relative, line):
                    offenders.append(f"{relative}:{number}: {line}")
    assert not offenders, "SQL built from values; bind them ($name) or allow-list:\n" + "\n".join(
        offenders
    )


def test_every_allowed_entry_still_matches_a_line() -> None:
    """An allow-list entry whose line is gone is removed, so the list cannot grow stale."""
    hits = {
        (path.relative_to(ROOT).as_posix(), line)
        for layer in LAYERS
        for path in (ROOT / layer).rglob("*.py")
        for _, line in built_sql(path)
    }
    stale = [key for key in ALLOWED if not any(f == key[0] and key[1] in line for f, line in hits)]
    assert not stale


def test_the_check_finds_a_value_formatted_into_sql(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f(con, name, n):\n"
        "    con.execute(f\"select * from customers where name = '{name}'\")\n"
        '    con.execute("delete from notes where id = %s" % n)\n'
        '    con.execute("select a, b from t where id = {}".format(n))\n'
        '    con.execute("update t set a = 1 where id = " + str(n))\n'
        '    con.execute("select * from t where id = $id", {"id": n})\n'
        '    print(f"Select a customer: {name} is where it is")\n'
    )
    assert [n for n, _ in built_sql(bad)] == [2, 3, 4, 5]
