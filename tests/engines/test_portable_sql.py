"""One fact SQL text for both engines: no file uses what Spark SQL cannot run (issue 14).

Every file is parsed with the pinned sqlglot (requirements-dev.txt); the constructs refused
are named in `engines/portable.py`. Files not yet rewritten are listed there, each with the
construct that keeps it out, and must still use it (so the list only shrinks).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from data.parts import with_parts
from engines.portable import NOT_YET_PORTABLE, refusals

ROOT = Path(__file__).resolve().parents[2]
SQL_FILES = sorted(
    p.relative_to(ROOT).as_posix()
    for folder in ("engines/sql", "data/sql")
    for p in (ROOT / folder).rglob("*.sql")
)


def test_the_sql_files_are_found():
    assert "engines/sql/open_totals.sql" in SQL_FILES
    assert "data/sql/02_applications.sql" in SQL_FILES


@pytest.mark.parametrize("path", SQL_FILES)
def test_every_fact_sql_file_runs_on_spark(path):
    name = Path(path).stem
    found = refusals(with_parts((ROOT / path).read_text()))
    if path.startswith("engines/sql/") and name in NOT_YET_PORTABLE:
        assert found, f"{path} is portable now: take it off NOT_YET_PORTABLE"
        assert NOT_YET_PORTABLE[name] in found
    else:
        assert found == (), f"{path}: {', '.join(found)}"


@pytest.mark.parametrize(
    ("sql", "construct"),
    [
        ("select * from a asof left join r on r.c = a.c and a.d >= r.d", "ASOF join"),
        ("create macro m(as_of) as table select 1", "table macro"),
        ("select * from open_items($as_of) as o", "table function open_items()"),
        ("select c.* exclude (x) from t as c", "* EXCLUDE"),
        ("select a, sum(b) from t group by all", "GROUP BY ALL"),
        ("select list_sum([1, 2])", "list_sum()"),
        ("select len(list_filter($edges, lambda e: a > e)) from t", "list_filter()"),
        ("select settled_date - invoice_date from t", "date - date"),
        ("select $as_of - due_date from t", "date - date"),
        ("select 1 from t where k in (select unnest($customer_keys))",
         "list-valued parameter $customer_keys"),
        ("select unnest($dates::date[])", "list-valued parameter $dates"),
        ("select d + to_months($n) from t", "to_months()"),
        ("select string_agg(distinct c, ', ' order by c) from t",
         "string_agg(distinct ... order by ...)"),
        ("select sum(cast(a as hugeint)) from t", "hugeint"),
    ],
)  # fmt: skip
def test_each_duckdb_only_construct_is_refused(sql, construct):
    assert construct in refusals(sql)


@pytest.mark.parametrize(
    "sql",
    [
        "select date_diff('day', due_date, $as_of) as days_past_due from t",
        "select $as_of - $history_days::int as start_date",
        "select x from t group by x",
        "select 1 from t where k in (select customer_key from selected_customers)",
        "select unnest(range(a, b)) as month_index from t",
        "select string_agg(c, ', ' order by c) from (select distinct c from t) as d",
        "select sum(cast(round(a * 100) as bigint)) from t",
    ],
)
def test_portable_equivalents_pass(sql):
    assert refusals(sql) == ()
