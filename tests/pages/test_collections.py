"""Worklist page: cards, stages and the prioritised list equal the engine's worklist; the
settings and filters move it; a note, a promise, a plan and an owner recorded through the
forms are in the workspace and on the page; bad entries are said and nothing is saved; a
promise with no payment is broken once the as-of date passes its date and tolerance."""

from datetime import date, timedelta

import pytest

from analytics.risk.collections import WorklistOptions, collections_json, worklist
from analytics.risk.model import behavioural_model
from engines import facts
from reports import format
from stores.collections import CollectionsStore
from stores.workspace import Workspace
from tests.pages.conftest import open_page
from ui.settings import DATA_DIR_ENV

PAGE = "app_pages/collections.py"
LAST = date(2026, 10, 31)


@pytest.fixture(autouse=True)
def own_workspace(sample_data_dir, tmp_path, monkeypatch):
    """A data folder of its own (the sample ledger linked in): each test starts with an
    empty workspace."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "ledger.duckdb").symlink_to(sample_data_dir / "ledger.duckdb")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    return data


def records(folder) -> CollectionsStore:
    return CollectionsStore(Workspace.in_folder(folder))


def model_pds(con, as_of=LAST) -> dict[int, float]:
    """The behavioural PDs the page ranks by (customers the model scores)."""
    scores = behavioural_model(con, as_of=as_of).scores.dropna(subset=["pd"])
    return dict(zip(scores["customer_key"].astype(int), scores["pd"].astype(float), strict=True))


def card(at, label):
    return next(m for m in at.metric if m.label == label).value


def frame_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def button(at, label):
    return next(b for b in at.button if b.label == label)


def test_cards_stages_and_list_equal_the_engines(sample_con):
    at = open_page(PAGE)
    assert at.title[0].value == "Collections worklist"
    work = worklist(sample_con, WorklistOptions(as_of=LAST), pd_by_customer=model_pds(sample_con))
    rows = work.customers
    chased = rows[rows["stage"] != "pre-due"]
    assert card(at, "Customers to chase") == f"{len(chased):,}"
    assert card(at, "Overdue") == format.money(chased["overdue_amount"].sum(), "USD")
    assert card(at, "Expected loss") == format.money(rows["expected_loss_amount"].sum(), "USD")
    assert card(at, "Reminders today") == f"{len(work.due_today):,}"
    listed = frame_with(at, "priority")
    assert listed["customer_id"].tolist() == rows["customer_id"].tolist()
    stages = frame_with(at, "action").set_index("stage")
    json = collections_json(rows)
    assert stages["customers"].to_dict() == {s: v["customers"] for s, v in json.items()}
    assert any("behavioural PD" in c.value for c in at.caption)  # which basis is said


def test_stage_and_owner_filters_and_settings_in_the_link(sample_con, own_workspace):
    records(own_workspace).set_owner("C00001", "Bob")
    at = open_page(PAGE)
    at.multiselect(key="coll_stages").set_value(["91+"]).run()
    listed = frame_with(at, "priority")
    work = worklist(
        sample_con, WorklistOptions(as_of=LAST), pd_by_customer=model_pds(sample_con)
    ).customers
    assert (
        listed["customer_id"].tolist() == work.loc[work["stage"] == "91+", "customer_id"].tolist()
    )
    at.multiselect(key="coll_stages").set_value([]).run()
    at.selectbox(key="coll_owner_filter").set_value("Bob").run()
    assert frame_with(at, "priority")["customer_id"].tolist() == ["C00001"]
    at.number_input(key="coll_tolerance").set_value(5).run()
    at.number_input(key="coll_lgd").set_value(45).run()
    assert at.query_params["tolerance"] in ("5", ["5"]) and at.query_params["lgd"] in ("45", ["45"])


def test_a_bad_link_setting_is_said_and_the_default_kept():
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["tolerance"] = "lots"
    at.run()
    at.switch_page(PAGE).run()
    assert any("tolerance='lots'" in w.value for w in at.warning)
    assert at.number_input(key="coll_tolerance").value == 3


def test_a_note_a_promise_a_plan_and_an_owner_are_recorded(sample_con, own_workspace):
    at = open_page(PAGE)
    customer = at.selectbox(key="coll_customer").value
    at.text_area(key="coll_note_text").set_value("Spoke to AP, cheque next week")
    button(at, "Save").click().run()
    assert not at.exception and any("Saved the call" in s.value for s in at.success)
    store = records(own_workspace)
    notes = store.notes(customer)
    assert notes[["kind", "outcome", "note_text"]].values.tolist() == [
        ["call", "reached", "Spoke to AP, cheque next week"]]  # fmt: skip

    at.number_input(key="coll_promise_amount").set_value(1500.0)
    at.date_input(key="coll_promise_date").set_value(LAST + timedelta(days=7))
    button(at, "Save promise").click().run()
    promise = store.promises().iloc[0]
    assert (promise["customer_id"], promise["amount"], promise["made_on"].date()) == (
        customer, 1500.0, LAST)  # fmt: skip
    shown = frame_with(at, "kind")
    assert shown[["kind", "customer_id", "state"]].values.tolist()[0] == [
        "promise",
        customer,
        "open",
    ]

    at.number_input(key="coll_plan_total").set_value(300.0)
    invoices = at.multiselect(key="coll_plan_invoices").options
    at.multiselect(key="coll_plan_invoices").set_value(invoices[:1])
    at.text_area(key="coll_plan_steps").set_value("2026-11-30 100\n2026-12-31 200")
    button(at, "Save plan").click().run()
    assert store.instalments()["amount"].tolist() == [100.0, 200.0]
    assert store.plans().iloc[0]["invoice_ids"] == (invoices[0],)

    at.text_input(key="coll_owner").set_value("Carol")
    button(at, "Save owner").click().run()
    assert store.owner_map() == {customer: "Carol"}
    assert frame_with(at, "priority").set_index("customer_id").loc[customer, "owner"] == "Carol"
    assert len(store.workspace.change_log()) == 4


def test_bad_entries_are_said_and_nothing_is_saved(own_workspace):
    at = open_page(PAGE)
    at.date_input(key="coll_promise_date").set_value(LAST - timedelta(days=1))
    at.number_input(key="coll_promise_amount").set_value(100.0)
    button(at, "Save promise").click().run()
    assert any("Promised date: 2026-10-30 is before the as-of date" in e.value for e in at.error)
    at.number_input(key="coll_promise_amount").set_value(0.0)
    at.date_input(key="coll_promise_date").set_value(LAST)
    button(at, "Save promise").click().run()
    assert any("Amount: must be more than 0" in e.value for e in at.error)
    at.number_input(key="coll_plan_total").set_value(1000.0)
    at.multiselect(key="coll_plan_invoices").set_value(
        at.multiselect(key="coll_plan_invoices").options[:1]
    )
    at.text_area(key="coll_plan_steps").set_value("2026-11-30 300\n2026-12-31 600")
    button(at, "Save plan").click().run()
    assert any("they add up to 900.00, not the plan's total 1,000.00" in e.value for e in at.error)
    assert records(own_workspace).workspace.change_log().empty


def test_a_promise_with_no_payment_is_broken_after_its_date(sample_con, own_workspace):
    made, due = date(2026, 9, 1), date(2026, 9, 3)  # tolerance 3: the last day is 09-06
    work = worklist(
        sample_con, WorklistOptions(as_of=made), pd_by_customer=model_pds(sample_con, made)
    ).customers
    paid = facts.collections_payments(sample_con, as_of=date(2026, 9, 6),
                                      customer_ids=work["customer_id"].tolist(), start=made)  # fmt: skip
    quiet = sorted(set(work["customer_id"]) - set(paid["customer_id"]))
    assert quiet, "the sample has customers who paid nothing from 2 to 6 Sep 2026"
    at = open_page(PAGE, sb_as_of=made)
    at.selectbox(key="coll_customer").set_value(quiet[0])
    at.number_input(key="coll_promise_amount").set_value(2000.0)
    at.date_input(key="coll_promise_date").set_value(due)
    button(at, "Save promise").click().run()
    assert frame_with(at, "kind")["state"].tolist() == ["open"]

    at = open_page(PAGE, sb_as_of=date(2026, 9, 10))
    assert frame_with(at, "kind")["state"].tolist() == ["broken"]
    assert card(at, "Broken promises") == "1"


def test_records_of_customers_not_in_the_ledger_are_shown_as_orphaned(own_workspace):
    old = records(own_workspace)  # no ledger check: as if written against an older ledger
    old.add_note("C99999", "From the ledger we had before", as_of=date(2026, 10, 1))
    old.add_promise("C99999", 100, date(2026, 10, 20), as_of=date(2026, 10, 1), currency="USD")
    old.set_owner("C99999", "Dana")
    at = open_page(PAGE)
    # the note, the promise and the owner
    assert any("3 record(s) name a customer or invoice that is not in this ledger" in c.value
               for c in at.caption)  # fmt: skip
    assert any("C99999 (Dana)" in c.value for c in at.caption)
    assert frame_with(at, "kind")["is_orphaned"].tolist() == [True]
    assert frame_with(at, "note_text")["is_orphaned"].tolist() == [True]


def test_a_1_mb_note_and_a_tolerance_out_of_range_are_said_and_nothing_is_saved(own_workspace):
    from streamlit.testing.v1 import AppTest

    from tests.pages.conftest import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["tolerance"] = "61"  # the setting goes from 0 to 60 days
    at.run()
    at.switch_page(PAGE).run()
    said = [w.value for w in at.warning]
    assert said == ["Link parameter tolerance='61' is not a whole number from 0 to 60; using 3."]
    assert at.number_input(key="coll_tolerance").value == 3
    at.text_area(key="coll_note_text").set_value("x" * 1_048_576)  # a pasted 1 MB file
    button(at, "Save").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors == ["Not saved. Note: at most 10,000 characters, got 1,048,576; nothing saved."]
    assert not any("Saved" in s.value for s in at.success)
    assert records(own_workspace).workspace.change_log().empty
    assert records(own_workspace).notes().empty
