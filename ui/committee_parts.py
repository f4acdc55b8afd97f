"""The What changed page's pieces: the take-snapshot button, the two snapshot pickers, the
change cards and tables, the decision form and the decisions list. Loaders and actions are in
ui/committee_data.py; the figures come from analytics.history."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from analytics.history.changes import Changes, bucket_matrix, default_pair
from core.errors import LedgerError
from reports import committee_columns as cols
from reports import format
from stores.committee_schema import DECISION_KINDS
from stores.decisions import Decision

from . import auth
from . import committee_data as cd
from .components import Card, card_row
from .context import Context
from .tables import table
from .text import plain

BEFORE_KEY, AFTER_KEY = "cm_before", "cm_after"
MESSAGE_KEY = "_cm_message"
ROW_PX = 35  # st.dataframe's row height
FORM_KEYS = {"customer": "cm_customer", "kind": "cm_kind", "date": "cm_date",
             "author": "cm_author", "reason": "cm_reason", "limit": "cm_new_limit",
             "terms": "cm_new_terms"}  # fmt: skip


def say(kind: str, text: str) -> None:
    """Keep an outcome to show once; it names customers and quotes input, so not Markdown."""
    st.session_state[MESSAGE_KEY] = (kind, plain(text))


def show_message() -> None:
    """The last action's outcome, shown once."""
    if note := st.session_state.pop(MESSAGE_KEY, None):
        getattr(st, note[0])(note[1])


def take_button(ctx: Context) -> None:
    """'Take snapshot' for the sidebar's date, with a progress bar while it runs."""
    if not auth.can("take_snapshot"):
        auth.note_refused("take_snapshot")
        return
    as_of = ctx.settings.as_of
    if not st.button(f"Take snapshot as of {as_of:%d %b %Y}", key="cm_take", type="primary",
                     icon=":material/photo_camera:",
                     help="Records what the committee sees as of the sidebar's date, on the "
                     "whole ledger. Taking it again on the same ledger content changes "
                     "nothing."):  # fmt: skip
        return
    bar = st.progress(0.0, text="Fingerprinting the ledger…")
    try:
        taken = cd.take(
            ctx, lambda f, m: bar.progress(min(max(f, 0.0), 1.0), text=f"{m[:1].upper()}{m[1:]}…")
        )
    except LedgerError as exc:
        say("error", str(exc))
    else:
        say("success" if taken.created else "info", taken.message)
        for key in (BEFORE_KEY, AFTER_KEY):  # the pickers go back to the latest pair
            st.session_state.pop(key, None)
    bar.empty()


def pick_pair(headers: pd.DataFrame) -> tuple[int, int] | None:
    """The two snapshot pickers (default: the latest two) and a 'week apart' shortcut; the
    chosen ids, earlier date first, or None when they are the same snapshot."""
    options = headers["snapshot_id"].astype(int).tolist()
    labels = {int(r["snapshot_id"]): cd.label(r) for _, r in headers.iterrows()}
    pair = default_pair(headers)
    for key, default in zip((BEFORE_KEY, AFTER_KEY), pair, strict=True):
        if st.session_state.get(key) not in options:
            st.session_state[key] = default
    weekly = default_pair(headers, weekly=True)
    left, right, button = st.columns([2, 2, 1.2], vertical_alignment="bottom")
    left.selectbox("Earlier snapshot", options, key=BEFORE_KEY, format_func=labels.get)
    right.selectbox("Later snapshot", options, key=AFTER_KEY, format_func=labels.get)
    button.button("Latest a week apart", key="cm_weekly", disabled=weekly is None,
                  on_click=_set_pair, args=(weekly,),
                  help="The latest snapshot and the latest one at least 7 days before it.")  # fmt: skip
    before, after = st.session_state[BEFORE_KEY], st.session_state[AFTER_KEY]
    if before == after:
        st.warning("Pick two different snapshots.")
        return None
    dates = headers.set_index("snapshot_id")["as_of"]
    if (dates[before], before) > (dates[after], after):
        st.info("The earlier snapshot is the later date: they are compared the other way round.")
        before, after = after, before
    return before, after


def _set_pair(pair: tuple[int, int] | None) -> None:
    if pair is not None:
        st.session_state[BEFORE_KEY], st.session_state[AFTER_KEY] = pair


def change_cards(result: Changes) -> None:
    """The headline figures' changes, then how many customers changed in each way."""
    h, cur = result.headline.set_index("key"), result.after.currency
    money = [("ar.total", "Total AR"), ("ar.overdue", "Overdue"),
             ("ecl.gross", "Expected credit loss")]  # fmt: skip
    cards = [_money_card(h.loc[k], label, cur) for k, label in money]
    over = h.loc["limits.customers_over_limit"]
    flat = over["change"] == 0  # grey, no arrow: a red "+0" hid who crossed
    cards.append(Card("Over limit", format.count(over["after"]), delta=_count_delta(over["change"]),
                      delta_color="off" if flat else "inverse",
                      delta_arrow="off" if flat else "auto",
                      caption=f"{len(result.new_over_limit)} went over, "
                      f"{len(result.cleared_over_limit)} came back under"))  # fmt: skip
    card_row(cards, columns=4)
    grades = result.grade_changes
    downs = None if grades is None else int((grades["direction"] == "down").sum())
    card_row([
        Card("Newly overdue", format.count(len(result.newly_overdue)),
             "Customers with nothing overdue before and something overdue now."),
        Card("Cured", format.count(len(result.cured)),
             "Customers overdue before and with nothing overdue now."),
        Card("Grades down / up", format.NA if grades is None
             else f"{downs} / {len(grades) - downs}",
             "Behavioural grade changes; n/a when the snapshots hold no grades."),
        Card("Moved to an older bucket", format.money(result.moved_older_amount, cur),
             "Amounts of documents open at both dates that aged into an older bucket."),
    ], columns=4)  # fmt: skip


def _money_card(row: pd.Series, label: str, currency: str) -> Card:
    change = row["change"]
    flat = pd.isna(change) or abs(change) < 0.5
    delta = (
        None
        if pd.isna(change)
        else ("no change" if flat else ("+" if change > 0 else "") + format.money(change, currency))
    )
    return Card(label, format.money(row["after"], currency), delta=delta,
                delta_color="off" if flat or label == "Total AR" else "inverse",
                delta_arrow="off" if flat else "auto",
                delta_description="since the earlier snapshot")  # fmt: skip


def _count_delta(change: float) -> str:
    return "no change" if change == 0 else f"{int(change):+d}"


def restated_note(restated: pd.DataFrame, result: Changes) -> None:
    flagged = restated[restated["is_restated"]]
    day = f"{result.after.as_of:%d %b %Y}"
    if flagged.empty:
        st.caption(f"No restatement: recomputed on the ledger open now, every headline figure "
                   f"as of {day} equals what the later snapshot recorded.")  # fmt: skip
        return
    st.warning(f"Restated: {len(flagged)} figure(s) as of {day} differ when recomputed on the "
               f"ledger open now ({', '.join(flagged['figure'])}): postings dated on or before "
               "it arrived after the snapshot. See Headline figures.")  # fmt: skip


def change_tabs(result: Changes, restated: pd.DataFrame | None) -> None:
    """One tab per kind of change, each a table with its downloads (rows open the customer)."""
    a = cd.ref_label(result.before.as_of, result.before.snapshot_id)
    b = cd.ref_label(result.after.as_of, result.after.snapshot_id)
    cur, who = result.after.currency, "customer_id"
    tabs = st.tabs(["Customers", "Aging moves", "Largest movers", "Grades and warnings",
                    "Headline figures", "Decisions taken"])  # fmt: skip
    with tabs[0]:
        _titled("Newly overdue", result.newly_overdue, cols.overdue_customers(a, b, cur), who)
        _titled("Cured", result.cured, cols.overdue_customers(a, b, cur), who)
        _titled("Went over limit", result.new_over_limit, cols.over_limit(a, b, cur), who)
        _titled("Came back under limit", result.cleared_over_limit, cols.over_limit(a, b, cur), who)
        if result.promises_broken is not None:
            _titled("Promises broken", result.promises_broken, cols.promises_broken(cur), who)
    with tabs[1]:
        st.caption(f"Where the amounts open on {a} were on {b}, document by document, in {cur}: "
                   f"each row adds up to that bucket on {a}, each bucket column to that bucket "
                   f"on {b}.")  # fmt: skip
        matrix = bucket_matrix(result)
        spec = cols.bucket_moves(list(matrix.columns[1:]), a)
        table(matrix, f"Aging moves ({cur})", columns=spec, key="cm_moves")
    with tabs[2]:
        _titled("Balance", result.balance_movers, cols.movers("Balance", a, b, cur), who)
        _titled("Overdue", result.overdue_movers, cols.movers("Overdue", a, b, cur), who)
    with tabs[3]:
        _maybe("Grade changes", result.grade_changes, cols.grade_changes(a, b, cur),
               "The snapshots hold no behavioural grades.")  # fmt: skip
        for title, frame in (("Warnings raised", result.warnings_raised),
                             ("Warnings cleared", result.warnings_cleared)):  # fmt: skip
            _maybe(title, None if frame is None else cd.warning_table(frame),
                   cols.warning_changes(b, cur), "The snapshots hold no warnings.")  # fmt: skip
    with tabs[4]:
        rows = cd.headline_table(result, restated)
        table(
            rows,
            "Headline figures",
            key="cm_headline",
            columns=cols.headline(a, b, cur),
            height=ROW_PX * (len(rows) + 1) + 3,
        )  # every figure without scrolling
    with tabs[5]:
        st.caption(f"Decisions dated after {result.before.as_of:%d %b %Y} and up to "
                   f"{result.after.as_of:%d %b %Y}.")  # fmt: skip
        table(result.decisions, "Decisions taken", key="cm_taken", columns=cols.decisions(cur),
              opens_customer=who, empty_message="No decision recorded between the two dates.")  # fmt: skip


def _titled(title: str, frame: pd.DataFrame, spec, opens: str) -> None:
    """A small heading with the count, then the table in the spec's column order (or a
    one-word line when there is none)."""
    st.markdown(f"**{title}** ({len(frame)})")
    if frame.empty:
        st.caption("None.")
        return
    order = [c for c in spec if c in frame.columns]
    frame = frame[order + [c for c in frame.columns if c not in order]]
    table(frame, title, columns=spec, key=f"cm_{format_key(title)}", opens_customer=opens)


def _maybe(title: str, frame: pd.DataFrame | None, spec, missing: str) -> None:
    if frame is None:
        st.markdown(f"**{title}**")
        st.info(missing)
    else:
        _titled(title, frame, spec, "customer_id")


def format_key(title: str) -> str:
    return title.lower().replace(" ", "_")


# --- decisions --------------------------------------------------------------------------------


def decision_form(ctx: Context) -> None:
    """Record a decision against a customer; a refused one says why in one message."""
    if not auth.can("record_decision"):
        auth.note_refused("record_decision")
        return
    choices = cd.customer_choices(ctx)
    st.session_state.setdefault(FORM_KEYS["date"], ctx.settings.as_of)
    if not auth.current().is_local:  # the signed-in user, who can type another author
        st.session_state.setdefault(FORM_KEYS["author"], auth.who())
    with st.form("cm_decision", clear_on_submit=False, border=True):
        top = st.columns([2, 1.2, 1.2, 1.2])
        top[0].selectbox("Customer", list(choices), key=FORM_KEYS["customer"],
                         format_func=choices.get, index=None, placeholder="Pick a customer")  # fmt: skip
        top[1].selectbox(
            "Decision", DECISION_KINDS, key=FORM_KEYS["kind"], format_func=str.capitalize
        )
        top[2].date_input("Date", key=FORM_KEYS["date"], format="YYYY-MM-DD")
        top[3].text_input("Author", key=FORM_KEYS["author"], placeholder="Who decided")
        low = st.columns([3, 1, 1])
        low[0].text_input("Reason", key=FORM_KEYS["reason"])
        low[1].text_input("New limit", key=FORM_KEYS["limit"], help="For a limit change.")
        low[2].text_input("New terms (days)", key=FORM_KEYS["terms"], help="For a terms change.")
        st.form_submit_button("Record decision", on_click=_record, args=(ctx,))


def _record(ctx: Context) -> None:
    values = {k: st.session_state.get(key) for k, key in FORM_KEYS.items()}
    try:
        decision = _decision(ctx, values)
        decision_id = cd.record(ctx, decision)
    except LedgerError as exc:
        say("error", str(exc))
        return
    say("success", f"Decision {decision_id} recorded: {decision.kind} for "
        f"{decision.customer_id}.")  # fmt: skip
    for k in ("reason", "limit", "terms"):
        st.session_state[FORM_KEYS[k]] = ""


def _decision(ctx: Context, values: dict) -> Decision:
    customer, kind = values["customer"] or "", values["kind"]
    old_limit, old_terms = cd.current_terms(ctx, customer)
    new_limit = cd.parsed(values["limit"], "new limit")
    new_terms = cd.parsed(values["terms"], "new terms days", whole=True)
    day = values["date"] if isinstance(values["date"], date) else None
    return Decision(
        customer, kind, day, values["author"] or "", values["reason"] or "",
        old_limit if kind == "limit change" else None, new_limit,
        old_terms if kind == "terms change" else None, new_terms,
    )  # fmt: skip


def decisions_list(ctx: Context, currency: str) -> None:
    table(cd.decisions_table(ctx), "Decisions", key="cm_decisions",
          columns=cols.decisions(currency), opens_customer="customer_id",
          empty_message="No decision recorded yet.")  # fmt: skip
