"""The Collections pages' forms: record a note or call, a promise to pay, a payment plan, an
owner, cancel a promise or plan, and a dispute's reason and status. Each form writes through
stores/collections.py on submit (a callback, before the page runs again, so the page shows
the new record); a refused entry is said with the store's message and nothing is saved."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import timedelta

import pandas as pd
import streamlit as st

from analytics.risk import promises as prom
from core.errors import LedgerError
from stores.collections import (
    CALL_OUTCOMES,
    DISPUTE_REASONS,
    DISPUTE_STATUSES,
    MAX_NOTE_LENGTH,
)
from stores.workspace import DEFAULT_WHO

from . import auth
from .collections_data import WHO_KEY, WorklistPage, customer_labels, store
from .context import Context
from .customer_data import load
from .text import plain

MESSAGE_KEY = "_coll_message"
CUSTOMER_KEY = "coll_customer"
# no max_chars on the text fields: Streamlit cuts a longer paste without a word and the cut
# text would be saved; the store refuses it in one message instead (issue 11: a note of 1 MB)
TEXT_HELP = f"At most {MAX_NOTE_LENGTH:,} characters; a longer text is refused, not cut."


def say(kind: str, text: str) -> None:
    """Keep an outcome to show once; it quotes what users typed, so not Markdown."""
    st.session_state[MESSAGE_KEY] = (kind, plain(text))


def show_message() -> None:
    """The last action's outcome, shown once."""
    if note := st.session_state.pop(MESSAGE_KEY, None):
        getattr(st, note[0])(note[1])


def _action(run: Callable[[], object], success: str, clear: tuple[str, ...] = ()) -> None:
    try:
        run()
    except LedgerError as exc:
        say("error", f"Not saved. {exc}.")
        return
    for key in clear:
        st.session_state.pop(key, None)
    say("success", success)


def who_box(container) -> None:
    """*Your name* for the single local user; with a login, the signed-in user's name."""
    if not auth.current().is_local:
        container.caption(f"Recorded as {plain(auth.who())}")
        return
    st.session_state.setdefault(WHO_KEY, DEFAULT_WHO)
    container.text_input("Your name", key=WHO_KEY, max_chars=100,
                         help="Recorded with every note, promise and plan you save.")  # fmt: skip


# --- the worklist page --------------------------------------------------------------------------


def record_section(ctx: Context, page: WorklistPage) -> None:
    """Pick a customer of the worklist, then record for it."""
    if not auth.can("record_collections"):
        auth.note_refused("record_collections")
        return
    labels = customer_labels(page.rows)
    if not labels:
        st.info("No customer has open items as of this date: nothing to record against.")
        return
    pick, name = st.columns([3, 1], vertical_alignment="bottom")
    if st.session_state.get(CUSTOMER_KEY) not in labels:
        st.session_state[CUSTOMER_KEY] = next(iter(labels))
    customer_id = pick.selectbox("Customer", list(labels), format_func=labels.get,
                                 key=CUSTOMER_KEY, help="Worklist customers, in priority order.")  # fmt: skip
    who_box(name)
    show_message()
    row = page.rows.set_index("customer_id").loc[customer_id]
    note, promise, plan, owner = st.tabs(
        ["Note or call", "Promise to pay", "Payment plan", "Owner"]
    )
    with note:
        note_form(ctx)
    with promise:
        promise_form(ctx, int(row["customer_key"]))
    with plan:
        overdue = float(row["overdue_amount"]) / ctx.rate  # the form takes reporting currency
        plan_form(ctx, customer_id, int(row["customer_key"]),
                  overdue if math.isfinite(overdue) else 0.0)  # fmt: skip
    with owner:
        owner_form(ctx, customer_id, str(row["owner"]))


def note_form(ctx: Context) -> None:
    with st.form("coll_note_form", border=False):
        st.radio("Kind", ["call", "note"], key="coll_note_kind", horizontal=True,
                        format_func={"call": "Call", "note": "Note"}.get)  # fmt: skip
        st.selectbox("Call outcome", CALL_OUTCOMES, key="coll_note_outcome",
                     help="Kept for calls only.")  # fmt: skip
        st.text_area(
            "Note", key="coll_note_text", placeholder="What was said or agreed", help=TEXT_HELP
        )
        st.form_submit_button("Save", on_click=on_note, args=(ctx,), type="primary")


def on_note(ctx: Context) -> None:
    customer_id = st.session_state[CUSTOMER_KEY]  # the picker's value when submitted
    ss, kind = st.session_state, st.session_state["coll_note_kind"]
    _action(
        lambda: store(ctx).add_note(
            customer_id, ss.get("coll_note_text", ""), as_of=ctx.settings.as_of, kind=kind,
            outcome=ss.get("coll_note_outcome") if kind == "call" else None,
        ),
        f"Saved the {kind} for {customer_id}.", clear=("coll_note_text",),
    )  # fmt: skip


def _open_invoices(ctx: Context, customer_key: int) -> list[str]:
    items = load(ctx, "open_items", customer_key)
    return items.loc[~items["is_credit_note"].astype(bool), "invoice_id"].astype(str).tolist()


def promise_form(ctx: Context, customer_key: int) -> None:
    s = ctx.settings
    st.session_state.setdefault("coll_promise_date", s.as_of + timedelta(days=7))
    with st.form("coll_promise_form", border=False):
        amount, when = st.columns(2)
        amount.number_input(f"Amount ({s.reporting_currency})", min_value=0.0, step=100.0,
                            format="%.2f", key="coll_promise_amount")  # fmt: skip
        when.date_input("Promised date", key="coll_promise_date", format="YYYY-MM-DD",
                        help="The date the customer said the money will be there.")  # fmt: skip
        st.multiselect("Invoices it covers (optional)", _open_invoices(ctx, customer_key),
                       key="coll_promise_invoices", placeholder="The account as a whole")  # fmt: skip
        st.text_input("Remark (optional)", key="coll_promise_note", help=TEXT_HELP)
        st.form_submit_button("Save promise", on_click=on_promise, args=(ctx,),
                              type="primary")  # fmt: skip


def on_promise(ctx: Context) -> None:
    customer_id = st.session_state[CUSTOMER_KEY]  # the picker's value when submitted
    ss, s = st.session_state, ctx.settings
    _action(
        lambda: store(ctx).add_promise(
            customer_id, ss.get("coll_promise_amount", 0.0), ss.get("coll_promise_date"),
            as_of=s.as_of, currency=s.reporting_currency,
            invoice_ids=ss.get("coll_promise_invoices", []), note=ss.get("coll_promise_note"),
        ),
        f"Saved the promise of {customer_id}.",
        clear=("coll_promise_amount", "coll_promise_invoices", "coll_promise_note"),
    )  # fmt: skip


def plan_form(ctx: Context, customer_id: str, customer_key: int, overdue: float) -> None:
    s = ctx.settings
    suggestion = prom.even_instalments(round(overdue, 2), 3, s.as_of + timedelta(days=30))
    if st.session_state.get("_coll_plan_for") != customer_id:  # a new customer: new suggestion
        st.session_state["_coll_plan_for"] = customer_id
        st.session_state["coll_plan_total"] = round(overdue, 2)
        st.session_state["coll_plan_steps"] = prom.instalments_text(suggestion)
    with st.form("coll_plan_form", border=False):
        st.number_input(f"Total ({s.reporting_currency})", min_value=0.0, step=100.0,
                        format="%.2f", key="coll_plan_total")  # fmt: skip
        st.multiselect("Invoices it covers", _open_invoices(ctx, customer_key),
                       key="coll_plan_invoices", placeholder="Choose at least one")  # fmt: skip
        st.text_area("Instalments: one a line, date and amount", key="coll_plan_steps",
                     height=120, help="e.g. 2026-11-30 1,000.00. They must add up to the total.")  # fmt: skip
        st.text_input("Remark (optional)", key="coll_plan_note", help=TEXT_HELP)
        st.form_submit_button("Save plan", on_click=on_plan, args=(ctx,),
                              type="primary")  # fmt: skip


def on_plan(ctx: Context) -> None:
    customer_id = st.session_state[CUSTOMER_KEY]  # the picker's value when submitted
    ss, s = st.session_state, ctx.settings
    _action(
        lambda: store(ctx).add_plan(
            customer_id, ss.get("coll_plan_total", 0.0),
            prom.parse_instalments(ss.get("coll_plan_steps", "")), as_of=s.as_of,
            currency=s.reporting_currency, invoice_ids=ss.get("coll_plan_invoices", []),
            note=ss.get("coll_plan_note"),
        ),
        f"Saved the payment plan of {customer_id}.",
        clear=("coll_plan_invoices", "coll_plan_note", "_coll_plan_for"),
    )  # fmt: skip


def owner_form(ctx: Context, customer_id: str, current: str) -> None:
    if st.session_state.get("_coll_owner_for") != customer_id:
        st.session_state["_coll_owner_for"] = customer_id
        st.session_state["coll_owner"] = current
    with st.form("coll_owner_form", border=False):
        st.text_input("Owner", key="coll_owner", max_chars=100,
                      help="The account owner who works this customer.")  # fmt: skip
        st.form_submit_button("Save owner", on_click=on_owner, args=(ctx,),
                              type="primary")  # fmt: skip


def on_owner(ctx: Context) -> None:
    customer_id = st.session_state[CUSTOMER_KEY]  # the picker's value when submitted
    owner = st.session_state.get("coll_owner", "")
    _action(lambda: store(ctx).set_owner(customer_id, owner),
            f"{customer_id} is now worked by {str(owner).strip()}.")  # fmt: skip


def cancel_form(ctx: Context, commitments: pd.DataFrame) -> None:
    """Cancel an open promise or plan recorded by mistake (kept in the change log)."""
    open_ = commitments[commitments["state"] == prom.OPEN].drop_duplicates(["kind", "record_id"])
    if open_.empty or not auth.can("record_collections"):
        return
    labels = {f"{r.kind}:{r.record_id}": f"{r.customer_id} · {r.kind.split()[0]} {r.record_id}"
              f" · {r.due_date:%Y-%m-%d}" for r in open_.itertuples()}  # fmt: skip
    pick, button = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick.selectbox("Cancel an open promise or plan", list(labels), index=None,
                            format_func=labels.get, key="coll_cancel", placeholder="Choose")  # fmt: skip
    button.button("Cancel it", key="coll_cancel_button", disabled=chosen is None,
                  on_click=on_cancel, args=(ctx, chosen))  # fmt: skip


def on_cancel(ctx: Context, chosen: str | None) -> None:
    if chosen is None:
        return
    kind, record_id = chosen.split(":")
    cancel = store(ctx).cancel_promise if kind == "promise" else store(ctx).cancel_plan
    _action(lambda: cancel(int(record_id)), f"Cancelled {kind.split()[0]} {record_id}.",
            clear=("coll_cancel",))  # fmt: skip


# --- the disputes page --------------------------------------------------------------------------


def dispute_form(ctx: Context, items: pd.DataFrame, labels: dict[str, str]) -> None:
    """Record or change the reason and status of a disputed open invoice."""
    if not labels:
        return
    if not auth.can("record_collections"):
        auth.note_refused("record_collections")
        return
    text, name = st.columns([3, 1], vertical_alignment="bottom")
    text.caption("Choose a disputed invoice, why it is disputed and where it stands; saving "
                 "again replaces its reason and status (the change log keeps both).")  # fmt: skip
    who_box(name)
    show_message()
    with st.form("coll_dispute_form", border=False):
        st.selectbox("Disputed invoice", list(labels), format_func=labels.get,
                               key="coll_dispute_invoice")  # fmt: skip
        reason, status = st.columns(2)
        reason.selectbox("Reason", DISPUTE_REASONS, key="coll_dispute_reason")
        status.selectbox("Status", DISPUTE_STATUSES, key="coll_dispute_status")
        st.text_input("Note (optional)", key="coll_dispute_note", help=TEXT_HELP)
        st.form_submit_button("Save", on_click=on_dispute, args=(ctx, items), type="primary")


def on_dispute(ctx: Context, items: pd.DataFrame) -> None:
    ss = st.session_state
    invoice = ss.get("coll_dispute_invoice")
    customers = dict(zip(items["invoice_id"], items["customer_id"], strict=True))
    _action(
        lambda: store(ctx).set_dispute(invoice, customers.get(invoice, ""),
                                       ss.get("coll_dispute_reason"),
                                       ss.get("coll_dispute_status", "open"),
                                       ss.get("coll_dispute_note")),
        f"Saved the dispute of {invoice}.", clear=("coll_dispute_note",),
    )  # fmt: skip


def number_in_url(
    container, label: str, key: str, param: str, default: int, low: int, high: int, help: str
) -> int:
    """A whole-number setting kept in the shareable link as ``param`` (like ui.components.in_url,
    but a link's text becomes a number first; a bad one is said and the default kept)."""
    seeded = f"_in_url_{key}"
    if not st.session_state.get(seeded):
        st.session_state[seeded] = True
        text = st.query_params.get(param)
        try:
            value = None if text is None else int(text)
        except ValueError:
            value = low - 1
        if value is not None and low <= value <= high:
            st.session_state[key] = value
        elif text is not None:
            st.warning(f"Link parameter {param}={plain(repr(text))} is not a whole number from {low} to "
                       f"{high}; using {default}.")  # fmt: skip
    st.session_state.setdefault(key, default)
    value = int(container.number_input(label, low, high, step=1, key=key, help=help))
    st.query_params[param] = str(value)
    return value
