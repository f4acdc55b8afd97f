"""Observation points of the behavioural score (spec §10): customers at month-ends.

A point is a customer at a month-end m in the *population*: a positive balance at m (spec
§2) or credit sales in the 12 months to m, and not *in default* at m. In default at a date:
an undisputed positive document open at it at least ``DEFAULT_DPD`` (91) days past due.
Its *target* (``is_defaulted``) is whether the customer is in default at a month-end in
(m, m + 6 months] or has a write-off credit note dated in that interval; it is *known* when
m + 6 months is on or before the as-of date (NaN otherwise). Features come from
``engines/sql/risk_score_features.sql``, which reads only documents dated and applications
made on or before the point's date, so a ledger cut at D gives the same features at D.

Disputed documents are left out of "in default" (a dispute is a commercial matter, as in
scenario_default_history.sql) and counted in their own feature; the choices are written
down in docs/risk-model.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from core.calendar import month_ends
from engines import facts
from engines.base import Engine

DEFAULT_DPD = 91  # §10: in default from 91 days past due
HORIZON_MONTHS = 6  # §10: the target looks 6 month-ends ahead
RATING_SCORES = {"A": 0.0, "B": 1.0, "C": 2.0, "D": 3.0, "E": 4.0}
UNRATED_SCORE = 2.0  # a customer without an assigned rating counts as C (and is flagged)

# name -> what it measures, in words (shown beside each coefficient)
FEATURES: dict[str, str] = {
    "max_dpd": "days past due of the oldest undisputed open invoice (0 when nothing is overdue)",
    "excess_dpd": "how much later that invoice already is than the customer usually pays "
    "(max dpd less its average days late over 12 months)",
    "days_late_3m": "amount-weighted days late of invoices settled in the last 90 days "
    "(12 months when none, 0 when none either)",
    "days_late_trend": "days late of the last 90 days' settlements less those of the 12 "
    "months before (0 when either is missing): a rising payer is positive",
    "overdue_share": "share of the undisputed open amount that is overdue",
    "open_to_sales": "undisputed open amount over the last 3 months' credit sales "
    "(capped at 3): how much of recent buying is still unpaid",
    "disputed_share": "share of the positive open amount that is disputed",
    "utilisation": "balance over the credit limit (open orders left out; capped at 3; "
    "0 when there is no limit)",
    "balance_growth": "log of the balance now over the balance 3 months ago",
    "sales_growth": "log of the last 3 months' credit sales (×4) over the last 12 months'",
    "log_months": "log(1 + months since the customer's first document)",
    "log_documents": "log(1 + credit-sales documents in the last 12 months): more invoices, "
    "more chances for one to go unpaid",
    "rating_score": "assigned risk rating, A = 0 … E = 4 (none: 2)",
    "is_unrated": "1 when the customer has no assigned rating",
}


@dataclass(frozen=True)
class Observations:
    """The points a model is fitted and scored on, as of ``as_of``.

    ``points``: one row per customer and observation date (the month-ends up to as_of, and
    as_of itself), with ``customer_key``, ``as_of``, the ``FEATURES``, ``is_in_population``,
    ``is_in_default``, ``is_defaulted`` (1.0 / 0.0, NaN when not known at as_of), the
    benchmark ``max_dpd_raw`` and ``risk_rating``.
    """

    as_of: date
    month_ends: tuple[date, ...]
    points: pd.DataFrame

    def known(self) -> pd.DataFrame:
        """Population points whose outcome is known at as_of (what a model is fitted on)."""
        p = self.points
        return p[p["is_in_population"] & p["is_defaulted"].notna()]

    def at(self, day: date) -> pd.DataFrame:
        """Every customer's row at one observation date (population or in default)."""
        return self.points[self.points["as_of"] == pd.Timestamp(day)]


def observation_dates(first_date: date, as_of: date) -> list[date]:
    """The month-ends from ``first_date``'s month to ``as_of``, then ``as_of`` itself when it
    is not a month-end (none when as_of is before first_date)."""
    if as_of < first_date:
        return []
    n = (as_of.year - first_date.year) * 12 + as_of.month - first_date.month + 1
    ends = [d for d in month_ends(as_of, n) if d >= first_date]
    return ends if ends and ends[-1] == as_of else [*ends, as_of]


def observations(engine: Engine, *, as_of: date) -> Observations:
    """Features, population and known targets for every month-end up to ``as_of`` (§10)."""
    first = facts.first_document_date(engine).get("first_date")
    dates = observation_dates(first, as_of) if first is not None else []
    ends = tuple(d for d in dates if _is_month_end(d))
    raw = facts.risk_score_features(engine, dates=dates) if dates else _empty_raw()
    raw = raw.reset_index(drop=True)
    write_offs = facts.risk_score_write_offs(engine, as_of=as_of)
    points = _points(raw)
    points["is_defaulted"] = default_targets(raw, write_offs, ends)
    return Observations(as_of, ends, points)


def customers_at(engine: Engine, *, as_of: date) -> pd.DataFrame:
    """Every customer's row at one date (features, is_in_population, is_in_default), from one
    query: what scoring a date needs once a model is fitted."""
    raw = facts.risk_score_features(engine, dates=[as_of]).reset_index(drop=True)
    return _points(raw)


def _points(raw: pd.DataFrame) -> pd.DataFrame:
    points = model_features(raw)
    points["is_in_default"] = is_in_default(raw)
    points["is_in_population"] = is_in_population(raw)
    return points


def model_features(raw: pd.DataFrame) -> pd.DataFrame:
    """The ``FEATURES`` of each row of risk_score_features, with its keys, the benchmark's
    raw max dpd and the assigned rating. Pure: one vectorised expression per feature."""
    days_late_12m = _ratio(raw["late_365d_amount_days"], raw["settled_365d_amount"])
    days_late_90d = _ratio(raw["late_90d_amount_days"], raw["settled_90d_amount"])
    days_late_prior = _ratio(raw["late_prior_amount_days"], raw["settled_prior_amount"])
    max_dpd = raw["max_dpd"].fillna(0).clip(lower=0).astype(float)
    rating = raw["risk_rating"].map(RATING_SCORES)
    months = (pd.to_datetime(raw["as_of"]) - pd.to_datetime(raw["first_document_date"])).dt.days
    out = pd.DataFrame(
        {
            "customer_key": raw["customer_key"].to_numpy(),
            "as_of": pd.to_datetime(raw["as_of"]).to_numpy(),
            "max_dpd": max_dpd,
            "excess_dpd": (max_dpd - days_late_12m.fillna(0).clip(lower=0)).clip(lower=0),
            "days_late_3m": days_late_90d.fillna(days_late_12m).fillna(0).clip(-60, 180),
            "days_late_trend": (days_late_90d - days_late_prior).fillna(0).clip(-120, 120),
            "overdue_share": _ratio(raw["overdue_amount"], raw["open_amount"]).fillna(0),
            "open_to_sales": _ratio(raw["open_amount"], raw["sales_3m_amount"].clip(lower=0))
            .fillna(0)
            .clip(0, 3),
            "disputed_share": _ratio(
                raw["disputed_open_amount"], raw["open_amount"] + raw["disputed_open_amount"]
            ).fillna(0),
            "utilisation": _ratio(raw["balance_amount"].clip(lower=0), raw["credit_limit"])
            .fillna(0)
            .clip(0, 3),
            "balance_growth": _log_ratio(raw["balance_amount"], raw["balance_3m_amount"]),
            "sales_growth": _log_ratio(4 * raw["sales_3m_amount"], raw["sales_12m_amount"]),
            "log_months": np.log1p(months.clip(lower=0) / 30.44),
            "log_documents": np.log1p(raw["n_documents_12m"].astype(float)),
            "rating_score": rating.fillna(UNRATED_SCORE),
            "is_unrated": rating.isna().astype(float),
            "max_dpd_raw": raw["max_dpd"].astype(float),
            "risk_rating": raw["risk_rating"],
        }
    )
    return out.reset_index(drop=True)


def is_in_default(raw: pd.DataFrame) -> pd.Series:
    """In default at the row's date: an undisputed open invoice ≥ 91 days past due."""
    return (raw["max_dpd"].fillna(0) >= DEFAULT_DPD).reset_index(drop=True)


def is_in_population(raw: pd.DataFrame) -> pd.Series:
    """Spec §10 population: a positive balance or credit sales (a document, spec §4) in the 12
    months to the date, and not in default (a balance of 0.005 or more counts, spec §2)."""
    active = (raw["balance_amount"] >= 0.005) | (raw["n_documents_12m"] > 0)
    return (active.reset_index(drop=True)) & ~is_in_default(raw)


def default_targets(
    raw: pd.DataFrame, write_offs: pd.DataFrame, ends: tuple[date, ...]
) -> pd.Series:
    """Per row of ``raw`` at a month-end m of ``ends``: 1.0 when the customer is in default
    at one of the next ``HORIZON_MONTHS`` month-ends or has a write-off dated after m and
    on or before the 6th month-end after it; 0.0 when not; NaN when ``ends`` stops before
    m + 6 months (outcome unknown) or the row's date is not a month-end."""
    n_ends = len(ends)
    end_index = {pd.Timestamp(d): k for k, d in enumerate(ends)}
    k = pd.to_datetime(raw["as_of"]).map(end_index)
    if n_ends == 0 or raw.empty:
        return pd.Series(np.nan, index=range(len(raw)))
    keys = raw["customer_key"].to_numpy(np.int64)
    n_keys = int(max(keys.max(), write_offs["customer_key"].max() if len(write_offs) else 0)) + 1
    events = np.zeros((n_keys, n_ends + 1), bool)  # last column: after the last month-end
    at_end = k.notna().to_numpy()
    events[keys[at_end], k[at_end].astype(int)] |= is_in_default(raw).to_numpy()[at_end]
    wo_index = np.searchsorted(
        np.array(ends, dtype="datetime64[D]"),
        pd.to_datetime(write_offs["write_off_date"]).to_numpy().astype("datetime64[D]"),
    )
    events[write_offs["customer_key"].to_numpy(np.int64), wo_index] = True
    return pd.Series(_any_ahead(events, keys, k.to_numpy(float), n_ends))


def _any_ahead(events: np.ndarray, keys: np.ndarray, k: np.ndarray, n_ends: int) -> np.ndarray:
    """events[key, k+1 .. k+H] has a True (1.0 / 0.0), NaN where k + H ≥ n_ends or k is NaN."""
    counts = np.concatenate(
        [np.zeros((len(events), 1)), np.cumsum(events[:, :n_ends], axis=1)], axis=1
    )
    out = np.full(len(keys), np.nan)
    ok = ~np.isnan(k)
    ok[ok] = k[ok] + HORIZON_MONTHS < n_ends
    j = k[ok].astype(int)
    ahead = counts[keys[ok], j + HORIZON_MONTHS + 1] - counts[keys[ok], j + 1]
    out[ok] = (ahead > 0).astype(float)
    return out


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is not positive."""
    den = denominator.astype(float)
    return (numerator.astype(float) / den.where(den > 0)).reset_index(drop=True)


def _log_ratio(now: pd.Series, before: pd.Series) -> pd.Series:
    """log(1 + max(now, 0)) − log(1 + max(before, 0)), clipped to ±5."""
    a = np.log1p(now.astype(float).clip(lower=0))
    b = np.log1p(before.astype(float).clip(lower=0))
    return (a - b).clip(-5, 5).reset_index(drop=True)


def _is_month_end(day: date) -> bool:
    return month_ends(day, 1)[0] == day


def _empty_raw() -> pd.DataFrame:
    return pd.DataFrame(
        columns=[
            "customer_key", "as_of", "balance_amount", "balance_3m_amount", "open_amount",
            "overdue_amount", "disputed_open_amount", "max_dpd", "n_documents_12m",
            "sales_3m_amount", "sales_12m_amount", "settled_90d_amount", "late_90d_amount_days",
            "settled_prior_amount", "late_prior_amount_days", "settled_365d_amount",
            "late_365d_amount_days", "first_document_date", "credit_limit", "risk_rating",
        ]
    )  # fmt: skip
