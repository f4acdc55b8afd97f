"""Every table can be downloaded: st.dataframe plus CSV and Excel buttons (built on click).
Headers and formats come from reports/columns.py; `column_config` is the one place a column
spec becomes Streamlit column settings."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from reports.columns import Column, Table
from reports.excel import csv_bytes, excel_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _setting(column: Column, label: str | None):
    """One column's st.column_config object (a bare label for kind "auto")."""
    fmt, extra = column.number_format, {"help": column.help}
    if column.kind == "auto":
        return label
    if column.kind == "text":
        return st.column_config.TextColumn(label, width=column.width, **extra)
    if column.kind == "flag":
        return st.column_config.CheckboxColumn(label, width=column.width, **extra)
    if column.kind == "date":
        return st.column_config.DateColumn(label, width=column.width, format=fmt, **extra)
    return st.column_config.NumberColumn(label, width=column.width, format=fmt, **extra)


def column_config(spec: Table, *, headers_in_frame: bool = False) -> dict:
    """``st.dataframe``'s column_config for a spec. With ``headers_in_frame`` the frame's
    columns were already renamed to the spec's labels (reports.columns.labels): settings are
    keyed by label and a column with only a label needs none."""
    if not headers_in_frame:
        return {name: None if c is None else _setting(c, c.label) for name, c in spec.items()}
    return {
        c.label: _setting(c, None)
        for c in spec.values()
        if c is not None and c.kind != "auto" and c.label is not None
    }


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "table"


def download_buttons(frame: pd.DataFrame, name: str, key: str | None = None) -> None:
    """CSV and Excel downloads of ``frame`` (files named after ``name``)."""
    slug = _slug(name)
    key = key or slug
    left, right, _ = st.columns([1, 1, 6])
    with left:
        st.download_button(
            "CSV", lambda: csv_bytes(frame), f"{slug}.csv", "text/csv",
            key=f"dl_csv_{key}", icon=":material/download:", on_click="ignore",
        )  # fmt: skip
    with right:
        st.download_button(
            "Excel", lambda: excel_bytes({name: frame}), f"{slug}.xlsx", XLSX,
            key=f"dl_xlsx_{key}", icon=":material/download:", on_click="ignore",
        )  # fmt: skip


def table(
    frame: pd.DataFrame,
    name: str,
    *,
    columns: Table | None = None,
    headers_in_frame: bool = False,
    key: str | None = None,
    height: int | str = "auto",
    empty_message: str = "No rows for this selection.",
) -> None:
    """A titled-by-caller table with its downloads, or an explanation when it is empty.
    ``columns`` is its spec (reports.columns); ``headers_in_frame`` as in `column_config`."""
    if frame.empty:
        st.info(empty_message)
        return
    config = None if columns is None else column_config(columns, headers_in_frame=headers_in_frame)
    st.dataframe(frame, hide_index=True, column_config=config, height=height, key=key)
    download_buttons(frame, name, key)
