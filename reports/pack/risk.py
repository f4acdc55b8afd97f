"""The risk sections of the committee pack: expected credit loss and its movement (spec §9),
grade migration (spec §10) and collections: stages, broken promises, disputes (spec §13).

Grades and collections are read through ``importlib`` after ``missing_source`` has found
them, so a pack built before they land leaves those sections out and says so.
"""

from __future__ import annotations

import importlib

import pandas as pd

from analytics.risk.allowance import allowance_movement
from analytics.risk.ecl_view import coverage_ratio, movement_rows, provision_matrix
from reports import columns, format
from reports.columns import Column
from reports.figures.risk import ecl_by_bucket_bar
from reports.pack.context import PackContext
from reports.pack.model import PackTable, Section
from reports.pack.sources import missing_source

GRADES_MODULES = (("analytics.risk.model", "behavioural_model"),
                  ("analytics.risk.grades", "grades_at", "grade_migration", "grade_counts"))  # fmt: skip
COLLECTIONS_MODULE = ("analytics.risk.collections", "worklist", "WorklistOptions", "stage_totals")
PROMISES_MODULE = ("analytics.risk.promises", "Commitments", "broken_promises")
DISPUTES_MODULE = ("analytics.risk.disputes", "disputes", "RECORD_COLUMNS")


def ecl_section(ctx: PackContext) -> Section:
    """The provision matrix, the allowance and its movement since the comparison date."""
    ecl, cur = ctx.ecl, ctx.currency
    matrix = provision_matrix(ecl)
    lines = [
        f"Expected credit loss {format.money(ecl.total, cur, compact=False)} gross, "
        f"{format.money(ecl.total_net_of_insurance, cur, compact=False)} net of insurance; "
        f"coverage {format.pct(coverage_ratio(ecl), 2)} of positive open receivables "
        f"({ecl.loss_rates.n_month_ends} calibration month-ends)."
    ]
    lines += [f"Note: {w}." for w in ecl.warnings]
    tables = [PackTable("Provision matrix", matrix, columns.ecl_matrix(cur))]
    if ctx.ecl_before is not None:
        movement = allowance_movement(ctx.ecl_before, ecl)
        tables.append(PackTable("Allowance movement", movement_rows(movement),
                                columns.allowance_movement(cur)))  # fmt: skip
    buckets = matrix.iloc[: len(ecl.buckets)]
    return Section("ecl", "Risk: expected credit loss", tuple(lines), tuple(tables),
                   (ecl_by_bucket_bar(buckets, cur),))  # fmt: skip


def grades_section(ctx: PackContext) -> Section:
    """Customers per behavioural grade at the as-of date and their migration since the
    comparison date, each date graded by the model as it stood then (as the Grades page)."""
    title = "Risk: grade migration"
    for module, *names in GRADES_MODULES:
        if why := missing_source(module, *names):
            return Section("grades", title, missing=why)
    grades = importlib.import_module("analytics.risk.grades")
    counts = grades.grade_counts(ctx.model.scores)
    lines = ["Customers per grade at "
             f"{ctx.as_of:%d %b %Y}: " + ", ".join(f"{g} {n:,}" for g, n in counts.items()) + "."]  # fmt: skip
    if ctx.compared_to is None:
        return Section("grades", title, (*lines, "No earlier date in the ledger: no migration."))
    before = ctx.model_at(ctx.compared_to).scores
    migration = grades.grade_migration(before, ctx.model.scores).rename_axis(None, axis=1)
    migration = migration.rename_axis("from_grade").reset_index()
    lines.append(f"Migration from {ctx.compared_to:%d %b %Y} (rows) to {ctx.as_of:%d %b %Y} "
                 "(columns); new: graded only now, gone: graded only then.")  # fmt: skip
    spec = {"from_grade": Column("From \\ to", "text"),
            **{c: Column(c, "count") for c in migration.columns[1:]}}  # fmt: skip
    return Section("grades", title, tuple(lines), (PackTable("Grade migration", migration, spec),))


def collections_section(ctx: PackContext) -> Section:
    """Collection stages, broken promises and disputes as of the as-of date."""
    title = "Collections"
    if why := missing_source(*COLLECTIONS_MODULE):
        return Section("collections", title, missing=why)
    col = importlib.import_module(COLLECTIONS_MODULE[0])
    work = col.worklist(ctx.engine, col.WorklistOptions(as_of=ctx.as_of, edges=ctx.options.edges))
    stages = col.stage_totals(work.customers)
    cur = ctx.currency
    spec = {"stage": Column("Stage", "text"), "action": Column("Action", "text"),
            "customers": Column("Customers", "count"),
            "open_amount": columns.money("Open", cur),
            "overdue_amount": columns.money("Overdue", cur),
            "expected_loss_amount": columns.money("Expected loss", cur)}  # fmt: skip
    lines = [f"{len(work.customers):,} customers with open items, by the oldest item's stage."]
    tables = [PackTable("Collection stages", stages, spec)]
    for part in (_promises, _disputes):
        line, table = part(ctx)
        lines.append(line)
        tables += [table] if table is not None else []
    return Section("collections", title, tuple(lines), tuple(tables))


def _promises(ctx: PackContext) -> tuple[str, PackTable | None]:
    r = ctx.recorded
    if why := missing_source(*PROMISES_MODULE):
        return f"Broken promises: {why}.", None
    if r.promises is None:
        return "Broken promises: the workspace's promises were not read for this pack.", None
    promises = importlib.import_module(PROMISES_MODULE[0])
    book = promises.Commitments(*(f for f in (r.promises, r.plans, r.instalments) if f is not None))
    broken = promises.broken_promises(ctx.engine, book, as_of=ctx.as_of)
    total = float(broken["shortfall_amount"].sum()) if not broken.empty else 0.0
    line = (f"Broken promises: {len(broken):,} customers, "
            f"{format.money(total, ctx.currency, compact=False)} not paid.")  # fmt: skip
    spec = {"customer_id": Column("Customer", "text"), "n_broken": Column("Broken", "count"),
            "shortfall_amount": columns.money("Not paid", ctx.currency),
            "first_due_date": Column("First due", "date"),
            "last_due_date": Column("Last due", "date"), "reason": None}  # fmt: skip
    return line, PackTable("Broken promises", broken, spec)


def _disputes(ctx: PackContext) -> tuple[str, PackTable | None]:
    if why := missing_source(*DISPUTES_MODULE):
        return f"Disputes: {why}.", None
    module = importlib.import_module(DISPUTES_MODULE[0])
    records = ctx.recorded.dispute_records
    if records is None:
        records = pd.DataFrame(columns=module.RECORD_COLUMNS)
    d = module.disputes(ctx.engine, records, as_of=ctx.as_of, edges=ctx.options.edges,
                        window_days=ctx.window_days)  # fmt: skip
    cur = ctx.currency
    line = (
        f"Disputes: {d.n_items:,} open items, {format.money(d.open_amount, cur, compact=False)} "
        f"({format.pct(d.share_of_ar)} of AR); standard DSO {format.days(d.dso)}, without "
        f"disputed items {format.days(d.dso_without_disputed)}."
    )
    spec = {"bucket_label": Column("Days past due", "text"), "n_items": Column("Items", "count"),
            "open_amount": columns.money("Disputed open", cur)}  # fmt: skip
    return line, PackTable("Disputed items by age", d.by_bucket, spec)
