"""Cash and policy sections of the committee pack: the receipts projection with its funding
gap (analytics.cashflow) and the saved scenarios' results (analytics.policy)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analytics.cashflow.funding import constant_outflows, funding_gap
from analytics.cashflow.model import CashflowOptions
from analytics.cashflow.projection import project
from analytics.cashflow.promised import promised_sentence
from analytics.policy.scenario import Scenario
from analytics.policy.simulator import comparison_of, prepare, simulate
from analytics.risk.promises import Commitments, evaluate, expected_receipts
from core.errors import LedgerError
from reports import columns, format
from reports.figures.cashflow import fan_chart, funding_chart
from reports.pack.context import PackContext
from reports.pack.model import PackTable, Section

MAX_SCENARIOS = 6  # side by side on a landscape page


@dataclass(frozen=True)
class FundingAssumptions:
    """Treasury's inputs to the funding gap (reporting currency)."""

    opening_cash: float
    weekly_outflow: float
    buffer: float


def placeholder_funding(weekly_receipts: float) -> FundingAssumptions:
    """The Cash flow page's placeholders until treasury gives its own: two weeks of expected
    receipts as opening cash, one week's paid out every week and one week's as the buffer.

    >>> placeholder_funding(100.0)
    FundingAssumptions(opening_cash=200.0, weekly_outflow=100.0, buffer=100.0)
    """
    return FundingAssumptions(2 * weekly_receipts, weekly_receipts, weekly_receipts)


def promised_receipts(ctx: PackContext) -> pd.DataFrame | None:
    """The open promises and plan instalments the workspace holds as receipts for the
    projection, as on the Cash flow page (default tolerance); None when none were read."""
    r = ctx.recorded
    if r.promises is None:
        return None
    book = Commitments(*(f for f in (r.promises, r.plans, r.instalments) if f is not None))
    return expected_receipts(evaluate(ctx.engine, book, as_of=ctx.as_of))


def cashflow_section(ctx: PackContext, funding: FundingAssumptions | None) -> Section:
    """Expected receipts for 13 weeks (P10-P90) and projected cash against the buffer; open
    promises and plans replace the model's timing for their items, as on the page."""
    p = project(ctx.engine, CashflowOptions(as_of=ctx.as_of), promised=promised_receipts(ctx))
    cur, weeks = ctx.currency, p.options.weeks
    expected = float(p.weekly["mean_amount"].sum())
    given = funding is not None
    funding = funding or placeholder_funding(expected / max(weeks, 1))
    gap = funding_gap(p.weekly_draws, ctx.as_of, constant_outflows(funding.weekly_outflow, weeks),
                      funding.opening_cash, funding.buffer)  # fmt: skip
    flagged = gap[gap["status"] != "ok"]
    money = lambda v: format.money(v, cur, compact=False)  # noqa: E731
    lines = (
        f"Expected receipts over the next {weeks} weeks {money(expected)}: "
        f"{money(float(p.weekly['open_ar_amount'].sum()))} from open AR and "
        f"{money(float(p.weekly['new_sales_amount'].sum()))} from new sales.",
        ("Funding gap with treasury's figures" if given else "Funding gap with the Cash flow "
         "page's placeholder figures (no treasury figures given)") + f": opening cash "
        f"{money(funding.opening_cash)}, outflows {money(funding.weekly_outflow)} a week, "
        f"buffer {money(funding.buffer)}.",
        f"{len(flagged)} of {weeks} weeks short or at risk"
        + (f"; largest shortfall {money(float(gap['shortfall_p50_amount'].max()))} (median), "
           f"{money(float(gap['shortfall_p90_amount'].max()))} (pessimistic)." if len(flagged)
           else ": cash stays above the buffer every week, even at P10."),
    ) + ((f"{promised_sentence(p.open_ar.n_promised, money(p.open_ar.promised_amount))}.",)
         if p.open_ar.n_promised else ())  # fmt: skip
    return Section(
        "cashflow", "Cash-flow projection and funding gap", lines,
        tables=(PackTable("Projected receipts by week", p.weekly,
                          columns.cashflow_periods(cur, "week")),
                PackTable("Funding gap by week", gap, columns.cashflow_funding(cur))),
        charts=(fan_chart(p.weekly, None, ctx.as_of, cur, "week"),
                funding_chart(gap, funding.buffer, cur)),
    )  # fmt: skip


def scenarios_section(ctx: PackContext) -> Section:
    """Every saved scenario (up to MAX_SCENARIOS) simulated at the as-of date, side by side."""
    title, saved = "Saved scenarios", dict(ctx.recorded.scenarios)
    if not saved:
        return Section("scenarios", title, ("No saved scenarios in the workspace.",))
    inputs = prepare(ctx.engine, ctx.as_of, ctx.window_days)
    results, problems = [], []
    for name in sorted(saved, key=str.lower)[:MAX_SCENARIOS]:
        try:
            results.append(simulate(inputs, Scenario.from_json(saved[name], name)))
        except LedgerError as exc:
            problems.append(f"{name}: {exc}")
    lines = [f"{len(results)} saved scenario(s) against today's policy at {ctx.as_of:%d %b %Y}; "
             "yearly figures in steady state; money in " + ctx.currency + "."]  # fmt: skip
    if len(saved) > MAX_SCENARIOS:
        lines.append(f"The first {MAX_SCENARIOS} of {len(saved)} by name.")
    lines += [f"Not simulated: {p}" for p in problems]
    table = comparison_of(results)
    names = [r.scenario.name for r in results]
    spec = {"figure": columns.Column("Figure", "text"), "baseline": columns.Column(
        "Baseline", "number", format="%,.1f"), **columns.scenario_comparison(names, ctx.currency)}  # fmt: skip
    return Section("scenarios", title, tuple(lines), (PackTable("Scenario results", table, spec),))
