"""Plotly figures as SVG for the PDF: kaleido 1.x drives one headless Chromium for all of a
pack's charts (Debian's /usr/bin/chromium, or the browser BROWSER_PATH names). MathJax is
switched off and plotly.js comes from the installed plotly package, so nothing is fetched
from the network. Without a browser the pack is still written, each chart replaced by a
line saying why (``ChartsOut.missing``)."""

from __future__ import annotations

import asyncio
import concurrent.futures
from dataclasses import dataclass
from importlib import metadata

import plotly.graph_objects as go

# Drawn at the size they print, so plotly's 12 px text comes out about 8 pt: one chart across
# the page (273 mm), or two side by side.
ONE_PX = (1100, 310)
TWO_PX = (640, 340)
TIMEOUT_S = 60


@dataclass(frozen=True)
class ChartsOut:
    svgs: tuple[str, ...]  # one per figure, in order ("" when not drawn)
    engine: str  # what drew them, printed on the cover
    missing: str | None = None  # why none was drawn


Sized = tuple[go.Figure, int, int]  # a figure and its width and height in pixels


def chart_svgs(figures: list[Sized]) -> ChartsOut:
    """Every figure as SVG text at its size, drawn in one browser session."""
    from choreographer.browsers.chromium import ChromeNotFoundError

    engine = f"kaleido {metadata.version('kaleido')}"
    try:
        svgs = _run(_draw(figures))
    except ChromeNotFoundError:
        why = "no Chromium found (install Debian's chromium or set BROWSER_PATH)"
        return ChartsOut(("",) * len(figures), "none", why)
    return ChartsOut(tuple(svgs), f"{engine} with headless Chromium")


def sized(figures: tuple[go.Figure, ...]) -> list[Sized]:
    """A section's figures with the size they print at: one across, or two side by side."""
    width, height = ONE_PX if len(figures) == 1 else TWO_PX
    return [(fig, width, height) for fig in figures]


async def _draw(figures: list[Sized]) -> list[str]:
    import kaleido

    out = []
    async with kaleido.Kaleido(n=1, timeout=TIMEOUT_S, mathjax=False) as k:
        for fig, width, height in figures:
            opts = {"format": "svg", "width": width, "height": height}
            out.append((await k.calc_fig(fig, opts=opts)).decode("utf-8"))
    return out


def _run(coroutine):
    """Run ``coroutine`` to its end: here, or in a worker thread when this thread already
    runs an event loop (asyncio.run cannot nest)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
