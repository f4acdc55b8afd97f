"""Every table can be downloaded: st.dataframe plus CSV and Excel buttons (built on click).
Headers and formats come from reports/columns.py; `column_config` is the one place a column
spec becomes Streamlit column settings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from reports.columns import Column, Table
from reports.excel import TableMeta, file_name, slug, table_csv, table_excel

from .context import CONTEXT_KEY

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


def table_meta(name: str) -> TableMeta:
    """What a download says about itself: the table, and the sidebar's ledger, date, currency
    and customers (none of them on a page that works without a ledger)."""
    ctx = st.session_state.get(CONTEXT_KEY)
    title = name.replace("-", " ").strip()
    title = title[:1].upper() + title[1:]  # not capitalize(): it lowercases "Sep", "USD"
    if ctx is None:
        return TableMeta(title, "none", None, "")
    s = ctx.settings
    ledger = Path(s.db_path).stem + (f" {s.entity}" if s.entity else "")  # one entity's figures
    return TableMeta(title, ledger, s.as_of, s.currency, s.customer_filter.describe())


def download_buttons(
    frame: pd.DataFrame, name: str, key: str | None = None, columns: Table | None = None
) -> None:
    """CSV and Excel downloads of ``frame`` through the one finance-ready writer
    (reports/excel.py), with ``columns``' headers, named ``<name>-<ledger>-<as-of>``."""
    key = key or slug(name) or "table"
    meta = table_meta(name)
    # a row sized to the buttons' labels (fixed-ratio columns squeezed them to "C" / "E." at
    # 1024 px)
    with st.container(horizontal=True):
        st.download_button(
            "CSV", lambda: table_csv(frame, columns, meta), file_name(name, meta, "csv"),
            "text/csv", key=f"dl_csv_{key}", icon=":material/download:", on_click="ignore",
        )  # fmt: skip
        st.download_button(
            "Excel", lambda: table_excel(frame, columns, meta), file_name(name, meta, "xlsx"),
            XLSX, key=f"dl_xlsx_{key}", icon=":material/download:", on_click="ignore",
        )  # fmt: skip


def open_picked_customer(frame: pd.DataFrame, event, column: str) -> None:
    """Go to the Customer page for the row picked in a table (if any)."""
    rows = event.selection.rows if event is not None else []
    if rows:
        st.switch_page("app_pages/customer.py",
                       query_params={"customer": str(frame.iloc[rows[0]][column])})  # fmt: skip


def table(
    frame: pd.DataFrame,
    name: str,
    *,
    columns: Table | None = None,
    headers_in_frame: bool = False,
    key: str | None = None,
    height: int | str = "auto",
    empty_message: str = "No rows for this selection.",
    opens_customer: str | None = None,
) -> None:
    """A titled-by-caller table with its downloads, or an explanation when it is empty.
    ``columns`` is its spec (reports.columns); ``headers_in_frame`` as in `column_config`.
    With ``opens_customer`` (the column holding customer ids), picking a row opens that
    customer on the Customer page."""
    if frame.empty:
        st.info(empty_message)
        return
    config = None if columns is None else column_config(columns, headers_in_frame=headers_in_frame)
    if opens_customer is None:
        st.dataframe(frame, hide_index=True, column_config=config, height=height, key=key)
    else:
        st.caption("Pick a row to open the customer.")
        event = st.dataframe(frame, hide_index=True, column_config=config, height=height,
                             key=key, on_select="rerun", selection_mode="single-row")  # fmt: skip
        open_picked_customer(frame, event, opens_customer)
    if headers_in_frame and columns is not None:  # the frame's columns are the labels
        columns = {c.label: c for c in columns.values() if c is not None and c.label}
    download_buttons(frame, name, key, columns)
