"""Build the committee pack: every section's figures as of one date, from the functions the
pages and the command line call (one definition per number)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from analytics.portfolio.ledger import ledger_info
from analytics.portfolio.report import portfolio_metrics
from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.ecl import EclOptions, expected_credit_loss
from core.errors import LedgerError
from reports.columns import Column
from reports.pack.cash import FundingAssumptions, cashflow_section, scenarios_section
from reports.pack.context import PackContext
from reports.pack.glossary import glossary_table
from reports.pack.history import History, changes_section, decisions_section
from reports.pack.model import Headline, LedgerStamp, Pack, PackTable, Recorded, Section
from reports.pack.portfolio import (
    aging_section,
    concentration_section,
    dso_section,
    limits_section,
)
from reports.pack.risk import collections_section, ecl_section, grades_section

Progress = Callable[[float, str], None]
WEEK = timedelta(days=7)
RECOMPUTED = "7 days earlier, recomputed on this ledger (no earlier snapshot given)"


def build_pack(
    engine: Any,
    as_of: date,
    *,
    stamp: LedgerStamp,
    options: Options | None = None,
    recorded: Recorded = Recorded(),  # noqa: B008 (frozen)
    compare_to: date | None = None,
    compare_how: str = "",
    history: History | None = None,
    funding: FundingAssumptions | None = None,
    progress: Progress | None = None,
) -> Pack:
    """The pack as of ``as_of`` on ``engine`` (an engines.base.Engine).

    ``compare_to``: the date the cover's changes are against (default: the earlier
    snapshot of ``history``, else 7 days earlier), its figures recomputed on this ledger.
    ``history`` (reports.pack.history.pack_history over the workspace's snapshots and
    decisions) fills What changed and the decisions; without it those two sections say they
    are not available yet.
    """
    say = progress or (lambda fraction, message: None)
    say(0.0, "Portfolio figures")
    if history is not None and compare_to is None:
        compare_to = history.since
        compare_how = compare_how or "the last snapshot's date, recomputed on this ledger"
    ctx = _context(engine, as_of, options or Options(as_of=as_of), recorded, compare_to)
    steps: list[tuple[str, Callable[[], Section]]] = [
        ("What changed", lambda: changes_section(history)),
        ("Aging", lambda: aging_section(ctx)),
        ("DSO trend and bridge", lambda: dso_section(ctx)),
        ("Concentration", lambda: concentration_section(ctx)),
        ("Credit limits", lambda: limits_section(ctx)),
        ("Expected credit loss", lambda: ecl_section(ctx)),
        ("Grade migration", lambda: grades_section(ctx)),
        ("Collections", lambda: collections_section(ctx)),
        ("Cash-flow projection", lambda: cashflow_section(ctx, funding)),
        ("Saved scenarios", lambda: scenarios_section(ctx)),
        ("Decisions", lambda: decisions_section(history, as_of)),
        ("Glossary", glossary_section),
    ]  # fmt: skip
    sections = []
    for i, (name, make) in enumerate(steps):
        say(0.1 + 0.9 * i / len(steps), name)
        sections.append(make())
    say(1.0, "Pack built")
    how = compare_how or (RECOMPUTED if compare_to is None else "recomputed on this ledger")
    return Pack(as_of, ctx.currency, stamp, ctx.compared_to, how if ctx.compared_to else "",
                headlines(ctx), tuple(sections), datetime.now(UTC))  # fmt: skip


def _context(
    engine: Any, as_of: date, options: Options, recorded: Recorded, compare_to: date | None
) -> PackContext:
    info = ledger_info(engine)
    if info.first_date is None or not info.first_date <= as_of <= (info.last_date or as_of):
        raise LedgerError(
            f"--as-of {as_of}: outside the ledger ({info.first_date} to {info.last_date})"
        )
    options = replace(options, as_of=as_of)
    earlier = compare_to or as_of - WEEK
    earlier = earlier if info.first_date <= earlier < as_of else None
    snap = snapshot(engine, options)
    ecl_options = EclOptions(as_of=as_of, edges=options.edges, coverage=options.coverage)
    return PackContext(
        engine=engine, options=options, currency=info.reporting_currency,
        first_date=info.first_date, snap=snap, metrics=portfolio_metrics(snap),
        ecl=expected_credit_loss(engine, ecl_options), compared_to=earlier,
        before=portfolio_metrics(snapshot(engine, replace(options, as_of=earlier)))
        if earlier else None,
        ecl_before=expected_credit_loss(engine, replace(ecl_options, as_of=earlier))
        if earlier else None,
        recorded=recorded,
    )  # fmt: skip


HEADLINES = (  # label, PortfolioMetrics field (or "ecl"), kind
    ("AR", "ar_total", "money"),
    ("Overdue", "ar_overdue", "money"),
    ("Overdue share", "overdue_share", "share"),
    ("Standard DSO", "dso_standard", "days"),
    ("Countback DSO", "dso_countback", "days"),
    ("Best possible DSO", "dso_best_possible", "days"),
    ("ADD", "add", "days"),
    ("CEI", "cei", "index"),
    ("Top-10 share", "top_n_share", "share"),
    ("HHI", "hhi", "hhi"),
    ("Customers over limit", "customers_over_limit", "count"),
    ("Utilisation", "utilisation", "share"),
    ("Expected credit loss", "ecl", "money"),
)


def headlines(ctx: PackContext) -> tuple[Headline, ...]:
    """The cover's figures at the as-of date and at the comparison date (None: none)."""

    def value(metrics, ecl, field):
        if metrics is None:
            return None
        return ecl.total if field == "ecl" else getattr(metrics, field)

    return tuple(
        Headline(label, kind, value(ctx.metrics, ctx.ecl, field),
                 value(ctx.before, ctx.ecl_before, field))
        for label, field, kind in HEADLINES
    )  # fmt: skip


def glossary_section() -> Section:
    spec = {"figure": Column("Figure", "text"), "definition": Column("Definition", "text")}
    table = PackTable("Definitions", glossary_table(), spec, pdf_rows=100)
    return Section("glossary", "Glossary", tables=(table,))
