"""One aging rule on every page and in the CLI (issue 9): every open document, disputed or not,
in exactly one bucket. Overview's 120+ bar was almost all disputed while Aging's 120+ left the
disputed items out; now Overview, Aging, Customer and `python -m analytics metrics` agree."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from analytics.metrics.aging import bucket_labels
from cli.main import main as cli
from tests.pages.conftest import open_page, plotly_figures, trace_values
from tests.pages.test_aging import bucket_bar, figure
from tests.pages.test_customer import arrive

LABELS = bucket_labels((30, 60, 90, 120))


def cli_aging(db, as_of) -> dict[str, float]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli(["metrics", "--ledger", str(db), "--as-of", as_of.isoformat()]) == 0
    return json.loads(out.getvalue())["aging"]


def bars_of(at, title: str) -> dict[str, float]:
    fig = next(f for f in plotly_figures(at) if f["layout"]["title"]["text"] == title)
    return dict(zip(fig["data"][0]["x"], trace_values(fig["data"][0]["y"]), strict=True))


def test_overview_aging_customer_and_the_cli_put_disputed_items_in_their_buckets(
    sample_data_dir, sample_con
):
    overview = open_page("app_pages/overview.py")
    as_of = overview.session_state["sb_as_of"]
    expected = cli_aging(sample_data_dir / "ledger.duckdb", as_of)
    assert bars_of(overview, "Aging of open items") == pytest.approx(expected)

    aging = open_page("app_pages/aging.py")
    table = aging.dataframe[0].value  # every customer with something open
    assert {b: table[b].sum() for b in LABELS} == pytest.approx(expected)
    disputed = table.sort_values("disputed_amount", ascending=False).iloc[0]
    assert disputed["disputed_amount"] > 0  # the sample has disputes: the test can fail
    bars = figure(aging, "Open items by customer and age")
    row = bars["data"][0]["y"].index(f"{disputed['name']} ({disputed['group']})")
    assert [bucket_bar(bars, b)[row] for b in LABELS] == pytest.approx(disputed[LABELS].tolist())

    customer = arrive(disputed["group"])  # as an "Open" link does
    assert bars_of(customer, "Aging of this customer's open items") == pytest.approx(
        disputed[LABELS].to_dict()
    )
