"""Disputes page: cards, ageing and items equal the engine's disputes for the sidebar's
customers; a reason recorded through the form is in the workspace and sums by reason."""

from datetime import date

import pandas as pd
import pytest

from analytics.risk.disputes import RECORD_COLUMNS, disputes
from core.filters import CustomerFilter
from reports import format
from stores.collections import CollectionsStore
from stores.workspace import Workspace
from tests.pages.conftest import open_page
from tests.pages.test_collections import button, card, frame_with, own_workspace  # noqa: F401

PAGE = "app_pages/disputes.py"
LAST = date(2026, 10, 31)
NONE = pd.DataFrame(columns=RECORD_COLUMNS)


def test_cards_ageing_and_items_equal_the_engines(sample_con):
    at = open_page(PAGE)
    assert at.title[0].value == "Disputes"
    view = disputes(sample_con, NONE, as_of=LAST)
    assert view.n_items > 0  # the sample has disputed items
    assert card(at, "Disputed open") == format.money(view.open_amount, "USD")
    assert card(at, "Disputed items") == f"{view.n_items:,}"
    assert card(at, "DSO") == format.days(view.dso)
    assert card(at, "DSO without disputes") == format.days(view.dso_without_disputed)
    items = frame_with(at, "days_past_due")
    assert items["invoice_id"].tolist() == view.items["invoice_id"].tolist()
    assert items["open_amount"].sum() == pytest.approx(view.open_amount)


def test_the_sidebar_filter_chooses_the_items(sample_con):
    at = open_page(PAGE, sb_ratings=["E"])
    only_e = disputes(sample_con, NONE, as_of=LAST, customer_filter=CustomerFilter(ratings=("E",)))
    assert card(at, "Disputed items") == f"{only_e.n_items:,}"
    assert card(at, "DSO without disputes") == format.days(only_e.dso_without_disputed)


def test_a_reason_recorded_is_kept_and_summed(sample_con, own_workspace):  # noqa: F811
    at = open_page(PAGE)
    invoice = at.selectbox(key="coll_dispute_invoice").value
    at.selectbox(key="coll_dispute_reason").set_value("quality or damage")
    at.selectbox(key="coll_dispute_status").set_value("under review")
    button(at, "Save").click().run()
    assert not at.exception and any(
        f"Saved the dispute of {invoice}" in s.value for s in at.success
    )
    kept = CollectionsStore(Workspace.in_folder(own_workspace)).disputes()
    assert kept[["invoice_id", "reason", "status"]].values.tolist() == [
        [invoice, "quality or damage", "under review"]]  # fmt: skip
    view = disputes(sample_con, kept, as_of=LAST)
    reasons = next(d.value for d in at.dataframe if list(d.value.columns)[0] == "reason")
    assert reasons.set_index("reason")["open_amount"].to_dict() == pytest.approx(
        view.by_reason.set_index("reason")["open_amount"].to_dict()
    )
    assert "quality or damage" in reasons["reason"].tolist()
