"""Shared parts of the fact SQL: one definition each, put into a query as a CTE.

A query that reads a part names it in a header line, ``-- parts: open_items, unapplied_at``
(or ``closing_rates($month_end)`` to bind the part's ``$as_of`` to another of the query's
parameters), and refers to it as a table. `with_parts` puts the parts it needs, and the
parts they need, in front of the query's own CTEs. This replaces DuckDB's table macros,
which Spark SQL has no equivalent for, so the same text runs on both engines.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

PARTS_DIR = Path(__file__).with_name("sql") / "parts"
PARTS_LINE = re.compile(r"^-- parts: (.+)$", re.MULTILINE)
PART_USE = re.compile(r"^\s*(\w+)\s*(?:\(\s*\$(\w+)\s*\))?\s*$")
TOP_LEVEL = re.compile(r"^(with|select)\b", re.MULTILINE)


@cache
def part_text(name: str) -> str:
    """The text of `data/sql/parts/<name>.sql`."""
    path = PARTS_DIR / f"{name}.sql"
    if not path.is_file():
        raise ValueError(f"no SQL part named {name!r} (looked for {path})")
    return path.read_text().strip().rstrip(";")


def parts_used(text: str) -> list[tuple[str, str]]:
    """(part, parameter its $as_of binds to) named in the header of ``text``."""
    found = []
    for line in PARTS_LINE.findall(text):
        for item in line.split(","):
            m = PART_USE.match(item)
            if not m:
                raise ValueError(f"cannot read the part {item.strip()!r} in '-- parts: {line}'")
            found.append((m.group(1), m.group(2) or "as_of"))
    return found


def _ordered(text: str, bind: str, seen: dict[str, str]) -> None:
    """Every part ``text`` needs, the ones they need first, in ``seen`` (name -> CTE body)."""
    for name, param in parts_used(text):
        param = bind if param == "as_of" else param
        body = part_text(name)
        _ordered(body, param, seen)
        body = body.replace("$as_of", f"${param}")
        if seen.setdefault(name, body) != body:
            raise ValueError(f"part {name!r} is needed at two different dates")


@cache
def with_parts(text: str) -> str:
    """``text`` with the parts it names put in front of its own CTEs."""
    seen: dict[str, str] = {}
    _ordered(text, "as_of", seen)
    if not seen:
        return text
    ctes = ",\n\n".join(f"{name} as (\n{body}\n)" for name, body in seen.items())
    top = TOP_LEVEL.search(text)
    if top is None:
        raise ValueError("a query with parts needs a top-level `with` or `select` line")
    if top.group(1) == "with":
        return f"{text[: top.start()]}with {ctes},\n\n{text[top.end() :].lstrip()}"
    return f"{text[: top.start()]}with {ctes}\n\n{text[top.start() :]}"
