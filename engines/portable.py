"""What the fact SQL may use so that one text runs on DuckDB and, transpiled, on Spark.

Every fact query (`engines/sql/`), shared part (`data/sql/parts/`) and load-time fact build
(`data/sql/`) is written once in DuckDB's dialect, restricted to constructs that sqlglot
prints as working Spark SQL. `refusals(text)` names the constructs that would not run there;
`tests/engines/test_portable_sql.py` holds every file to it, except the ones listed in
`NOT_YET_PORTABLE` (each with the construct still in it), which the Spark engine refuses by
name rather than failing half-way.
"""

from __future__ import annotations

import re
from functools import cache

import sqlglot
from sqlglot import exp

# Query files still written in DuckDB-only SQL (issue 14 replaces them one by one), with the
# construct that keeps each out. Shrink this; never add to it.
NOT_YET_PORTABLE: dict[str, str] = {
    "risk_calibration_outcomes_full": "GROUP BY ALL",
    "risk_score_features": "GROUP BY ALL",
    "scenario_backtest_invoices": "ASOF join",
    "scenario_default_history": "ASOF join",
}

DATE_NAMES = re.compile(r"^(as_of|day|m|start|end|[a-z_]*_(date|end|start|day|from|to))$")
DUCKDB_ONLY_FUNCTIONS = re.compile(r"^(list_\w+|to_months|to_days|to_years|len)$", re.I)


@cache
def refusals(text: str) -> tuple[str, ...]:
    """The constructs in ``text`` (one or more DuckDB statements) that Spark SQL cannot run."""
    found: list[str] = []
    for statement in sqlglot.parse(text, read="duckdb"):
        if statement is not None:
            found.extend(_refusals_in(statement))
    return tuple(dict.fromkeys(found))


def _refusals_in(tree: exp.Expression) -> list[str]:
    found = []
    for node in tree.walk():
        reason = _refusal(node)
        if reason:
            found.append(reason)
    return found


def _refusal(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Join) and (node.args.get("method") or "").upper() == "ASOF":
        return "ASOF join"
    if isinstance(node, exp.Create) and (node.args.get("kind") or "").upper() == "MACRO":
        return "table macro"
    if isinstance(node, exp.Table) and isinstance(node.this, exp.Func):
        return f"table function {node.this.sql('duckdb').split('(')[0].lower()}()"
    if isinstance(node, exp.Star) and node.args.get("except_"):
        return "* EXCLUDE"
    if isinstance(node, exp.Group) and node.args.get("all"):
        return "GROUP BY ALL"
    if isinstance(node, exp.Anonymous) and DUCKDB_ONLY_FUNCTIONS.match(str(node.this)):
        return f"{node.this}()"
    if isinstance(node, exp.ArrayFilter | exp.Lambda):
        return "list_filter()"
    if isinstance(node, exp.Sub) and _is_date(node.this) and _is_date(node.expression):
        return "date - date"
    if isinstance(node, exp.Placeholder) and _is_list(node):
        return f"list-valued parameter ${node.this}"
    if isinstance(node, exp.GroupConcat) and _is_distinct_and_ordered(node.this):
        return "string_agg(distinct ... order by ...)"
    if isinstance(node, exp.DataType) and node.is_type(exp.DataType.Type.INT128):
        return "hugeint"
    return None


def _is_distinct_and_ordered(node: exp.Expression) -> bool:
    """Spark's LISTAGG(DISTINCT x) WITHIN GROUP (ORDER BY x) parses but fails when run."""
    return isinstance(node, exp.Order) and isinstance(node.this, exp.Distinct)


def _is_date(node: exp.Expression) -> bool:
    """Date-valued by its name (the ledger's columns and parameters are named *_date, as_of…)
    or by a cast to DATE."""
    if isinstance(node, exp.Paren):
        return _is_date(node.this)
    if isinstance(node, exp.Cast):
        return node.to.is_type(exp.DataType.Type.DATE)
    if isinstance(node, exp.Column | exp.Placeholder):
        return bool(DATE_NAMES.match(node.name or str(node.this)))
    return isinstance(node, exp.LastDay | exp.CurrentDate)


def _is_list(node: exp.Placeholder) -> bool:
    parent = node.parent
    if isinstance(parent, exp.Cast) and parent.to.is_type(exp.DataType.Type.ARRAY):
        return True
    return isinstance(parent, exp.Explode | exp.Unnest | exp.ArrayFilter | exp.Cast) and (
        not isinstance(parent, exp.Cast) or parent.to.is_type(exp.DataType.Type.ARRAY)
    )
