"""The pack as a PDF: HTML and CSS (reports.pack.html) laid out by WeasyPrint on A4
landscape, charts as vector SVG (reports.pack.charts). WeasyPrint may read only the data:
URIs the document carries, so rendering never reaches the network."""

from __future__ import annotations

from pathlib import Path

from reports.pack.charts import ChartsOut, chart_svgs
from reports.pack.html import pack_figures, pack_html
from reports.pack.model import Pack


def render_pdf(pack: Pack, path: Path | str, charts: ChartsOut | None = None) -> Path:
    """Write ``pack`` to ``path`` as a PDF and return the path."""
    out = Path(path)
    out.write_bytes(pdf_bytes(pack, charts))
    return out


def pdf_bytes(pack: Pack, charts: ChartsOut | None = None) -> bytes:
    """The PDF in memory; the charts are drawn now unless given."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = pack_html(pack, charts or chart_svgs(pack_figures(pack)))
    fetcher = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
