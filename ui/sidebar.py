"""The one sidebar every page shares, kept in sync with the URL so a view can be shared."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import streamlit as st

from core.constants import DEFAULT_BUCKET_EDGES, DEFAULT_WINDOW_DAYS
from core.errors import LedgerError
from core.filters import CustomerFilter
from core.validation import parse_edges

from . import cache
from .cache import LedgerKey
from .context import Context, set_context
from .settings import Settings, available_ledgers, data_dir
from .text import plain

# widget key -> URL query parameter
PARAMS = {
    "sb_ledger": "ledger",
    "sb_entity": "entity",
    "sb_as_of": "as_of",
    "sb_currency": "ccy",
    "sb_segments": "segment",
    "sb_regions": "region",
    "sb_ratings": "rating",
    "sb_groups": "group",
    "sb_search": "q",
    "sb_edges": "edges",
    "sb_window": "window",
}
MULTI = {"sb_segments", "sb_regions", "sb_ratings", "sb_groups"}
BAD_AS_OF = "_sb_as_of_bad"  # a typed as-of text that is not a date, said once


def _seed_from_url() -> None:
    """On a session's first run, widgets start from the query string (a shared link)."""
    if st.session_state.get("_sb_seeded"):
        return
    st.session_state["_sb_seeded"] = True
    for key, param in PARAMS.items():
        if key in MULTI:
            values = st.query_params.get_all(param)
            if values:
                st.session_state[key] = values
        elif param in st.query_params:
            st.session_state[key] = st.query_params[param]


def _keep_widget_values() -> None:
    """Re-assign every sidebar value before its widget is drawn, so the browser shows the
    value the figures use after a page change (Streamlit's documented way to keep widget
    state across pages)."""
    for key in PARAMS:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _write_url() -> None:
    """Mirror the sidebar in the URL; parameters a page owns (e.g. customer) are kept."""
    owned = set(PARAMS.values())
    params: dict[str, str | list[str]] = {
        k: st.query_params.get_all(k) for k in st.query_params if k not in owned
    }
    for key, param in PARAMS.items():
        value = st.session_state.get(key)
        if value in (None, "", []):
            continue
        params[param] = (
            value
            if key in MULTI
            else (value.isoformat() if isinstance(value, date) else str(value))
        )
    st.query_params.from_dict(params)


def _ledger_picker() -> Path | None:
    ledgers = available_ledgers()
    if not ledgers:
        st.sidebar.info("No ledger loaded yet: use the Data page.")
        return None
    names = [p.stem for p in ledgers]
    if st.session_state.get("sb_ledger") not in names:
        st.session_state["sb_ledger"] = names[0]
    folder = data_dir()
    name = st.sidebar.selectbox(
        "Active ledger", names, key="sb_ledger", help=f"Ledger databases in {folder}"
    )
    return folder / f"{name}.duckdb"


CONSOLIDATED = "Consolidated"


def _entity_picker(names: list[str]) -> str | None:
    """The legal entity whose figures every page shows (spec §8); None: consolidated over all.
    Shown only when the ledger has more than one entity; a link's unknown entity is said."""
    if len(names) < 2:
        st.session_state.pop("sb_entity", None)
        return None
    options = [CONSOLIDATED, *names]
    chosen = st.session_state.get("sb_entity")
    if chosen is not None and chosen not in options:
        st.sidebar.warning(
            f"Entity {plain(repr(chosen))} is not in this ledger; showing {CONSOLIDATED}."
        )
    if chosen not in options:
        st.session_state["sb_entity"] = CONSOLIDATED
    entity = st.sidebar.selectbox(
        "Entity", options, key="sb_entity",
        help="The selling legal entity (company code) whose invoices and payments the figures "
        "cover; Consolidated adds every entity up in the reporting currency. Customers' credit "
        "limits are group-wide.",
    )  # fmt: skip
    return None if entity == CONSOLIDATED else entity


def _as_of_value(first: date, last: date, default: date) -> date:
    """The link's or the user's as-of date, else ``default``; a bad one is said."""
    value = st.session_state.get("sb_as_of")
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            st.sidebar.warning(
                f"Link parameter as_of={plain(repr(value))} is not a date; showing {default}."
            )
            value = default
    if isinstance(value, date) and not first <= value <= last:
        st.sidebar.warning(
            f"As of {value} is outside the ledger ({first} to {last}); showing {default}."
        )
        value = default
    if not isinstance(value, date):
        value = default
    if (typed := st.session_state.pop(BAD_AS_OF, None)) is not None:
        st.sidebar.warning(
            f"As of {plain(repr(typed))} is not a date (YYYY-MM-DD); showing {value}."
        )
    return value


def _typed_as_of() -> None:
    """The as-of box's callback (Enter, or leaving the box): a date becomes the as-of date;
    other text is kept aside to be said, and the last date stays."""
    text = str(st.session_state.get("sb_as_of_text") or "").strip()
    try:
        st.session_state["sb_as_of"] = date.fromisoformat(text)
    except ValueError:
        st.session_state[BAD_AS_OF] = text


def _as_of_picker(first: date, last: date, default: date) -> date:
    """The as-of date: the link's or the user's, else ``default`` (the last day with open
    receivables), always within the ledger's dates.

    A text box, not ``st.date_input``: Streamlit's date field (1.67) takes a typed date only
    when it loses focus or its calendar closes, never on Enter (issue 9). A text input
    commits on Enter and on leaving it. ``sb_as_of`` holds the date and ``sb_as_of_text``
    the box, so the date survives a page change and a bad entry never replaces it."""
    value = _as_of_value(first, last, default)
    st.session_state["sb_as_of"] = value
    st.session_state["sb_as_of_text"] = value.isoformat()
    st.sidebar.text_input(
        "As of", key="sb_as_of_text", on_change=_typed_as_of, placeholder="YYYY-MM-DD",
        help=f"Every figure is computed as it stood at the end of this day ({first} to "
        f"{last}). Type a date and press Enter.",
    )  # fmt: skip
    if value == default != last:
        st.sidebar.caption(
            f"{default:%d %b %Y} is the last day with open receivables: every invoice was "
            f"paid by {default + timedelta(days=1):%d %b %Y} (last activity {last:%d %b %Y})."
        )
    return value


def _choice_list(label: str, key: str, options: list[str]) -> tuple[str, ...]:
    chosen = [v for v in st.session_state.get(key, []) if v in options]
    st.session_state[key] = chosen
    return tuple(st.sidebar.multiselect(label, options, key=key, placeholder="All"))


def _filters(ledger: LedgerKey) -> CustomerFilter:
    dims = cache.dimensions(ledger)
    st.sidebar.subheader("Filters")
    return CustomerFilter(
        segments=_choice_list("Segment", "sb_segments", sorted(dims["segment"].unique())),
        regions=_choice_list("Region", "sb_regions", sorted(dims["region"].unique())),
        ratings=_choice_list("Risk rating", "sb_ratings", sorted(dims["risk_rating"].unique())),
        groups=_choice_list("Group", "sb_groups", sorted(dims["group_id"].unique())),
        search=st.sidebar.text_input("Customer search", key="sb_search", placeholder="id or name"),
    )


def _method_inputs() -> tuple[tuple[int, ...], int]:
    st.sidebar.subheader("Method")
    # re-assigned every run (like every sidebar widget here) so the browser always shows the
    # value the figures use, also after a page change; blank means the default
    text = str(st.session_state.get("sb_edges") or "").strip()
    st.session_state["sb_edges"] = text or ",".join(map(str, DEFAULT_BUCKET_EDGES))
    text = st.sidebar.text_input(
        "Aging bucket edges (days)", key="sb_edges", help="Upper edges, inclusive"
    )
    try:
        edges = parse_edges(text)
    except LedgerError as exc:
        st.sidebar.error(f"{plain(exc)}. Using {','.join(map(str, DEFAULT_BUCKET_EDGES))}.")
        edges = DEFAULT_BUCKET_EDGES
    try:
        st.session_state["sb_window"] = int(st.session_state.get("sb_window", DEFAULT_WINDOW_DAYS))
    except (TypeError, ValueError):
        st.session_state["sb_window"] = DEFAULT_WINDOW_DAYS
    window = st.sidebar.number_input("DSO window (days)", 7, 365, step=1, key="sb_window")
    return edges, int(window)


def render() -> Context | None:
    """Draw the sidebar; return the page context (None when no ledger is loaded)."""
    _seed_from_url()
    _keep_widget_values()
    db = _ledger_picker()
    if db is None:
        set_context(None)
        return None
    db_path, mtime = str(db), db.stat().st_mtime
    whole = cache.LedgerKey(db_path, mtime)  # dates, customers: the whole ledger's
    try:
        info = cache.info(whole)
        ledger = cache.LedgerKey(db_path, mtime, _entity_picker(cache.entities(db_path, mtime)))
    except cache.LedgerReplaced:  # a load replaced the file this very moment: read it again
        st.rerun()
    except LedgerError as exc:
        st.sidebar.error(plain(exc))
        set_context(None)
        return None
    last = info.last_date or date.today()
    as_of = _as_of_picker(info.first_date or date.today(), last, info.last_open_date or last)
    currencies = cache.currencies(ledger, as_of)
    if st.session_state.get("sb_currency") not in currencies:
        st.session_state["sb_currency"] = currencies[0]
    currency = st.sidebar.selectbox("Reporting currency", currencies, key="sb_currency")
    customer_filter = _filters(whole)
    edges, window = _method_inputs()
    _write_url()
    settings = Settings(
        db_path, as_of, currency, info.reporting_currency, customer_filter, edges, window,
        ledger.entity,
    )  # fmt: skip
    ctx = Context(settings, mtime, info, cache.cached_translation_rate(ledger, as_of, currency))
    set_context(ctx)
    return ctx
