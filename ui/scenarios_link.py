"""The Scenarios page's levers in the shareable link, like the sidebar's settings and the
other pages' controls (``ui.components.in_url``): a session's first visit takes them from the
link, every run writes the levers in force back. Only levers away from the baseline are
written, so a link reads as the change it describes (``?terms_change=30&over_limit=block``).
A value the page cannot use is said in one warning and its lever keeps its default."""

from __future__ import annotations

import streamlit as st

from analytics.policy.scenario import BOUNDS, LIMIT_ACTIONS, LIMIT_RULES, TERMS_MODES

from .scenarios_data import Choices, default_values, mult_key
from .text import plain

SEEDED = "_sc_link_seeded"
CHOICE = {  # widget key -> (URL parameter, the values it takes)
    "sc_terms_mode": ("terms", TERMS_MODES),
    "sc_limit_rule": ("limit", LIMIT_RULES),
    "sc_limit_action": ("over_limit", LIMIT_ACTIONS),
    "sc_exclude_disputed": ("disputed_keep_lateness", ("true", "false")),
}
NUMBER = {  # widget key -> (URL parameter, the lever whose BOUNDS it takes)
    "sc_terms_change": ("terms_change", "terms.days.change"),
    "sc_terms_set": ("terms_set", "terms.days.set"),
    "sc_elasticity": ("elasticity", "sales.elasticity_pct_per_10_days"),
    "sc_late_cut": ("late_cut", "collection.late_reduction_pct"),
    "sc_limit_months": ("limit_months", "limits.months"),
    "sc_tolerance": ("tolerance", "limits.tolerance_pct"),
    "sc_coc": ("cost_of_capital", "economics.cost_of_capital_pct"),
    "sc_margin": ("margin", "economics.gross_margin_pct"),
    "sc_lgd": ("lgd", "economics.lgd_pct"),
    "sc_cover": ("insurance_cover", "economics.insurance_cover_pct"),
}
SCOPE = {f"sc_{field}": f"scope_{field.removesuffix('s')}"
         for field in ("segments", "regions", "ratings", "customers")}  # fmt: skip


def numbers(options: Choices) -> dict[str, tuple[str, str]]:
    """Every numeric lever, the rating multipliers of this view included."""
    mults = {mult_key(r): (f"mult_{r}", "limits.multipliers") for r in options.ratings}
    return {**NUMBER, **mults}


def number(text: str, lever: str) -> int | float:
    """``text`` as the lever's value (a whole number for day levers), within its BOUNDS;
    ValueError saying what it should be otherwise."""
    low, high = BOUNDS[lever]
    kind = "a whole number" if isinstance(low, int) else "a number"
    wrong = ValueError(f"is not {kind} from {low:g} to {high:g}")
    try:
        value = float(text)
    except ValueError:
        raise wrong from None
    if not low <= value <= high or (isinstance(low, int) and not value.is_integer()):
        raise wrong
    return type(low)(value)


def _seed(options: Choices) -> list[str]:
    """Levers from the link into the session; the problems, one phrase each."""
    problems, g, q = [], st.session_state, st.query_params
    for key, (param, allowed) in CHOICE.items():
        if (text := q.get(param)) is None:
            continue
        if text.lower() not in allowed:
            problems.append(f"{param}={text!r} is not one of {', '.join(allowed)}")
        else:
            g[key] = text.lower() == "true" if key == "sc_exclude_disputed" else text.lower()
    for key, (param, lever) in numbers(options).items():
        if (text := q.get(param)) is None:
            continue
        try:
            g[key] = number(text, lever)
        except ValueError as exc:
            problems.append(f"{param}={text!r} {exc}")
    for key, param in SCOPE.items():
        allowed = getattr(options, key.removeprefix("sc_"))
        if not (values := q.get_all(param)):
            continue
        problems += [f"{param}={v!r} is not in this view" for v in values if v not in allowed]
        g[key] = [v for v in dict.fromkeys(values) if v in allowed]
    return problems


def _write(options: Choices) -> None:
    """The levers in force into the link; a lever at its default leaves it."""
    defaults, g = default_values(options), st.session_state
    params = {k: p for k, (p, _) in {**CHOICE, **numbers(options)}.items()} | SCOPE
    for key, param in params.items():
        value = g.get(key)
        if value is None or value == defaults[key]:
            st.query_params.pop(param, None)
        elif isinstance(value, list):
            st.query_params[param] = value
        else:
            st.query_params[param] = str(value).lower() if isinstance(value, bool) else str(value)


def levers_in_url(options: Choices) -> None:
    """Call after ``init_state`` and before the levers are drawn."""
    if not st.session_state.get(SEEDED):
        st.session_state[SEEDED] = True
        if problems := _seed(options):
            st.warning("Link parameters ignored, their levers keep their defaults: "
                       + plain("; ".join(problems)) + ".")  # fmt: skip
    _write(options)
