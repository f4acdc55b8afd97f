"""Pieces every page draws the same way: the header (title and the as-of line) and a row of
metric cards. Tables with their downloads are in ui/tables.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from reports import format
from reports.format import as_of_line

from .context import Context
from .text import plain


def as_of_caption(ctx: Context, *details: str, filtered: str = "filtered") -> None:
    """'As of 31 Dec 2025 · EUR · <details>', plus ``filtered`` when the sidebar filters the
    customers."""
    s = ctx.settings
    note = None if s.customer_filter.is_all else filtered
    st.caption(as_of_line(s.as_of, ctx.currency, *details, filtered=note))


def page_header(
    title: str, ctx: Context | None = None, *details: str, filtered: str = "filtered"
) -> None:
    """The page title and, given a context, the as-of line under it (`as_of_caption`). A page
    whose line depends on widgets drawn under the title calls `as_of_caption` after them."""
    st.title(title)
    if ctx is not None:
        as_of_caption(ctx, *details, filtered=filtered)


@dataclass(frozen=True)
class Card:
    """One bordered st.metric: its value already formatted; ``caption`` is a line under it."""

    label: str
    value: str
    help: str | None = None
    delta: str | None = None
    delta_color: str = "normal"  # normal (up is good) | inverse | off | a colour name
    delta_arrow: str = "auto"
    delta_description: str | None = None
    caption: str | None = None


def card_row(cards: Sequence[Card], *, columns: int | None = None, height="content") -> None:
    """The cards side by side, one per column (``columns`` columns; default one per card)."""
    for column, card in zip(st.columns(columns or len(cards)), cards, strict=False):
        column.metric(
            card.label, card.value, card.delta, card.delta_color, help=card.help, border=True,
            height=height, delta_arrow=card.delta_arrow, delta_description=card.delta_description,
        )  # fmt: skip
        if card.caption is not None:
            column.caption(card.caption)


def money_input(container, label: str, key: str, *, min_value: float | None = None) -> float:
    """A money field that shows and takes thousands separators ('1,250,000'); st.number_input
    cannot show them. The text lives in ``st.session_state[key]`` (set a default there first);
    a bad entry is refused with a message naming the field and the last good amount is kept."""
    text = container.text_input(label, key=key)
    good_key = f"{key}__amount"
    try:
        value = format.parse_amount(text)
        if min_value is not None and value < min_value:
            raise ValueError(text)
    except ValueError:
        last = st.session_state.get(good_key, 0.0)
        floor = "" if min_value is None else f" of at least {format.amount_text(min_value)}"
        container.error(f"{label}: {plain(repr(text))} is not an amount{floor}; "
                        f"using {format.amount_text(last)}.")  # fmt: skip
        return last
    st.session_state[good_key] = value
    return value


def in_url(key: str, param: str, options: Sequence[str] | None = None) -> None:
    """Put page control ``key`` in the shareable URL as ``param``, like the sidebar's
    settings: call it before the widget is drawn. A session's first run takes the value from
    the link (checked against ``options``; a bad one is said and ignored); every run writes
    the value in force back."""
    seeded = f"_in_url_{key}"
    if not st.session_state.get(seeded):
        st.session_state[seeded] = True
        value = st.query_params.get(param)
        if value is not None and options is not None and value not in options:
            st.warning(f"Link parameter {param}={plain(repr(value))} is not one of {', '.join(options)}; "
                       "ignored.")  # fmt: skip
        elif value is not None:
            st.session_state[key] = value
    value = st.session_state.get(key)
    if value is not None and value != "":
        st.query_params[param] = str(value)


# Cards never cut a figure off with "…" (issue 9: "USD 12.…" at 1280 px): values, labels and
# deltas wrap between words instead, the value's size follows the window (1.4 to 2.25 rem),
# and below 1180 px a row of cards becomes rows of two.
CARD_CSS = """
<style>
[data-testid="stMetricValue"] { font-size: clamp(1.4rem, 2.1vw, 2.25rem); }
[data-testid="stMetric"], [data-testid="stMetric"] * {
    white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important;
}
[data-testid="stMetric"] div { flex-wrap: wrap; }
@media (max-width: 1180px) {
    [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"]) {
        flex-wrap: wrap !important; row-gap: 0.75rem;
    }
    [data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] [data-testid="stMetric"])
        > [data-testid="stColumn"] {
        flex: 1 1 calc(50% - 1rem) !important; min-width: calc(50% - 1rem) !important;
    }
}
</style>
"""


# The browser's print of any page (issue 12, item 5): the page alone, on landscape paper, with
# no sidebar, header, toolbar, deploy button or status widget. The main column takes the
# sidebar's room, so captions and card labels keep whole words (squeezed beside the sidebar
# they broke one letter per line), up to 960 px: what landscape Letter and A4 hold within
# 10 mm margins, since a chart keeps the width it was drawn at. A card or a chart is not cut
# across two sheets.
PRINT_CSS = """
<style>
@media print {
    @page { size: landscape; margin: 10mm; }
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
    [data-testid="stExpandSidebarButton"], [data-testid="stHeader"],
    [data-testid="stToolbar"], [data-testid="stAppToolbar"], [data-testid="stDecoration"],
    [data-testid="stAppDeployButton"], [data-testid="stMainMenu"],
    [data-testid="stStatusWidget"], [data-testid="stToastContainer"],
    [data-testid="stElementToolbar"], [data-testid="stBottom"] { display: none !important; }
    [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stApp"] {
        position: static !important; overflow: visible !important; height: auto !important;
        margin-left: 0 !important; width: 100% !important;
    }
    [data-testid="stMainBlockContainer"] {
        max-width: 960px !important; padding: 0 !important; margin: 0 !important;
    }
    [data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *,
    [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,
    [data-testid="stMetricDelta"], [data-testid="stMetricDeltaDescription"] {
        word-break: normal !important; overflow-wrap: normal !important; hyphens: none !important;
    }
    [data-testid="stColumn"]:has([data-testid="stMetric"]) { min-width: 9rem !important; }
    [data-testid="stMetric"], [data-testid="stPlotlyChart"], .stPlotlyChart {
        break-inside: avoid;
    }
}
</style>
"""


def page_style() -> None:
    """The app's own CSS for the screen and for print (once per run, from app.py)."""
    st.html(CARD_CSS + PRINT_CSS)
