"""The portfolio sections of the committee pack: aging, DSO trend and bridge, concentration
and credit limits, each from the functions the pages call (spec §2-§6, §11)."""

from __future__ import annotations

import math

from analytics.metrics.aging import bucket_labels
from analytics.metrics.concentration import hhi_reading
from analytics.metrics.dso_bridge import dso_bridge
from analytics.portfolio.aging_view import disputed_by_bucket, group_aging
from analytics.portfolio.concentration_view import (
    concentration_summary,
    pareto_curve,
    top_units,
    unit_amounts,
)
from analytics.portfolio.limits_view import limit_summary, over_limit
from analytics.portfolio.trend import monthly_trend
from analytics.risk.limits import recommended_limits, review_queue
from core.constants import DEFAULT_TOP_N, TREND_MONTHS
from reports import columns, format
from reports.figures.concentration import pareto_chart
from reports.figures.dso import bridge_waterfall, dso_trend
from reports.figures.portfolio import aging_bar
from reports.pack.context import PackContext
from reports.pack.model import PackTable, Section

BRIDGE_MONTHS = 12  # bridge rows printed, latest first


def aging_section(ctx: PackContext) -> Section:
    """Open items by bucket (chart), by segment and the customers most overdue."""
    cur, opt, m = ctx.currency, ctx.options, ctx.metrics
    labels = bucket_labels(opt.edges)
    disputed = disputed_by_bucket(ctx.engine, opt)
    segments = group_aging(ctx.snap.customers, disputed, "segment", opt.edges)
    customers = group_aging(ctx.snap.customers, disputed, "customer", opt.edges)
    overdue = customers.sort_values("overdue_amount", ascending=False, ignore_index=True)
    shown = ("overdue_amount", "overdue_share")
    disputed_total = float(ctx.snap.customers["disputed_amount"].sum())
    lines = (
        f"Open items {format.money(m.ar_current + m.ar_overdue, cur, compact=False)}, of which "
        f"overdue {format.money(m.ar_overdue, cur, compact=False)} ({format.pct(m.overdue_share)})"
        f" and disputed {format.money(disputed_total, cur, compact=False)}; unapplied cash "
        f"{format.money(m.ar_unapplied, cur, compact=False)} is not aged.",
    )
    return Section(
        "aging", "Aging", lines,
        tables=(
            PackTable("Aging by segment", segments, columns.aging_groups(labels, cur, "segment"),
                      ("group", "n_customers", *labels, "disputed_amount", "open_amount",
                       "overdue_share", "balance_amount")),
            PackTable("Customers with the most overdue", overdue,
                      columns.aging_groups(labels, cur, "customer"),
                      ("group", "name", *labels, *shown), pdf_rows=10),
        ),
        charts=(aging_bar(m.aging, cur, f"Aging of open items, {opt.as_of:%d %b %Y}"),),
    )  # fmt: skip


def dso_section(ctx: PackContext) -> Section:
    """DSO at the last month-ends and the latest month's bridge (sales volume vs collections)."""
    m, n = ctx.metrics, ctx.window_days
    trend = monthly_trend(ctx.engine, ctx.as_of, n, TREND_MONTHS + 1)
    bridge = dso_bridge(trend, n)
    shown = trend.iloc[1:] if len(trend) > TREND_MONTHS else trend
    defined = bridge[bridge["dso_change"].notna()]
    countback = ("≥ " if m.countback_is_lower_bound else "") + format.days(m.dso_countback)
    lines = [
        f"Standard DSO {format.days(m.dso_standard)} (window {n} days), countback {countback}, "
        f"best possible {format.days(m.dso_best_possible)}, ADD {format.days(m.add)}, "
        f"CEI {format.index_points(m.cei)}."
    ]
    charts = [dso_trend(shown.reset_index(drop=True))]
    if not defined.empty:
        last = defined.iloc[-1]
        charts.append(bridge_waterfall(last))
        lines.append(
            f"{last['previous_month_end']:%b %Y} → {last['month_end']:%b %Y}: standard DSO "
            f"{last['dso_change']:+.1f} days, of which sales volume {last['sales_effect']:+.1f} "
            f"and collections {last['collections_effect']:+.1f}."
        )
    else:
        lines.append("No two consecutive month-ends with credit sales: no DSO bridge.")
    rows = bridge.iloc[::-1].head(BRIDGE_MONTHS).reset_index(drop=True)
    table = PackTable("DSO bridge by month", rows, columns.dso_bridge(ctx.currency))
    return Section("dso", "DSO trend and bridge", tuple(lines), (table,), tuple(charts))


def concentration_section(ctx: PackContext) -> Section:
    """Top-N share and HHI at every level, the largest customers and the Pareto curve."""
    c, m, n, cur = ctx.snap.customers, ctx.metrics, DEFAULT_TOP_N, ctx.currency
    lines = (
        f"The {n} largest customers hold {format.pct(m.top_n_share)} of positive balances; "
        f"HHI {_hhi(m.hhi)} ({hhi_reading(m.hhi)}). At group level: top-{n} "
        f"{format.pct(m.group_top_n_share)}, HHI {_hhi(m.group_hhi)}.",
    )
    curve = pareto_curve(unit_amounts(c, "customer", "balance"))
    return Section(
        "concentration", "Concentration", lines,
        tables=(
            PackTable(f"Top {n} customers by balance", top_units(c, "customer", "balance", n),
                      columns.concentration_top("customer", "balance", cur)),
            PackTable("Concentration at every level", concentration_summary(c, n),
                      columns.concentration_summary(n, cur)),
        ),
        charts=(pareto_chart(curve, "customer", "balance", n),),
    )  # fmt: skip


def limits_section(ctx: PackContext) -> Section:
    """Utilisation, the customers over their limit and the limit review queue (spec §6, §11)."""
    c, cur = ctx.snap.customers, ctx.currency
    s = limit_summary(c)
    limits = recommended_limits(ctx.engine, ctx.as_of, ctx.grades)  # as the Limits review page
    queue = review_queue(limits, c, ctx.as_of)
    lines = (
        f"Utilisation {format.pct(s.utilisation)} over {s.n_limited:,} customers with a limit; "
        f"{s.n_over_limit:,} over limit; {s.n_no_limit_with_exposure:,} without a limit carry "
        f"exposure. Exposure {format.money(s.exposure_amount, cur, compact=False)}, of which "
        f"uninsured {format.money(s.uninsured_amount, cur, compact=False)}.",
        f"Review queue: {len(queue):,} customers (limit far from the recommendation, review "
        "overdue, or over limit).",
    )
    review_columns = ("customer_id", "name", "grade", "credit_limit", "recommended_limit",
                      "gap_share", "exposure_amount", "utilisation", "reasons")  # fmt: skip
    return Section(
        "limits", "Credit limits", lines,
        tables=(
            PackTable("Over limit", over_limit(c), columns.limits_customers(cur), pdf_rows=10),
            PackTable("Limit review queue", queue, columns.limit_recommendations(cur),
                      review_columns, pdf_rows=12),
        ),
    )  # fmt: skip


def _hhi(value: float | None) -> str:
    return format.NA if value is None or math.isnan(value) else f"{value:,.0f}"
