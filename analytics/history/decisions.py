"""The committee's decisions as events of a customer's timeline (issue 12, item 3: "shown on the
customer's timeline"), beside the collection events of analytics.risk.collections.

A decision (stores/decisions.py) reads as its kind, what it changed (old → new for a limit or
terms change) and the reason, dated by the day the committee took it and signed by its author.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics.risk.collections import TIMELINE_COLUMNS

KIND = "committee decision"
NO_LIMIT = "no limit"


def decision_events(decisions: pd.DataFrame, as_of: date, rate: float = 1.0) -> pd.DataFrame:
    """One timeline row per decision dated on or before ``as_of``, newest first:
    date (decision_date), kind ("committee decision"), what ("Limit change 40,000.00 →
    50,000.00: reason"), amount (NaN: a limit is not money received or owed), state (the
    decision's kind) and who (its author). ``decisions``: stores.decisions COLUMNS; limits
    are in the reporting currency and are shown times ``rate`` (the display currency)."""
    taken = decisions[pd.to_datetime(decisions["decision_date"]) <= pd.Timestamp(as_of)]
    rows = [(r.decision_date, KIND, _words(r, rate), float("nan"), r.kind, r.author)
            for r in taken.itertuples()]  # fmt: skip
    out = pd.DataFrame(rows, columns=TIMELINE_COLUMNS)
    out["date"] = pd.to_datetime(out["date"]).dt.date
    return out.sort_values("date", ascending=False, kind="stable", ignore_index=True)


def _words(decision, rate: float) -> str:
    """'Limit change 40,000.00 → 50,000.00: reason', 'Terms change 30 → 45 days: reason',
    'Hold: reason'."""
    d = decision
    if d.kind == "limit change":
        change = f" {_limit(d.old_limit, rate)} → {_limit(d.new_limit, rate)}"
    elif d.kind == "terms change":
        change = f" {_days(d.old_terms_days)} → {_days(d.new_terms_days)} days"
    else:
        change = ""
    return f"{d.kind.capitalize()}{change}: {d.reason}"


def _limit(value, rate: float) -> str:
    return NO_LIMIT if pd.isna(value) else f"{float(value) * rate:,.2f}"


def _days(value) -> str:
    return "none" if pd.isna(value) else f"{int(value)}"
