"""Text from the ledger or the URL is shown as typed, never read as Markdown or HTML (issue 13).

A customer is named like an attack: bold markers, an HTML image with a script, a javascript:
link. On every page each text element (markdown, captions, alerts, headers, widget labels)
holding the name must hold it escaped (``\\*\\*bold\\*\\*``, ``\\<img``, ``\\[x\\]``), so
Streamlit draws the characters instead of bold text, an image or a link.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from data.loader import load_ledger
from tests.ledger_factory import inv, pay, write_ledger
from tests.pages.conftest import APP, TIMEOUT
from tests.pages.test_odd_ledgers import PAGES
from ui.settings import DATA_DIR_ENV
from ui.text import plain

HOSTILE = "**bold** <img src=x onerror=alert(1)> [x](javascript:alert(1))"
RAW_PARTS = ("**bold**", "<img", "[x](")  # any of these unescaped would render
TEXT_ELEMENTS = ("markdown", "caption", "info", "warning", "error", "success", "title",
                 "header", "subheader", "toast", "expander")  # fmt: skip


@pytest.fixture(scope="module")
def hostile_ledger(tmp_path_factory) -> Path:
    """Two customers, the hostile one over its limit with the largest balance, overdue."""
    folder = tmp_path_factory.mktemp("hostile")
    customers = [
        {"customer_id": "H1", "name": HOSTILE, "credit_limit": 100, "payment_terms_days": 30,
         "segment": HOSTILE, "group_id": "G1"},
        {"customer_id": "P1", "name": "Plain Co", "credit_limit": 5000, "payment_terms_days": 30},
    ]  # fmt: skip
    invoices, payments = [], []
    for m in range(1, 7):
        invoices.append(inv(f"H-{m}", "H1", f"2024-{m:02d}-05", f"2024-{m + 1:02d}-04", 900))
        invoices.append(inv(f"P-{m}", "P1", f"2024-{m:02d}-05", f"2024-{m + 1:02d}-04", 100))
        if m < 3:
            payments.append(pay(f"PH-{m}", "H1", f"2024-{m + 1:02d}-20", 900, f"H-{m}"))
            payments.append(pay(f"PP-{m}", "P1", f"2024-{m + 1:02d}-10", 100, f"P-{m}"))
    files = write_ledger(folder / "files", customers=customers, invoices=invoices,
                         payments=payments)  # fmt: skip
    load_ledger(files, folder / "data" / "ledger.duckdb")
    return folder / "data"


def shown_texts(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of every element Streamlit renders as Markdown, labels included."""
    found = []
    for kind in TEXT_ELEMENTS:
        for element in at.get(kind):
            for attribute in ("value", "label", "body"):
                text = getattr(getattr(element, "proto", None), attribute, None)
                text = text if isinstance(text, str) else getattr(element, attribute, None)
                if isinstance(text, str) and text:
                    found.append((kind, text))
    for widget in ("selectbox", "multiselect", "radio", "button", "checkbox", "metric"):
        for element in at.get(widget):
            label = getattr(element, "label", None)
            if isinstance(label, str):
                found.append((widget, label))
    return found


def unescaped(at: AppTest) -> list[tuple[str, str]]:
    """The texts in which a part of the name still acts as Markdown (escaped pairs dropped)."""
    found = shown_texts(at)
    return [(k, t) for k, t in found if any(p in re.sub(r"\\.", "", t) for p in RAW_PARTS)]


def test_plain_escapes_every_markdown_special_and_keeps_the_characters() -> None:
    assert plain(HOSTILE) == (
        r"\*\*bold\*\* \<img src=x onerror=alert(1)\> \[x\](javascript:alert(1))"
    )
    assert plain("Smith & Sons_Ltd #1 $5 ~a~ `x` |b|") == (
        r"Smith & Sons\_Ltd \#1 \$5 \~a\~ \`x\` \|b\|"
    )


def test_the_hostile_name_is_shown_escaped_on_every_page(hostile_ledger, monkeypatch):
    """One session through every page (one AppTest per page would start the app 18 times)."""
    monkeypatch.setenv(DATA_DIR_ENV, str(hostile_ledger))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["customer"] = "H1"
    at.run()
    found = {}
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        if bad := unescaped(at):
            found[page] = bad
    assert not found


def test_a_customer_id_from_the_link_is_shown_escaped(hostile_ledger, monkeypatch):
    monkeypatch.setenv(DATA_DIR_ENV, str(hostile_ledger))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["customer"] = HOSTILE
    at.run()
    at.switch_page("app_pages/customer.py").run()
    assert not unescaped(at)
    assert any(plain(HOSTILE) in t for _, t in shown_texts(at))  # said, escaped
