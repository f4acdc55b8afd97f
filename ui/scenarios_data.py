"""Scenarios page: cached simulator, the levers' widget state, and the saved-scenario actions.

The simulator's inputs (everything the levers do not change) are prepared once per ledger
file, as-of date, DSO window and sidebar filter; a slider move only re-runs ``simulate``.
Both are cached with ``st.cache_resource`` rather than ``st.cache_data``: they are read-only
here, and ``cache_data`` would unpickle a copy of the inputs (tens of MB at 1M invoices) on
every rerun. Saved scenarios live in the workspace (stores/scenarios.py, stores/workspace.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from analytics.policy.scenario import (
    BOUNDS,
    Collection,
    Economics,
    Limits,
    Sales,
    Scenario,
    ScenarioError,
    Scope,
    Terms,
)
from analytics.policy.simulator import (
    SimulationResult,
    SimulatorInputs,
    assumptions_table,
    comparison_of,
    comparison_table,
    prepare,
    simulate,
)
from core.errors import LedgerError
from core.filters import CustomerFilter
from reports.excel import excel_bytes
from stores.scenarios import ScenarioStore
from stores.workspace import Workspace

from . import auth, cache, risk_data
from .cache import LedgerKey
from .context import Context
from .settings import data_dir
from .text import plain

NEW = "(new scenario)"
BACKTEST_COLUMNS = ["invoice_id", "customer_id", "invoice_date", "due_date", "amount",
                    "balance_before_amount", "exposure_amount", "cap_amount", "defaulted_amount"]  # fmt: skip
CUSTOMER_COLUMNS = ["customer_id", "name", "segment", "risk_rating", "terms_days",
                    "terms_change_days", "late_cut_days", "sales_factor", "block_factor",
                    "proposed_limit", "balance_amount", "scenario_balance_amount",
                    "sales_amount", "scenario_sales_amount"]  # fmt: skip
MESSAGE_KEY = "_sc_message"
MAX_COMPARED = 3


@st.cache_resource(max_entries=4, show_spinner="Preparing the simulator…")
def cached_inputs(
    ledger: LedgerKey, as_of: date, window_days: int, customer_filter: CustomerFilter
) -> SimulatorInputs:
    scores = risk_data.cached_model(ledger, as_of).scores  # one PD: the behavioural model's
    return prepare(cache.connection(ledger), as_of, window_days, customer_filter, scores)


@st.cache_resource(max_entries=64, show_spinner=False)
def cached_result(
    ledger: LedgerKey,
    as_of: date,
    window_days: int,
    customer_filter: CustomerFilter,
    scenario: Scenario,
) -> SimulationResult:
    inputs = cached_inputs(ledger, as_of, window_days, customer_filter)
    return simulate(inputs, scenario)


def inputs(ctx: Context) -> SimulatorInputs:
    s = ctx.settings
    return cached_inputs(ctx.ledger, s.as_of, s.window_days, s.customer_filter)


def result(ctx: Context, scenario: Scenario) -> SimulationResult:
    s = ctx.settings
    return cached_result(ctx.ledger, s.as_of, s.window_days, s.customer_filter, scenario)


def store() -> ScenarioStore:
    return ScenarioStore(Workspace.in_folder(data_dir()), who=auth.who())


# --- the levers' widget state ------------------------------------------------------------------


@dataclass(frozen=True)
class Choices:
    """What the scope and the rating multipliers can be chosen from (the sidebar's view)."""

    segments: list[str]
    regions: list[str]
    ratings: list[str]
    customers: list[str]


def choices(ctx: Context) -> Choices:
    c = inputs(ctx).customers
    return Choices(*(sorted(c[col].dropna().unique().tolist())
                     for col in ("segment", "region", "risk_rating", "customer_id")))  # fmt: skip


def mult_key(rating: str) -> str:
    return f"sc_mult_{rating}"


def slider(label: str, lever: str, step: float, key: str, **kwargs) -> None:
    """A lever's slider over the range the scenario model allows (``BOUNDS[lever]``), with a
    box beside it to type an exact value (issue 9: sliders alone could not take one). The box
    and the slider show one value: typing moves the slider, sliding rewrites the box."""
    low, high = BOUNDS[lever]
    typed = f"{key}__typed"
    if key in st.session_state:
        st.session_state[typed] = st.session_state[key]
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    with left:
        st.slider(label, low, high, step=step, key=key, **kwargs)
    with right:  # the box's step in the range's type (number_input wants them alike)
        st.number_input(f"{label} (typed)", low, high, step=type(low)(step), key=typed,
                        label_visibility="collapsed", on_change=_typed_into, args=(key,))  # fmt: skip


def _typed_into(key: str) -> None:
    """A value typed in a lever's box becomes the slider's."""
    st.session_state[key] = st.session_state[f"{key}__typed"]


def _values(s: Scenario, options: Choices) -> dict:
    """Widget key → value for a scenario (scope values not in this view are dropped)."""
    values = {
        "sc_name": s.name, "sc_terms_mode": s.terms.mode,
        "sc_terms_change": s.terms.days if s.terms.mode == "change" else 0,
        "sc_terms_set": s.terms.days if s.terms.mode == "set" else 30,
        "sc_elasticity": s.sales.elasticity_pct_per_10_days,
        "sc_late_cut": s.collection.late_reduction_pct,
        "sc_exclude_disputed": s.collection.exclude_disputed, "sc_limit_rule": s.limits.rule,
        "sc_limit_months": s.limits.months, "sc_tolerance": s.limits.tolerance_pct,
        "sc_limit_action": s.limits.action, "sc_coc": s.economics.cost_of_capital_pct,
        "sc_margin": s.economics.gross_margin_pct, "sc_lgd": s.economics.lgd_pct,
        "sc_cover": s.economics.insurance_cover_pct,
    }  # fmt: skip
    for field in ("segments", "regions", "ratings", "customers"):
        allowed = set(getattr(options, field))
        values[f"sc_{field}"] = [v for v in getattr(s.scope, field) if v in allowed]
    for rating in options.ratings:
        values[mult_key(rating)] = s.limits.multiplier(rating)
    return values


def default_values(options: Choices) -> dict:
    """Widget key → value for the baseline scenario (every lever at "no change")."""
    return _values(Scenario(), options)


def init_state(options: Choices) -> None:
    """Defaults for every lever widget not set yet (first visit, or a new rating); scope
    choices the sidebar's view no longer holds are dropped (a multiselect refuses them)."""
    for key, value in default_values(options).items():
        st.session_state.setdefault(key, value)
    for field in ("segments", "regions", "ratings", "customers"):
        allowed = set(getattr(options, field))
        key = f"sc_{field}"
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    names = set(saved_names())
    st.session_state["sc_compare"] = [
        n for n in st.session_state.get("sc_compare", []) if n in names
    ]


def load_into_state(scenario: Scenario, options: Choices) -> None:
    st.session_state.update(_values(scenario, options))


def scenario_from_state(options: Choices) -> Scenario:
    """The scenario the widgets describe (raises ScenarioError for a bad name)."""
    g = st.session_state
    mode = g["sc_terms_mode"]
    multipliers = tuple((r, float(g[mult_key(r)])) for r in options.ratings
                        if float(g[mult_key(r)]) != 1.0)  # fmt: skip
    return Scenario(
        name=str(g["sc_name"]).strip() or Scenario.name,
        scope=Scope(
            *(tuple(g[f"sc_{f}"]) for f in ("segments", "regions", "ratings", "customers"))
        ),  # fmt: skip
        terms=Terms(mode, int(g["sc_terms_change"] if mode == "change" else g["sc_terms_set"])),
        sales=Sales(float(g["sc_elasticity"])),
        collection=Collection(float(g["sc_late_cut"]), bool(g["sc_exclude_disputed"])),
        limits=Limits(
            g["sc_limit_rule"],
            float(g["sc_limit_months"]),
            multipliers,
            float(g["sc_tolerance"]),
            g["sc_limit_action"],
        ),  # fmt: skip
        economics=Economics(
            float(g["sc_coc"]), float(g["sc_margin"]), float(g["sc_lgd"]), float(g["sc_cover"])
        ),  # fmt: skip
    )


# --- saved scenarios (button callbacks: they run before the widgets are drawn) ---------------


def _say(kind: str, text: str) -> None:
    """Keep an outcome to show once; it names scenarios and files as typed, so not Markdown."""
    st.session_state[MESSAGE_KEY] = (kind, plain(text))


def message() -> tuple[str, str] | None:
    """The last action's outcome, shown once."""
    return st.session_state.pop(MESSAGE_KEY, None)


def saved_names() -> list[str]:
    try:
        return store().names()
    except LedgerError as exc:
        _say("error", str(exc))
        return []


def on_pick(options: Choices) -> None:
    name = st.session_state["sc_pick"]
    try:
        scenario = Scenario() if name == NEW else Scenario.from_json(store().load(name), name)
    except LedgerError as exc:
        _say("error", str(exc))
        return
    load_into_state(scenario, options)
    if name == NEW:
        st.session_state["sc_name"] = ""


def _action(action, success: str, pick: str | None = None) -> None:
    try:
        action()
    except LedgerError as exc:
        _say("error", str(exc))
        return
    if pick is not None:
        st.session_state["sc_pick"] = pick
        st.session_state["sc_name"] = "" if pick == NEW else pick
    _say("success", success)


def on_save(options: Choices) -> None:
    try:
        scenario = scenario_from_state(options)
    except ScenarioError as exc:
        _say("error", str(exc))
        return
    name = scenario.name
    replaced = name in saved_names()
    _action(lambda: store().save(name, scenario.to_json()),
            f"Saved “{name}”" + (" (replacing the earlier version)." if replaced else "."), name)  # fmt: skip


def on_rename() -> None:
    old, new = st.session_state["sc_pick"], str(st.session_state["sc_name"]).strip()
    _action(lambda: store().rename(old, new), f"Renamed “{old}” to “{new}”.", new)


def on_duplicate() -> None:
    """Copy the picked scenario under the name typed in Name: nothing is saved until the user
    has named the copy (it used to save "… (copy)" straight away)."""
    old, new, made = st.session_state["sc_pick"], str(st.session_state["sc_name"]).strip(), []
    if not new or new == old:
        _say("info", f"Type a name for the copy of “{old}” in Name, then Duplicate.")
        return
    _action(lambda: made.append(store().duplicate(old, new)), f"Duplicated “{old}” as “{new}”.")
    if made:
        st.session_state["sc_pick"] = st.session_state["sc_name"] = made[0]


def on_delete() -> None:
    old = st.session_state["sc_pick"]
    _action(lambda: store().delete(old), f"Deleted “{old}”.", NEW)


def on_upload(options: Choices) -> None:
    upload = st.session_state.get("sc_upload")
    if upload is None:
        return
    try:
        scenario = Scenario.from_json(upload.getvalue(), upload.name)
    except ScenarioError as exc:
        _say("error", str(exc))
        return
    load_into_state(scenario, options)
    _say("success", f"Read “{scenario.name}” from {upload.name}: save it to keep it.")


# --- comparison and export -----------------------------------------------------------------


def compared(ctx: Context, names: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Saved scenarios side by side (comparison_of) and the ones that could not be read."""
    results, problems = [], []
    for name in names[:MAX_COMPARED]:
        try:
            results.append(result(ctx, Scenario.from_json(store().load(name), name)))
        except LedgerError as exc:
            problems.append(str(exc))
    return comparison_of(results), problems


def display_table(ctx: Context, frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Money rows (unit "money") of a comparison table in the display currency."""
    out = frame.copy()
    money = out["unit"] == "money"
    out.loc[money, columns] = out.loc[money, columns].astype(float) * ctx.rate
    return out


def file_stem(name: str) -> str:
    """ "SMB to 60 days" → "scenario-smb-to-60-days" (for download file names)."""
    return "scenario-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "untitled")


def excel_export(ctx: Context, r: SimulationResult) -> bytes:
    """The scenario's assumptions and results, one sheet each (money in the display currency)."""
    sheets = {
        "Assumptions": assumptions_table(r.scenario),
        "Results": display_table(ctx, comparison_table(r), ["baseline", "scenario", "change"]),
        "Profit bridge": ctx.translate(r.bridge, ["amount"]),
        "Receipts by week": _receipts(ctx, r, "weekly"),
        "Receipts by month": _receipts(ctx, r, "monthly"),
        "Customers": ctx.translate(
            r.customers,
            [c for c in r.customers if c.endswith("_amount") or c in ("proposed_limit",)],
        ),  # fmt: skip
        "Limit backtest": ctx.translate(
            r.backtest.invoices,
            [
                "amount",
                "balance_before_amount",
                "defaulted_amount",
                "exposure_amount",
                "cap_amount",
            ],
        ),  # fmt: skip
        "PD by rating": pd_table(ctx, r),
    }
    about = pd.DataFrame({"currency": [ctx.currency], "as_of": [ctx.settings.as_of]})
    return excel_bytes({"About": about, **sheets})


BACKTEST_VERBS = {"block": "blocked", "flag": "flagged"}  # names the backtest's download


def backtest_invoices(ctx: Context, r: SimulationResult) -> pd.DataFrame:
    """The backtest's blocked (or flagged) invoices for the table, display currency."""
    money = ["amount", "balance_before_amount", "exposure_amount", "cap_amount",
             "defaulted_amount"]  # fmt: skip
    out = ctx.translate(r.backtest.invoices, money)[BACKTEST_COLUMNS]
    for column in ("invoice_date", "due_date"):  # dates, not midnight timestamps
        out[column] = pd.to_datetime(out[column]).dt.date
    return out


def scope_customers(ctx: Context, r: SimulationResult) -> pd.DataFrame:
    """The customers the levers apply to, with their effect, display currency."""
    money = ["proposed_limit", "balance_amount", "scenario_balance_amount", "sales_amount",
             "scenario_sales_amount"]  # fmt: skip
    return ctx.translate(r.customers[r.customers["in_scope"]], money)[CUSTOMER_COLUMNS]


def pd_table(ctx: Context, r: SimulationResult) -> pd.DataFrame:
    """The PD table with its amounts in the display currency."""
    return ctx.translate(r.pd_table, ["defaulted_amount", "average_ar_amount"])


def receipts_table(ctx: Context, r: SimulationResult, unit: str) -> pd.DataFrame:
    return _receipts(ctx, r, "weekly" if unit == "week" else "monthly")


def _receipts(ctx: Context, r: SimulationResult, attr: str) -> pd.DataFrame:
    base, scen = getattr(r.receipts_baseline, attr), getattr(r.receipts_scenario, attr)
    frame = base[["period", "start_date", "end_date"]].assign(
        baseline_amount=base["receipts_amount"], scenario_amount=scen["receipts_amount"]
    )
    frame["change_amount"] = frame["scenario_amount"] - frame["baseline_amount"]
    return ctx.translate(frame, ["baseline_amount", "scenario_amount", "change_amount"])
