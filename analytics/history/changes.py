"""What changed between two committee snapshots S1 (before) and S2 (after) (spec §14).

A pure function of the two snapshots (:func:`what_changed`), plus one comparison with today's
ledger (:func:`restatements`). Nothing is defined again here: every figure is the one the
snapshot stored; this module lines the two up and takes differences (change = S2 − S1).

- **Newly overdue**: overdue amount (spec §3, dpd ≥ 1) at most half a cent at S1 and more at
  S2; **cured** the other way round. A customer missing from a snapshot counts as 0 there.
- **Amounts that moved bucket**: document by document (the open documents each snapshot
  keeps). A document open at both dates moves its S2 amount from its S1 bucket to its S2
  bucket, and what it lost in between (a part payment, a credit note, an exchange-rate
  revaluation) to ``PART_PAID``; one open only at S1 moves its S1 amount to ``SETTLED``; one
  open only at S2 comes from ``OPENED``. So the amounts leaving each S1 bucket add up to that
  bucket at S1, and those arriving in each S2 bucket to that bucket at S2.
- **Over limit** (utilisation > 100 %, spec §6): new at S2, or cleared.
- **Grades**: a customer graded at both dates whose behavioural grade differs; "down" is a
  worse grade (towards E). Undefined (None) when neither snapshot has grades.
- **Largest movers**: the ``top_n`` largest absolute changes of balance, and of overdue.
- **Warnings**: rules that fire at S2 and did not at S1 (raised), and the reverse (cleared).
  Undefined when either snapshot did not evaluate warnings.
- **Promises broken**: the promises and plan instalments that became unmet (broken or partly
  kept) between S1 and S2 (analytics.risk.promises.broken_between, given by the caller like
  the decisions: snapshots do not keep what collectors recorded), with the customer's name.
- **Headline figures**: every spec §7 figure, each aging bucket, the ECL (gross and net of
  insurance) and the count of overdue customers, at both dates, with change and change %.
- **Restated** (:func:`restatements`): the spec §7 figures recomputed as of S2's date on
  today's ledger; a figure that differs from the stored one is flagged (late postings,
  back-dated payments).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from analytics.history.snapshots import CommitteeSnapshot
from analytics.portfolio.compare import change_of, change_pct_of
from analytics.portfolio.report import metrics_json, portfolio_metrics
from analytics.portfolio.snapshot import snapshot
from core.constants import DEFAULT_TOP_N, OPEN_THRESHOLD
from engines.base import Engine

OPENED, SETTLED, PART_PAID = "opened since", "settled", "part paid or revalued"
UP, DOWN = "up", "down"
GRADES = ("A", "B", "C", "D", "E")  # best first (spec §10)
WEEK_DAYS = 7
RESTATED_ABS_TOL = 1e-5  # the stored JSON keeps 6 decimals
RESTATED_REL_TOL = 1e-9  # sums of the same amounts in another order
# the spec §7 JSON figures: (path, label, unit); the aging buckets are added after Overdue
SECTION7 = (
    ("ar.total", "Total AR", "money"),
    ("ar.current", "Not yet due", "money"),
    ("ar.overdue", "Overdue", "money"),
    ("ar.unapplied", "Unapplied cash", "money"),
    ("dso.standard", "DSO (standard)", "days"),
    ("dso.countback", "DSO (countback)", "days"),
    ("dso.best_possible", "Best possible DSO", "days"),
    ("dso.average_days_delinquent", "Average days delinquent", "days"),
    ("cei", "CEI", "index"),
    ("concentration.top_n_share", "Top-10 share", "share"),
    ("concentration.hhi", "HHI", "number"),
    ("concentration.customers_with_balance", "Customers with a balance", "count"),
    ("limits.customers_over_limit", "Customers over limit", "count"),
    ("limits.utilisation", "Utilisation of limits", "share"),
    ("limits.exposure", "Exposure of customers with a limit", "money"),
    ("limits.limit", "Credit limits", "money"),
)
HEADLINE_COLUMNS = ["key", "figure", "unit", "before", "after", "change", "change_pct"]
RESTATED_COLUMNS = ["key", "figure", "unit", "stored", "today", "difference", "is_restated"]
MOVE_COLUMNS = ["from_bucket", "to_bucket", "amount", "n_documents"]
PAIR_COLUMNS = ["customer_id", "name"]
PROMISE_COLUMNS = [*PAIR_COLUMNS, "kind", "record_id", "instalment_no", "due_date", "amount",
                   "paid_amount", "shortfall_amount", "state"]  # fmt: skip


@dataclass(frozen=True)
class SnapshotRef:
    """Which snapshot a side of the comparison is: id, date, ledger and content."""

    snapshot_id: int | None
    as_of: date
    content_hash: str
    source: str | None
    ledger: str | None
    currency: str

    @classmethod
    def of(cls, snap: CommitteeSnapshot) -> SnapshotRef:
        fp = snap.fingerprint
        return cls(snap.snapshot_id, snap.as_of, fp.content_hash, fp.source, snap.ledger,
                   snap.currency)  # fmt: skip


@dataclass(frozen=True)
class Changes:
    """What changed from ``before`` (S1) to ``after`` (S2); money in the snapshots' currency.
    A frame that is None could not be computed (the snapshots hold no grades, or no
    warnings); an empty one means nothing of that kind changed."""

    before: SnapshotRef
    after: SnapshotRef
    ledger_notes: tuple[str, ...]
    headline: pd.DataFrame  # HEADLINE_COLUMNS
    newly_overdue: pd.DataFrame
    cured: pd.DataFrame
    bucket_moves: pd.DataFrame  # MOVE_COLUMNS
    new_over_limit: pd.DataFrame
    cleared_over_limit: pd.DataFrame
    balance_movers: pd.DataFrame
    overdue_movers: pd.DataFrame
    grade_changes: pd.DataFrame | None = None
    warnings_raised: pd.DataFrame | None = None
    warnings_cleared: pd.DataFrame | None = None
    decisions: pd.DataFrame | None = None  # taken in (S1 date, S2 date], given by the caller
    promises_broken: pd.DataFrame | None = None  # PROMISE_COLUMNS, given by the caller
    bucket_order: tuple[str, ...] = field(default=())

    def frames(self) -> dict[str, pd.DataFrame]:
        """Every table by name (for the committee pack and downloads); None ones left out."""
        names = ["headline", "newly_overdue", "cured", "bucket_moves", "new_over_limit",
                 "cleared_over_limit", "grade_changes", "balance_movers", "overdue_movers",
                 "warnings_raised", "warnings_cleared", "promises_broken", "decisions"]  # fmt: skip
        return {n: getattr(self, n) for n in names if getattr(self, n) is not None}

    @property
    def moved_older_amount(self) -> float:
        """Σ amount of documents open at both dates that moved to an older bucket."""
        order = {label: i for i, label in enumerate(self.bucket_order)}
        m = self.bucket_moves
        older = m["from_bucket"].map(order) < m["to_bucket"].map(order)
        return float(m.loc[older, "amount"].sum())


def what_changed(
    before: CommitteeSnapshot,
    after: CommitteeSnapshot,
    *,
    top_n: int = DEFAULT_TOP_N,
    decisions: pd.DataFrame | None = None,
    promises_broken: pd.DataFrame | None = None,
) -> Changes:
    """What changed from snapshot ``before`` (S1) to ``after`` (S2); see the module doc.
    ``decisions`` (stores.decisions) and ``promises_broken``
    (analytics.risk.promises.broken_between) are the caller's, for the same two dates."""
    pair = joined_customers(before, after)
    return Changes(
        before=SnapshotRef.of(before), after=SnapshotRef.of(after),
        ledger_notes=ledger_notes(before, after), headline=headline_changes(before, after),
        newly_overdue=crossed(pair, "overdue_amount", became=True),
        cured=crossed(pair, "overdue_amount", became=False),
        bucket_moves=bucket_moves(before, after),
        new_over_limit=flag_changes(pair, "is_over_limit", became=True),
        cleared_over_limit=flag_changes(pair, "is_over_limit", became=False),
        balance_movers=movers(pair, "balance_amount", top_n),
        overdue_movers=movers(pair, "overdue_amount", top_n),
        grade_changes=grade_changes(pair) if _has(before, after, "grade") else None,
        warnings_raised=warning_changes(pair, raised=True) if _has_warnings(before, after) else None,
        warnings_cleared=warning_changes(pair, raised=False) if _has_warnings(before, after) else None,
        decisions=decisions, bucket_order=tuple(after.bucket_labels),
        promises_broken=None if promises_broken is None else promise_rows(promises_broken, pair),
    )  # fmt: skip


def ledger_notes(before: CommitteeSnapshot, after: CommitteeSnapshot) -> tuple[str, ...]:
    """What differs in the ledgers the two snapshots were taken on (allowed, and said)."""
    a, b, notes = before.fingerprint, after.fingerprint, []
    if (a.source, before.ledger) != (b.source, after.ledger):
        notes.append(f"The two snapshots come from different ledgers: {_where(before)} and "
                     f"{_where(after)}.")  # fmt: skip
    elif a.content_hash != b.content_hash:
        notes.append(f"The ledger's content changed between the two snapshots (content "
                     f"{a.content_hash} then {b.content_hash}): it was reloaded with new "
                     f"postings in between.")  # fmt: skip
    if before.currency != after.currency:
        notes.append(f"The snapshots are in different currencies ({before.currency} and "
                     f"{after.currency}): money changes mix the two.")  # fmt: skip
    if before.options.edges != after.options.edges:
        notes.append("The snapshots age into different buckets: bucket rows appear once each.")
    return tuple(notes)


def _where(snap: CommitteeSnapshot) -> str:
    return (
        f"{snap.ledger or snap.fingerprint.source or '?'} (content {snap.fingerprint.content_hash})"
    )


# --- headline figures -------------------------------------------------------------------------


def section7_figures(metrics: dict[str, Any]) -> pd.DataFrame:
    """key, figure, unit, value of every spec §7 figure of a §7 JSON object, with each aging
    bucket after Overdue."""
    rows = []
    for key, label, unit in SECTION7:
        rows.append((key, label, unit, _at(metrics, key)))
        if key == "ar.overdue":
            rows += [(f"aging.{b}", f"Aging {b}", "money", v)
                     for b, v in metrics.get("aging", {}).items()]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["key", "figure", "unit", "value"])
    frame["value"] = frame["value"].astype(float)
    return frame


def headline_figures(snap: CommitteeSnapshot) -> pd.DataFrame:
    """The snapshot's spec §7 figures (``section7_figures``), then from its customers the ECL
    gross and net of insurance and the count of overdue customers."""
    c = snap.customers
    extra = pd.DataFrame(
        [("ecl.gross", "Expected credit loss", "money", _total(c["gross_ecl_amount"])),
         ("ecl.net", "Expected credit loss net of insurance", "money",
          _total(c["net_ecl_amount"])),
         ("customers.overdue", "Customers overdue", "count",
          float((c["overdue_amount"] >= OPEN_THRESHOLD).sum()))],
        columns=["key", "figure", "unit", "value"],
    )  # fmt: skip
    return pd.concat([section7_figures(snap.metrics), extra], ignore_index=True)


def _at(tree: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        tree = tree.get(part) if isinstance(tree, dict) else None
    return tree


def _total(values: pd.Series) -> float | None:
    return None if values.isna().all() and len(values) else float(values.sum())


def headline_changes(before: CommitteeSnapshot, after: CommitteeSnapshot) -> pd.DataFrame:
    """Every headline figure at S1 and S2 with its change (S2 − S1) and change % (over |S1|);
    a figure only one snapshot has (other bucket edges) is NaN at the other."""
    a = headline_figures(before).rename(columns={"value": "before"})
    b = headline_figures(after).rename(columns={"value": "after"})
    frame = b.merge(a, on=["key", "figure", "unit"], how="outer", sort=False)
    order = {k: i for i, k in enumerate([*b["key"], *a["key"]])}
    frame = frame.sort_values("key", key=lambda s: s.map(order), ignore_index=True)
    frame["change"] = change_of(frame["before"], frame["after"])
    frame["change_pct"] = change_pct_of(frame["before"], frame["after"])
    return frame[HEADLINE_COLUMNS]


# --- per customer -----------------------------------------------------------------------------

SIDE_COLUMNS = ["balance_amount", "overdue_amount", "exposure_amount", "credit_limit",
                "utilisation", "is_over_limit", "pd", "grade", "warnings"]  # fmt: skip
ZERO_WHEN_MISSING = ["balance_amount", "overdue_amount", "exposure_amount"]


def joined_customers(before: CommitteeSnapshot, after: CommitteeSnapshot) -> pd.DataFrame:
    """One row per customer of either snapshot: customer_id, name (S2's, else S1's) and each
    SIDE_COLUMNS column as ``<column>_before`` and ``<column>_after``. A customer missing at a
    date has 0 money, is not over limit and has no grade there."""
    keep = ["customer_id", "name", *SIDE_COLUMNS]
    a = (
        before.customers[keep]
        .add_suffix("_before")
        .rename(columns={"customer_id_before": "customer_id"})
    )
    b = (
        after.customers[keep]
        .add_suffix("_after")
        .rename(columns={"customer_id_after": "customer_id"})
    )
    pair = a.merge(b, on="customer_id", how="outer", sort=True)
    pair["name"] = pair["name_after"].fillna(pair["name_before"])
    for side in ("_before", "_after"):
        money = [c + side for c in ZERO_WHEN_MISSING]
        pair[money] = pair[money].fillna(0.0)
        pair["is_over_limit" + side] = pair["is_over_limit" + side].fillna(False).astype(bool)
    return pair.drop(columns=["name_before", "name_after"]).reset_index(drop=True)


def crossed(pair: pd.DataFrame, column: str, *, became: bool) -> pd.DataFrame:
    """Customers whose ``column`` went from at most half a cent to more (``became``), or the
    reverse: ids, name, the figure before and after, and the balance after; largest first."""
    was = pair[f"{column}_before"] >= OPEN_THRESHOLD
    now = pair[f"{column}_after"] >= OPEN_THRESHOLD
    rows = pair[(~was & now) if became else (was & ~now)]
    sort_by = f"{column}_{'after' if became else 'before'}"
    cols = [*PAIR_COLUMNS, f"{column}_before", f"{column}_after", "balance_amount_after"]
    return _largest_first(rows[cols], sort_by)


def flag_changes(pair: pd.DataFrame, flag: str, *, became: bool) -> pd.DataFrame:
    """Customers whose ``flag`` turned on (``became``) or off between S1 and S2, with their
    exposure, limit and utilisation at both dates, largest exposure first."""
    was, now = pair[f"{flag}_before"], pair[f"{flag}_after"]
    rows = pair[(~was & now) if became else (was & ~now)]
    cols = [*PAIR_COLUMNS, "exposure_amount_before", "exposure_amount_after",
            "credit_limit_before", "credit_limit_after", "utilisation_before",
            "utilisation_after"]  # fmt: skip
    return _largest_first(rows[cols], f"exposure_amount_{'after' if became else 'before'}")


def movers(pair: pd.DataFrame, column: str, top_n: int = DEFAULT_TOP_N) -> pd.DataFrame:
    """The ``top_n`` customers whose ``column`` changed most (absolute change, then customer
    id); no change is not a move."""
    out = pair[[*PAIR_COLUMNS, f"{column}_before", f"{column}_after"]].copy()
    out["change"] = out[f"{column}_after"] - out[f"{column}_before"]
    out = out[out["change"].abs() >= OPEN_THRESHOLD]
    out = out.assign(_size=out["change"].abs()).sort_values(["_size", "customer_id"],
                                                            ascending=[False, True])  # fmt: skip
    return out.drop(columns="_size").head(top_n).reset_index(drop=True)


def grade_changes(pair: pd.DataFrame) -> pd.DataFrame:
    """Customers graded at both dates whose grade changed: up (better) or down (worse),
    with PD and balance; downgrades first, then by balance."""
    rows = pair[pair["grade_before"].notna() & pair["grade_after"].notna()]
    rows = rows[rows["grade_before"] != rows["grade_after"]].copy()
    rank = {g: i for i, g in enumerate(GRADES)}
    worse = rows["grade_after"].map(rank) > rows["grade_before"].map(rank)
    rows["direction"] = np.where(worse, DOWN, UP)
    cols = [*PAIR_COLUMNS, "grade_before", "grade_after", "direction", "pd_before", "pd_after",
            "balance_amount_after"]  # fmt: skip
    rows = rows.sort_values(["direction", "balance_amount_after", "customer_id"],
                            ascending=[True, False, True])  # fmt: skip
    return rows[cols].reset_index(drop=True)


def warning_changes(pair: pd.DataFrame, *, raised: bool) -> pd.DataFrame:
    """One row per customer and warning that fires at S2 and not at S1 (``raised``), or the
    reverse; a customer missing at a date fires nothing there. In the customers' order, then
    by warning name."""
    now, was = (
        ("warnings_after", "warnings_before") if raised else ("warnings_before", "warnings_after")
    )
    keys = ["_row", "warning"]
    rows = _fired(pair, now).merge(_fired(pair, was), on=keys, how="left", indicator=True)
    rows = rows[rows["_merge"] == "left_only"].sort_values(keys)
    found = pair.iloc[rows["_row"].to_numpy()]
    return pd.DataFrame({
        "customer_id": found["customer_id"].to_numpy(), "name": found["name"].to_numpy(),
        "warning": rows["warning"].to_numpy(dtype=object),
        "balance_amount_after": found["balance_amount_after"].to_numpy(),
    })  # fmt: skip


def _fired(pair: pd.DataFrame, column: str) -> pd.DataFrame:
    """(_row, warning): each warning in ``column`` with its row's position in ``pair``."""
    lists = pd.Series(pair[column].to_numpy(dtype=object)).map(lambda v: sorted(_names(v)))
    rows = pd.DataFrame({"_row": np.arange(len(pair)), "warning": lists}).explode("warning")
    return rows.dropna(subset=["warning"]).astype({"warning": object})


def promise_rows(broken: pd.DataFrame, pair: pd.DataFrame) -> pd.DataFrame:
    """The promises broken between the two dates (analytics.risk.promises.became_unmet rows)
    with the customer's name, in PROMISE_COLUMNS, earliest date first as given."""
    names = pair.set_index("customer_id")["name"]
    out = broken.assign(name=broken["customer_id"].map(names))
    return out.reindex(columns=PROMISE_COLUMNS).reset_index(drop=True)


def _names(values: Iterable[str] | None) -> set[str]:
    if values is None or (isinstance(values, float) and math.isnan(values)):
        return set()
    return set(values)


def _has(before: CommitteeSnapshot, after: CommitteeSnapshot, column: str) -> bool:
    return bool(before.customers[column].notna().any() or after.customers[column].notna().any())


def _has_warnings(before: CommitteeSnapshot, after: CommitteeSnapshot) -> bool:
    """Both snapshots evaluated warnings (an empty portfolio counts as evaluated)."""
    return all(s.customers.empty or s.customers["warnings"].notna().any() for s in (before, after))


def _largest_first(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    rows = rows.sort_values([column, "customer_id"], ascending=[False, True])
    return rows.reset_index(drop=True)


# --- documents that moved bucket --------------------------------------------------------------


def bucket_moves(before: CommitteeSnapshot, after: CommitteeSnapshot) -> pd.DataFrame:
    """Amounts from each S1 bucket (or ``OPENED``) to each S2 bucket (or ``SETTLED`` /
    ``PART_PAID``), document by document; MOVE_COLUMNS, in bucket order, zero flows left out."""
    a = before.items[["invoice_id", "bucket", "open_amount"]]
    b = after.items[["invoice_id", "bucket", "open_amount"]]
    docs = a.merge(b, on="invoice_id", how="outer", suffixes=("_before", "_after"), sort=False)
    in_a, in_b = docs["bucket_before"].notna(), docs["bucket_after"].notna()
    amount_a = docs["open_amount_before"].fillna(0.0)
    amount_b = docs["open_amount_after"].fillna(0.0)
    from_label = _labels(docs["bucket_before"], before.bucket_labels).where(in_a, OPENED)
    to_label = _labels(docs["bucket_after"], after.bucket_labels).where(in_b, SETTLED)
    flows = pd.concat([
        pd.DataFrame({"from_bucket": from_label, "to_bucket": to_label,
                      "amount": amount_b.where(in_b, amount_a)}),
        pd.DataFrame({"from_bucket": from_label, "to_bucket": PART_PAID,
                      "amount": amount_a - amount_b})[in_a & in_b],
    ])  # fmt: skip
    flows = flows[flows["amount"].abs() >= OPEN_THRESHOLD]
    out = flows.groupby(["from_bucket", "to_bucket"], as_index=False).agg(
        amount=("amount", "sum"), n_documents=("amount", "size")
    )
    rows = [*before.bucket_labels, OPENED]
    columns = [*after.bucket_labels, SETTLED, PART_PAID]
    out["_r"] = out["from_bucket"].map({k: i for i, k in enumerate(rows)})
    out["_c"] = out["to_bucket"].map({k: i for i, k in enumerate(columns)})
    return out.sort_values(["_r", "_c"]).drop(columns=["_r", "_c"]).reset_index(drop=True)


def _labels(buckets: pd.Series, labels: list[str]) -> pd.Series:
    names = np.array(labels, dtype=object)
    index = buckets.fillna(0).astype(int).clip(0, len(labels) - 1).to_numpy()
    return pd.Series(names[index], index=buckets.index)


def bucket_matrix(changes: Changes) -> pd.DataFrame:
    """The bucket moves as a table: one row per S1 bucket (then ``OPENED``), one column per
    S2 bucket (then ``SETTLED``, ``PART_PAID``), 0 where nothing moved."""
    m = changes.bucket_moves
    rows = [b for b in m["from_bucket"].drop_duplicates()]
    wide = m.pivot_table(index="from_bucket", columns="to_bucket", values="amount",
                         aggfunc="sum", fill_value=0.0)  # fmt: skip
    columns = [c for c in [*changes.bucket_order, SETTLED, PART_PAID] if c in wide.columns]
    wide = wide.reindex(index=rows, columns=columns, fill_value=0.0)
    return wide.rename_axis(index="from_bucket", columns=None).reset_index()


# --- choosing the pair, and restatements -------------------------------------------------------


def default_pair(headers: pd.DataFrame, *, weekly: bool = False) -> tuple[int, int] | None:
    """The ids (S1, S2) to compare by default. S2 is the latest snapshot (latest as-of date,
    then the last taken). S1 is the one before it in that order, or with ``weekly`` the latest
    whose date is at least 7 days before S2's. None when there is no such pair."""
    if len(headers) < 2:
        return None
    order = headers.sort_values(["as_of", "snapshot_id"], ignore_index=True)
    latest = order.iloc[-1]
    earlier = order.iloc[:-1]
    if weekly:
        cutoff = pd.Timestamp(latest["as_of"]) - pd.Timedelta(days=WEEK_DAYS)
        earlier = earlier[pd.to_datetime(earlier["as_of"]) <= cutoff]
    if earlier.empty:
        return None
    return int(earlier.iloc[-1]["snapshot_id"]), int(latest["snapshot_id"])


def restated_figures(stored: CommitteeSnapshot, today: dict[str, Any]) -> pd.DataFrame:
    """The spec §7 figures of ``stored`` beside the same figures recomputed on today's ledger
    (``today``: a spec §7 JSON as of the same date), the difference, and whether it is a
    restatement (differs beyond rounding; a figure defined on one side only differs)."""
    frame = section7_figures(stored.metrics).rename(columns={"value": "stored"})
    now = section7_figures(today)[["key", "value"]].rename(columns={"value": "today"})
    frame = frame.merge(now, on="key", how="left")
    frame["difference"] = frame["today"] - frame["stored"]
    pairs = zip(frame["stored"], frame["today"], strict=True)
    frame["is_restated"] = [not _same(a, b) for a, b in pairs]
    return frame[RESTATED_COLUMNS]


def _same(a: float, b: float) -> bool:
    if pd.isna(a) or pd.isna(b):
        return bool(pd.isna(a) and pd.isna(b))
    return math.isclose(a, b, rel_tol=RESTATED_REL_TOL, abs_tol=RESTATED_ABS_TOL)


def restatements(engine: Engine, stored: CommitteeSnapshot) -> pd.DataFrame:
    """``restated_figures`` of ``stored`` against the spec §7 figures recomputed as of its
    date, with its options, on the ledger ``engine`` reads now (every entity)."""
    snap = snapshot(engine.scoped(None), stored.options)
    today = metrics_json(portfolio_metrics(snap), snap, stored.currency)
    return restated_figures(stored, today)
