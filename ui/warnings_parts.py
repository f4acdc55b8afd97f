"""The Watchlist's thresholds: one number field per setting of `WarningSettings`, in the
page's units (days, %, ×), kept in the shareable link like the other pages' controls. A
session's first visit takes them from the link (a value the rules cannot use is said, naming
it, and its field keeps the default); every run writes back those away from the default, so
a link reads as the change it describes (``?late_days=30&disputes_share=20``)."""

from __future__ import annotations

import streamlit as st

from analytics.risk.warning_settings import (
    DEFAULT_SETTINGS,
    THRESHOLDS,
    Threshold,
    WarningSettings,
    validate_threshold,
)
from core.errors import LedgerError

from .text import plain

SEEDED = "_wl_thresholds_seeded"
LABELS = {  # field -> what the page calls it
    "late_days": "Late item: days past due, more than",
    "late_share": "Late item: share of the balance, at least (%)",
    "slower_days": "Paying slower: days later than the norm, more than",
    "spike_factor": "Purchase spike: times the average, more than",
    "over_limit_utilisation": "Over limit: utilisation above (%)",
    "near_limit_utilisation": "Near limit: utilisation above (%)",
    "downgrade_grades": "Grade downgrade: grades worse, more than",
    "disputes_share": "Disputes: share of the balance above (%)",
    "concentration_customer_share": "Concentration: customer's share above (%)",
    "concentration_group_share": "Concentration: group's share above (%)",
    "uninsured_factor": "Uninsured: times the insured limit, more than",
    "broken_promises": "Broken promises: more than",
}
STEPS = {"days": 1, "count": 1, "share": 1.0, "factor": 0.05}
FORMATS = {"days": "%d", "count": "%d", "share": "%.1f", "factor": "%.2f"}


def key_of(t: Threshold) -> str:
    return f"wl_{t.field}"


def page_value(t: Threshold, value: float) -> int | float:
    """A setting as its field shows it: shares in percent, days and counts whole."""
    if t.kind == "share":
        return round(float(value) * 100, 6)
    return int(value) if t.kind in ("days", "count") else float(value)


def setting_value(t: Threshold, value: float) -> int | float:
    return value / 100 if t.kind == "share" else value


def parse(t: Threshold, text: str) -> int | float:
    """Link text (page units) as the setting's value; LedgerError naming it otherwise."""
    try:
        number = float(text)
    except ValueError:
        raise LedgerError(f"{t.name}: {text!r} is not a number") from None
    if t.kind in ("days", "count") and number.is_integer():
        number = int(number)
    return validate_threshold(t.field, setting_value(t, number))


def thresholds_in_url() -> None:
    """Call before the fields are drawn: seed them from the link once, write them back."""
    g, q = st.session_state, st.query_params
    for t in THRESHOLDS:
        g.setdefault(key_of(t), page_value(t, getattr(DEFAULT_SETTINGS, t.field)))
    if not g.get(SEEDED):
        g[SEEDED] = True
        problems = []
        for t in THRESHOLDS:
            if (text := q.get(t.field)) is None:
                continue
            try:
                g[key_of(t)] = page_value(t, parse(t, text))
            except LedgerError as exc:
                problems.append(f"{t.field}={text!r} ({exc})")
        if problems:
            st.warning("Link parameters ignored, their thresholds keep their defaults: "
                       + plain("; ".join(problems)) + ".")  # fmt: skip
    for t in THRESHOLDS:
        value = g.get(key_of(t))
        if value == page_value(t, getattr(DEFAULT_SETTINGS, t.field)):
            q.pop(t.field, None)
        else:
            q[t.field] = f"{value:g}"


def reset_thresholds() -> None:
    for t in THRESHOLDS:
        st.session_state[key_of(t)] = page_value(t, getattr(DEFAULT_SETTINGS, t.field))


def threshold_inputs(columns: int = 4) -> None:
    """The fields, ``columns`` to a row, and a button back to the defaults."""
    cells = st.columns(columns)
    for i, t in enumerate(THRESHOLDS):
        high = None if t.high == float("inf") else page_value(t, t.high)
        cells[i % columns].number_input(
            LABELS[t.field], min_value=page_value(t, 0), max_value=high, step=STEPS[t.kind],
            format=FORMATS[t.kind], key=key_of(t), help=f"In the link as {t.field}.",
        )  # fmt: skip
    st.button("Back to the defaults", on_click=reset_thresholds, key="wl_reset",
              icon=":material/restart_alt:")  # fmt: skip


def settings_in_force() -> WarningSettings:
    """The thresholds the fields hold (the defaults before the page is opened); LedgerError
    naming the field when together they make no sense (near limit at or above over limit)."""
    g = st.session_state
    values = {}
    for t in THRESHOLDS:
        default = page_value(t, getattr(DEFAULT_SETTINGS, t.field))
        values[t.field] = setting_value(t, g.get(key_of(t), default))
    return WarningSettings(**values)


def changed_text(settings: WarningSettings) -> str | None:
    """The thresholds in force away from the defaults, in words (None: all at the default)."""
    by_field = {t.field: t for t in THRESHOLDS}
    parts = []
    for field, value in settings.changed().items():
        t = by_field[field]
        default = page_value(t, getattr(DEFAULT_SETTINGS, field))
        parts.append(f"{LABELS[field]} {page_value(t, value):g} (default {default:g})")
    return "; ".join(parts) or None
