"""The shared sidebar: where a ledger opens."""

from __future__ import annotations

from datetime import date

from data.loader import load_ledger
from reports import format
from tests.ledger_factory import inv, pay, write_ledger
from tests.pages.conftest import open_page
from ui.settings import DATA_DIR_ENV


def test_a_ledger_whose_every_invoice_is_paid_opens_on_its_last_day_with_receivables(
    tmp_path, monkeypatch
):
    """I1 100 (10 Jan) paid on 20 Feb, I2 50 (1 Feb) paid on 15 Feb: the last activity is
    20 Feb, when nothing is open (every card read 0 or n/a, issue 9); on 19 Feb I1 is still
    open, so the ledger opens there, says why, and shows AR 100."""
    folder = write_ledger(
        tmp_path / "paid",
        invoices=[inv("I1", "C1", "2024-01-10", "2024-02-09", 100),
                  inv("I2", "C1", "2024-02-01", "2024-03-02", 50)],
        payments=[pay("P1", "C1", "2024-02-20", 100, "I1"),
                  pay("P2", "C1", "2024-02-15", 50, "I2")],
    )  # fmt: skip
    load_ledger(folder, tmp_path / "data" / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    at = open_page("app_pages/overview.py")
    assert at.session_state["sb_as_of"] == date(2024, 2, 19)
    assert any("19 Feb 2024 is the last day with open receivables" in c.value
               for c in at.sidebar.caption)  # fmt: skip
    assert next(m.value for m in at.metric if m.label == "Total AR") == format.money(100, "USD")


def test_a_ledger_with_open_items_at_its_end_opens_on_its_last_activity(sample_con):
    at = open_page()
    last = sample_con.con.execute("select max(invoice_date) from invoices").fetchall()[0][0]
    assert at.session_state["sb_as_of"] >= last
    assert not any("last day with open receivables" in c.value for c in at.sidebar.caption)


def test_a_typed_as_of_date_applies_and_a_bad_one_is_said_and_the_date_kept(sample_con):
    """The as-of box takes a typed ISO date (the browser test presses Enter in it); text that
    is not a date is said and the last date stays, the box showing it again."""
    at = open_page()
    at.sidebar.text_input(key="sb_as_of_text").set_value(" 2025-06-30 ").run()
    assert at.session_state["sb_as_of"] == date(2025, 6, 30)
    assert at.sidebar.text_input(key="sb_as_of_text").value == "2025-06-30"
    assert at.query_params["as_of"] in ("2025-06-30", ["2025-06-30"])
    at.sidebar.text_input(key="sb_as_of_text").set_value("30/06/2025x").run()
    assert not at.exception
    assert any("As of '30/06/2025x' is not a date (YYYY-MM-DD); showing 2025-06-30." in w.value
               for w in at.sidebar.warning)  # fmt: skip
    assert at.session_state["sb_as_of"] == date(2025, 6, 30)
    assert at.sidebar.text_input(key="sb_as_of_text").value == "2025-06-30"
