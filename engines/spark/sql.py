"""DuckDB-dialect fact SQL printed as Spark SQL by the pinned sqlglot, once per text."""

from __future__ import annotations

from functools import cache

import sqlglot
from sqlglot import ErrorLevel


@cache
def to_spark(text: str) -> str:
    """``text`` (one DuckDB statement, `engines/portable.py`'s subset) as Spark SQL.

    >>> to_spark("select date_diff('day', due_date, $as_of::date) as days from t group by 1")
    'SELECT DATEDIFF(DAY, due_date, CAST(:as_of AS DATE)) AS days FROM t GROUP BY 1'
    """
    (printed,) = sqlglot.transpile(
        text, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE
    )
    return printed
