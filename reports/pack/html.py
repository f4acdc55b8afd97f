"""The pack as one HTML document for WeasyPrint: a cover with the headline figures and the
contents, then one page (or more) per available section; every cell printed as the pages
show it (reports.format, reports.columns kinds)."""

from __future__ import annotations

import base64
import math
from dataclasses import dataclass
from datetime import date, datetime
from importlib import resources

import jinja2
import pandas as pd

from reports import format
from reports.columns import Table
from reports.excel import finance_columns
from reports.pack.charts import ChartsOut, Sized, sized
from reports.pack.model import Headline, Pack, PackTable

NUMERIC = {"money", "amount", "percent", "days", "change", "count", "number"}
DATE_FORMATS = {"MMM YYYY": "%b %Y", "DD MMM YYYY": "%d %b %Y"}
KEEP_ROWS = 20  # a table this short is not split across pages
NARROW_COLUMNS = 4  # a table this narrow is not stretched across the page


@dataclass(frozen=True)
class HtmlColumn:
    name: str
    header: str
    kind: str
    number_format: str | None  # printf-style, e.g. "%,.1f"
    align: str  # the cell's class: "num" for numbers, "date" for dates, "" for text


def pack_html(pack: Pack, charts: ChartsOut) -> str:
    """The whole pack as HTML; ``charts`` holds the SVGs of the available sections' figures
    in order (reports.pack.charts.chart_svgs(pack_figures(pack)))."""
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["css_string"] = css_string
    folder = resources.files("reports.pack") / "templates"
    template = env.from_string((folder / "pack.html.j2").read_text(encoding="utf-8"))
    svgs = iter(charts.svgs)
    sections = [
        {"key": s.key, "title": s.title, "lines": s.lines,
         "charts": [_chart(fig, next(svgs), charts.missing) for fig in s.charts],
         "tables": [_table(t) for t in s.tables]}
        for s in pack.available
    ]  # fmt: skip
    return template.render(
        pack=pack, css=(folder / "pack.css").read_text(encoding="utf-8"),
        footer=pack.stamp.footer(pack.as_of), headlines=[_headline(h, pack.currency)
                                                        for h in pack.headlines],
        sections=sections, chart_engine=charts.engine,
    )  # fmt: skip


def pack_figures(pack: Pack) -> list[Sized]:
    """The available sections' plotly figures with their print size, in the PDF's order."""
    return [item for s in pack.available for item in sized(s.charts)]


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string that cannot end the <style> element it sits in.

    >>> print(css_string('ledger "Q3" </style> 2026'))
    "ledger \\"Q3\\" \\3c /style> 2026"
    """
    quoted = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return '"' + quoted.replace("\n", " ") + '"'


def _chart(fig, svg: str, why: str | None) -> dict:
    title = fig.layout.title.text or "chart"
    if not svg:
        return {"src": None, "title": title, "why": why or "not drawn"}
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return {"src": f"data:image/svg+xml;base64,{data}", "title": title}


def _headline(h: Headline, currency: str) -> dict:
    return {"label": h.label, "now": headline_text(h.value, h.kind, currency),
            "before": headline_text(h.before, h.kind, currency),
            "change": change_text(h.value, h.before, h.kind, currency)}  # fmt: skip


def headline_text(value: float | None, kind: str, currency: str) -> str:
    """A cover figure as the pages print it (money in full).

    >>> headline_text(1234567.4, "money", "USD"), headline_text(0.2316, "share", "USD")
    ('USD 1,234,567', '23.2 %')
    >>> headline_text(983.59, "hhi", "USD"), headline_text(None, "days", "USD")
    ('984', 'n/a')
    """
    if format.is_missing(value):
        return format.NA
    return {
        "money": lambda v: format.money(v, currency, compact=False),
        "share": format.pct,
        "days": format.days,
        "index": format.index_points,
        "count": lambda v: f"{int(v):,}",
        "hhi": lambda v: f"{v:,.0f}",
    }[kind](value)


def change_text(value: float | None, before: float | None, kind: str, currency: str) -> str:
    """Now − before in the figure's unit (shares in percentage points).

    >>> change_text(0.25, 0.2, "share", "USD"), change_text(1000.0, 1500.0, "money", "USD")
    ('+5.0 pp', '-USD 500')
    >>> change_text(2, 2, "count", "USD"), change_text(80.6, None, "days", "USD")
    ('+0', 'n/a')
    """
    if format.is_missing(value) or format.is_missing(before):
        return format.NA
    d = float(value) - float(before)
    if kind == "money":
        return ("+" if d >= 0 else "") + format.money(d, currency, compact=False)
    return {
        "share": f"{d * 100:+.1f} pp",
        "days": f"{d:+.1f} days",
        "index": f"{d:+.1f}",
        "count": f"{d:+,.0f}",
        "hhi": f"{d:+,.0f}",
    }[kind]


def _table(t: PackTable) -> dict:
    cols = html_columns(t.frame, t.spec, t.pdf_columns)
    rows = [[cell_text(v, c.kind, c.number_format) for v, c in zip(r, cols, strict=True)]
            for r in t.frame[[c.name for c in cols]].head(t.pdf_rows).itertuples(index=False)]  # fmt: skip
    extra = len(t.frame) - len(rows)
    more = f"… and {extra:,} more row(s) in the Excel pack." if extra > 0 else ""
    return {"title": t.title, "columns": cols, "rows": rows, "more": more,
            "keep": len(rows) <= KEEP_ROWS, "narrow": len(cols) <= NARROW_COLUMNS}  # fmt: skip


def html_columns(
    frame: pd.DataFrame, spec: Table | None, only: tuple[str, ...] = ()
) -> list[HtmlColumn]:
    """The columns the PDF prints: ``only`` when given, else every column the spec labels
    (every column but internal keys without a spec), with their headers and kinds."""
    out = []
    for name, header, kind in finance_columns(frame, spec):
        column = (spec or {}).get(name)
        if only and name not in only or not only and spec is not None and column is None:
            continue
        number_format = column.number_format if column is not None else None
        if column is not None and column.kind == "number":
            kind = "number"
        align = "num" if kind in NUMERIC else "date" if kind == "date" else ""
        out.append(HtmlColumn(name, header, kind, number_format, align))
    if only:
        out.sort(key=lambda c: only.index(c.name))
    return out


def cell_text(value, kind: str, number_format: str | None = None) -> str:
    """One table cell as the pages print it.

    >>> cell_text(1234.567, "money"), cell_text(0.1234, "percent"), cell_text(3.0, "count")
    ('1,235', '12.3 %', '3')
    >>> cell_text(float("inf"), "percent"), cell_text(None, "days"), cell_text(True, "flag")
    ('∞', 'n/a', 'yes')
    >>> cell_text(-0.5, "number", "%+,.1f"), cell_text(date(2026, 10, 31), "date", "MMM YYYY")
    ('-0.5', 'Oct 2026')
    >>> cell_text(-0.04, "change"), cell_text(-0.00001, "percent"), cell_text(-12.5, "change")
    ('+0.0', '0.0 %', '-12.5')
    """
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if format.is_missing(value):
        return format.NA
    if kind == "date":
        day = value.date() if isinstance(value, (pd.Timestamp, datetime)) else value
        if not isinstance(day, date):
            return str(day)
        return day.strftime(DATE_FORMATS.get(number_format or "", "%Y-%m-%d"))
    if kind == "flag":
        return "yes" if bool(value) else ""
    if kind not in NUMERIC or not isinstance(value, (int, float)):
        return str(value)
    value = float(value)
    if kind == "number" and number_format:
        return _no_negative_zero(format_printf(value, number_format), "+" in number_format)
    return _no_negative_zero({
        "money": f"{value:,.0f}",
        "amount": f"{value:,.2f}",
        "percent": f"{value * 100:,.1f} %",
        "days": f"{value:,.1f}",
        "change": f"{value:+,.1f}",
        "count": f"{value:,.0f}",
        "number": f"{value:,.2f}",
    }[kind], kind == "change")  # fmt: skip


def _no_negative_zero(text: str, signed: bool = False) -> str:
    """A figure that rounds to zero without its minus sign ("+0.0" where signed).

    >>> _no_negative_zero("-0.0"), _no_negative_zero("-0.00 %"), _no_negative_zero("-0.0", True)
    ('0.0', '0.00 %', '+0.0')
    >>> _no_negative_zero("-10.0")
    '-10.0'
    """
    if text.startswith("-") and not any(ch in "123456789" for ch in text):
        return ("+" if signed else "") + text[1:]
    return text


def format_printf(value: float, spec: str) -> str:
    """A number by a reports.columns printf-style format ("%,.1f", "%+,.1f", "%.2f").

    >>> format_printf(1234.56, "%,.1f"), format_printf(2.0, "%+,.1f"), format_printf(0.5, "%.2f")
    ('1,234.6', '+2.0', '0.50')
    """
    return f"{value:{spec.removeprefix('%').replace('d', '.0f')}}"
