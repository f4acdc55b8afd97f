"""The engine seam: one keyword-only function per fact query, and nothing else reaches SQL."""

from __future__ import annotations

import inspect
import re

import pandas as pd
import pytest

from engines import facts
from engines.base import LIST_VIEWS, SQL_DIR, sql_text

QUERIES = sorted(p.stem for p in SQL_DIR.glob("*.sql"))
FUNCTIONS = {
    name: f
    for name, f in inspect.getmembers(facts, inspect.isfunction)
    if f.__module__ == facts.__name__
}


def test_every_query_file_has_exactly_one_function_and_every_function_a_file():
    assert sorted(FUNCTIONS) == QUERIES


@pytest.mark.parametrize("name", QUERIES)
def test_each_function_binds_exactly_the_parameters_its_sql_uses(name):
    params = inspect.signature(FUNCTIONS[name]).parameters
    engine, *rest = params.values()
    assert engine.name == "engine"
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in rest), "keyword-only"
    code = re.sub(r"--[^\n]*", "", sql_text(name))  # headers name list arguments too
    assert {bound_as(p.name, code) for p in rest} - {None} == set(re.findall(r"\$([a-z_]+)", code))


def bound_as(argument: str, text: str) -> str | None:
    """The parameter an argument binds in ``text``: a list argument whose view the query reads
    is that view (customer_keys also binds $all_customers), anything else its own name."""
    if argument in LIST_VIEWS and LIST_VIEWS[argument] in text:
        return "all_customers" if argument == "customer_keys" else None
    return argument


class Recorder:
    """An engine that records what it was asked (the interface has two methods)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []

    def frame(self, name, params):
        self.calls.append(("frame", name, dict(params)))
        return pd.DataFrame()

    def row(self, name, params):
        self.calls.append(("row", name, dict(params)))
        return {}


def test_a_fact_runs_its_own_query_with_its_arguments_bound():
    engine = Recorder()
    facts.sales_by_customer(engine, start="2024-01-01", as_of="2024-03-31")
    facts.ledger_info(engine)
    assert engine.calls == [
        ("frame", "sales_by_customer", {"start": "2024-01-01", "as_of": "2024-03-31"}),
        ("row", "ledger_info", {}),
    ]


def test_positional_arguments_are_refused():
    with pytest.raises(TypeError):
        facts.sales_by_customer(Recorder(), "2024-01-01", "2024-03-31")
