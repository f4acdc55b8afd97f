"""The collection worklist (spec §13): who to chase as of D, at which stage, in which order.

Every customer with a positive open document at D is on the list. Its **stage** comes from the
oldest days past due (dpd) among its positive open documents, upper edges inclusive:

    dpd <= 0 pre-due · 1-30 · 31-60 · 61-90 · 91+

**Priority**: expected loss first, then overdue amount (then open amount, then customer id):

    expected loss_c = open overdue_c × PD_c × LGD × uninsured exposure_c / exposure_c

with a behavioural PD per customer when one is given (spec §10), LGD a setting (default 60 %).
Without PDs the ledger's calibrated loss rates stand in (spec §9, analytics.risk.ecl): the
customer's expected credit loss on its overdue documents, net of insurance. Loss rates are
shares of the amount actually lost, so LGD is not applied on top of them. The basis used is
in ``Worklist.loss_basis`` and the page says which it is.

The pre-due "3+2+1" cadence (statement, two reminders, a confirmation) is dated per document in
SQL (engines/sql/collections_cadence.sql); ``Worklist.cadence`` holds the steps dated from D to
D + 7, the page splits them into today (D) and this week (D, D + 7].
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from analytics.metrics.aging import sql_edges
from analytics.portfolio.snapshot import Options, snapshot
from analytics.risk.ecl import EclOptions, applied_rates, loss_rates_for, net_of_insurance, row_ecl
from analytics.risk.loss_rates import rate_warnings
from core.constants import DEFAULT_BUCKET_EDGES, DEFAULT_INSURANCE_COVERAGE
from core.errors import LedgerError
from core.filters import ALL_CUSTOMERS, CustomerFilter
from engines import facts
from engines.base import Engine

STAGES = ("pre-due", "1-30", "31-60", "61-90", "91+")  # the spec §15 JSON's keys
STAGE_EDGES = (0, 30, 60, 90)  # upper edges of the oldest dpd, inclusive
STAGE_ACTIONS = {
    "pre-due": "Pre-due reminders (statement, two reminders, confirmation)",
    "1-30": "Friendly reminder by the account owner or sales",
    "31-60": "Formal collection by the credit team",
    "61-90": "Final notice, transferred to legal collection",
    "91+": "Legal action or a collection agency",
}
INSURED_91_ACTION = "Insurance claim, legal action or a collection agency"
DEFAULT_LGD = 0.60
WEEK_DAYS = 7  # "this week" = (D, D + 7]
PD_BASIS, LOSS_RATE_BASIS = "behavioural PD", "calibrated loss rates"


@dataclass(frozen=True)
class WorklistOptions:
    """What the worklist depends on besides the ledger (hashable, so the UI can cache on it)."""

    as_of: date
    lgd: float = DEFAULT_LGD
    edges: tuple[int, ...] = DEFAULT_BUCKET_EDGES  # the loss rates' buckets
    coverage: float = DEFAULT_INSURANCE_COVERAGE
    week_days: int = WEEK_DAYS

    def __post_init__(self) -> None:
        if not 0 <= self.lgd <= 1:
            raise LedgerError(f"LGD (loss given default): between 0 and 100 %, got {self.lgd:.0%}")


@dataclass(frozen=True)
class Worklist:
    """The worklist as of ``options.as_of`` (money in the reporting currency).

    ``customers``: one row per customer with a positive open document, in priority order
    (``priority`` 1, 2, …): ids, segment, rating, stage, action, oldest_dpd and oldest item,
    open, overdue and disputed amounts, exposure, uninsured share, pd (NaN on loss rates),
    expected_loss_amount (NaN when undefined). ``cadence``: the pre-due steps from D to
    D + week_days (collections_cadence.sql).
    """

    options: WorklistOptions
    customers: pd.DataFrame
    cadence: pd.DataFrame
    loss_basis: str
    warnings: tuple[str, ...] = ()

    @property
    def due_today(self) -> pd.DataFrame:
        return steps_between(self.cadence, self.options.as_of, self.options.as_of)

    @property
    def due_this_week(self) -> pd.DataFrame:
        """Steps in (D, D + week_days]."""
        d = self.options.as_of
        return steps_between(
            self.cadence, d + timedelta(days=1), d + timedelta(self.options.week_days)
        )


def stage_of(oldest_dpd) -> np.ndarray:
    """The stage of each oldest dpd (spec §13), upper edges inclusive.

    >>> stage_of([0, 1, 30, 31, 60, 61, 90, 91]).tolist()
    ['pre-due', '1-30', '1-30', '31-60', '31-60', '61-90', '61-90', '91+']
    """
    index = np.searchsorted(STAGE_EDGES, np.asarray(oldest_dpd, dtype=float), side="left")
    return np.asarray(STAGES, dtype=object)[index]


def stage_action(stage: pd.Series, is_insured: pd.Series) -> pd.Series:
    """What the stage calls for; at 91+ an insured customer's claim comes first."""
    action = stage.map(STAGE_ACTIONS)
    return action.where(~((stage == "91+") & is_insured.astype(bool)), INSURED_91_ACTION)


def steps_between(cadence: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """The cadence steps dated in [first, last]."""
    days = pd.to_datetime(cadence["step_date"]).dt.date
    return cadence[(days >= first) & (days <= last)].reset_index(drop=True)


def worklist(
    engine: Engine,
    options: WorklistOptions,
    customer_filter: CustomerFilter = ALL_CUSTOMERS,
    pd_by_customer: Mapping[int, float] | None = None,
    portfolio: pd.DataFrame | None = None,
) -> Worklist:
    """The worklist as of ``options.as_of`` for the customers in ``customer_filter``.

    ``pd_by_customer``: customer_key → behavioural PD (spec §10); None: the calibrated loss
    rates stand in (module docstring). Exposure and insurance come from the portfolio snapshot
    (spec §6): ``portfolio`` is its customer frame at the same date, filter and coverage when
    the caller has one (the pages cache it); None builds it here.
    """
    as_of = options.as_of
    keys = customer_filter.customer_keys(facts.customers(engine))
    base = facts.collections_customers(engine, as_of=as_of, customer_keys=keys)
    cadence = facts.collections_cadence(
        engine, as_of=as_of, customer_keys=keys, days=options.week_days
    )
    if portfolio is None:
        snap_options = Options(as_of=as_of, edges=options.edges, coverage=options.coverage)
        portfolio = snapshot(engine, snap_options, customer_filter).customers
    exposure = portfolio.set_index("customer_key")[["exposure_amount", "uninsured_amount"]]
    frame = base.join(exposure, on="customer_key")
    if pd_by_customer is not None:
        frame["pd"] = frame["customer_key"].map(pd_by_customer).astype(float)
        gross, basis, notes = frame["overdue_amount"] * frame["pd"] * options.lgd, PD_BASIS, ()
    else:
        frame["pd"] = np.nan
        gross, notes = overdue_loss(engine, options, frame["customer_key"])
        basis = LOSS_RATE_BASIS
    frame["expected_loss_amount"] = net_of_insurance(
        gross, frame["exposure_amount"].fillna(0.0), frame["uninsured_amount"].fillna(0.0)
    )
    return Worklist(options, prioritised(frame), cadence, basis, notes)


def overdue_loss(
    engine: Engine, options: WorklistOptions, customer_keys: pd.Series
) -> tuple[pd.Series, tuple[str, ...]]:
    """Each customer's expected credit loss on its overdue documents (dpd >= 1), gross of
    insurance, from the calibrated loss rates (spec §9; NaN when there are none), aligned with
    ``customer_keys``; and what a reader of those rates must know."""
    ecl_options = EclOptions(as_of=options.as_of, edges=options.edges, coverage=options.coverage)
    rates = loss_rates_for(engine, ecl_options)
    exposure = facts.risk_open_exposure(engine, as_of=options.as_of, edges=sql_edges(options.edges))
    overdue = exposure[exposure["bucket"] > 0]  # bucket 0 = dpd <= 0 whatever the edges
    rows = row_ecl(overdue, applied_rates(rates, 0.0))
    loss = (rows["ecl_amount"] + rows["disputed_ecl_amount"]).groupby(rows["customer_key"])
    per_customer = customer_keys.map(loss.sum(min_count=1))
    if rates.rates is not None:  # no overdue document: no loss, not an unknown one
        per_customer = per_customer.fillna(0.0)
    return per_customer.astype(float), rate_warnings(rates)


def prioritised(frame: pd.DataFrame) -> pd.DataFrame:
    """Stage and action per customer, in priority order: expected loss (undefined last), then
    overdue amount, open amount and customer id; ``priority`` numbers the rows from 1."""
    out = frame.assign(stage=stage_of(frame["oldest_dpd"]))
    out["action"] = stage_action(out["stage"], out["is_insured"])
    out["uninsured_share"] = (out["uninsured_amount"] / out["exposure_amount"]).where(
        out["exposure_amount"] > 0
    )
    out = out.sort_values(
        ["expected_loss_amount", "overdue_amount", "open_amount", "customer_id"],
        ascending=[False, False, False, True], na_position="last", ignore_index=True,
    )  # fmt: skip
    out.insert(0, "priority", np.arange(1, len(out) + 1))
    return out


def stage_totals(customers: pd.DataFrame) -> pd.DataFrame:
    """Per stage, in order (empty stages at 0): its action, customers, open amount (the spec
    §15 ``amount``), overdue amount and expected loss."""
    money = ["open_amount", "overdue_amount", "expected_loss_amount"]
    grouped = customers.groupby("stage")
    out = pd.DataFrame({"customers": grouped.size(), **{m: grouped[m].sum() for m in money}})
    out = out.reindex(list(STAGES)).fillna(0.0).rename_axis("stage").reset_index()
    out["customers"] = out["customers"].astype(int)
    out.insert(1, "action", out["stage"].map(STAGE_ACTIONS))
    return out


def worklist_totals(customers: pd.DataFrame) -> dict[str, float | int]:
    """The worklist's headline: customers with open items, customers to chase (an overdue
    item), their overdue amount and the expected loss of the list."""
    chased = customers["stage"] != "pre-due"
    return {
        "n_customers": len(customers),
        "n_chased": int(chased.sum()),
        "overdue_amount": float(customers.loc[chased, "overdue_amount"].sum()),
        "expected_loss_amount": float(customers["expected_loss_amount"].sum()),
    }


def collections_json(customers: pd.DataFrame) -> dict[str, dict[str, float | int]]:
    """The spec §15 ``collections`` object: per stage, customers and their positive open amount."""
    totals = stage_totals(customers).set_index("stage")
    return {
        stage: {"customers": int(totals.at[stage, "customers"]),
                "amount": round(float(totals.at[stage, "open_amount"]), 2)}
        for stage in STAGES
    }  # fmt: skip


def collections_summary(
    engine: Engine, *, as_of: date, customer_filter: CustomerFilter = ALL_CUSTOMERS
) -> dict[str, dict[str, float | int]]:
    """The spec §15 ``collections`` object as of ``as_of`` (for ``analytics risk``): the stages
    need only the customers' oldest dpd and open amounts, not the expected loss."""
    keys = customer_filter.customer_keys(facts.customers(engine))
    base = facts.collections_customers(engine, as_of=as_of, customer_keys=keys)
    return collections_json(base.assign(stage=stage_of(base["oldest_dpd"]),
                                        expected_loss_amount=np.nan))  # fmt: skip


def with_records(
    customers: pd.DataFrame, owners: Mapping[str, str], open_commitments: pd.DataFrame
) -> pd.DataFrame:
    """The worklist rows with what collectors recorded: ``owner`` (customer_id → owner, ""
    when none), and the open promises and plan instalments (customer_id, amount_due,
    next_date; analytics.risk.promises.open_by_customer) as ``promised_amount`` and
    ``promised_date``."""
    out = customers.assign(owner=[owners.get(c, "") for c in customers["customer_id"]])
    promised = open_commitments.set_index("customer_id")
    out["promised_amount"] = out["customer_id"].map(promised["amount_due"]).fillna(0.0)
    out["promised_date"] = out["customer_id"].map(promised["next_date"])
    return out


def orphaned(
    records: pd.DataFrame, customer_ids: Collection[str], invoice_ids: Collection[str] = ()
) -> pd.Series:
    """True for each record whose customer is not in the ledger, or that names an invoice
    (``invoice_id``, or any of ``invoice_ids``) the ledger does not hold: kept, shown apart."""
    known_customers, known_invoices = set(customer_ids), set(invoice_ids)
    out = ~records["customer_id"].isin(known_customers)
    if "invoice_id" in records:
        named = records["invoice_id"].notna() & (records["invoice_id"] != "")
        out |= named & ~records["invoice_id"].isin(known_invoices)
    if "invoice_ids" in records:
        out |= records["invoice_ids"].map(lambda ids: any(i not in known_invoices for i in ids))
    return out


TIMELINE_COLUMNS = ["date", "kind", "what", "amount", "state", "who"]


def customer_timeline(
    customer_id: str, *, notes: pd.DataFrame, commitments: pd.DataFrame, disputes: pd.DataFrame
) -> pd.DataFrame:
    """One customer's collection events for the Customer page's timeline, newest first: date,
    kind (call, note, promise, plan instalment, dispute), what (in words), amount, state and
    who. ``notes`` and ``disputes`` as stores.collections returns them; ``commitments`` =
    analytics.risk.promises.commitment_rows(book) (with its ``who`` when known). A note is dated
    by the as-of date it was recorded at, a promise or instalment by its date, a dispute by
    its last change."""
    mine = notes[notes["customer_id"] == customer_id]
    calls = [(r.as_of, r.kind, _note_words(r), np.nan, "", r.who) for r in mine.itertuples()]
    rows = commitments[(commitments["customer_id"] == customer_id)
                       & ~commitments["state"].isin(["cancelled", "not yet made"])]  # fmt: skip
    promised = [(r.due_date, r.kind, _commitment_words(r), r.amount, r.state,
                 getattr(r, "who", "")) for r in rows.itertuples()]  # fmt: skip
    disputed = disputes[disputes["customer_id"] == customer_id]
    argued = [(r.updated_at, "dispute", f"{r.invoice_id} disputed: {r.reason} ({r.status})"
               + (f". {r.note}" if r.note else ""), np.nan, r.status, r.who)
              for r in disputed.itertuples()]  # fmt: skip
    out = pd.DataFrame(calls + promised + argued, columns=TIMELINE_COLUMNS)
    out["date"] = pd.to_datetime(out["date"]).dt.date
    return out.sort_values("date", ascending=False, kind="stable", ignore_index=True)


def _note_words(note) -> str:
    text = note.note_text or ""
    return f"Call ({note.outcome})" + (f": {text}" if text else "") if note.kind == "call" else text


def _commitment_words(row) -> str:
    invoices = f" for {', '.join(row.invoice_ids)}" if len(row.invoice_ids) else ""
    if row.kind == "promise":
        return f"Promise {row.record_id} to pay {row.amount:,.2f}{invoices}"
    return f"Plan {row.record_id}, instalment {row.instalment_no}{invoices}"
