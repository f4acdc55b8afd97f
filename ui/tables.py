"""Every table can be downloaded: st.dataframe plus CSV and Excel buttons (built on click)."""

from __future__ import annotations

import io
import re

import pandas as pd
import streamlit as st


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode("utf-8")


def to_excel_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name=sheet[:31] or "data", index=False)
    return buffer.getvalue()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "table"


def download_buttons(frame: pd.DataFrame, name: str, key: str | None = None) -> None:
    """CSV and Excel downloads of ``frame`` (files named after ``name``)."""
    slug = _slug(name)
    key = key or slug
    left, right, _ = st.columns([1, 1, 6])
    with left:
        st.download_button(
            "CSV", lambda: to_csv_bytes(frame), f"{slug}.csv", "text/csv",
            key=f"dl_csv_{key}", icon=":material/download:", on_click="ignore",
        )  # fmt: skip
    with right:
        st.download_button(
            "Excel", lambda: to_excel_bytes(frame, name), f"{slug}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key=f"dl_xlsx_{key}", icon=":material/download:", on_click="ignore",
        )  # fmt: skip


def table(
    frame: pd.DataFrame,
    name: str,
    *,
    column_config: dict | None = None,
    key: str | None = None,
    height: int | str = "auto",
    empty_message: str = "No rows for this selection.",
) -> None:
    """A titled-by-caller table with its downloads, or an explanation when it is empty."""
    if frame.empty:
        st.info(empty_message)
        return
    st.dataframe(frame, hide_index=True, column_config=column_config, height=height, key=key)
    download_buttons(frame, name, key)
