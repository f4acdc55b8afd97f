"""Receipts from open AR: when the documents open at the as-of date will be paid.

Every open invoice gets a distribution of its payment date from how late its customer paid
before (amount-weighted, recent history weighted more), shrunk toward the customer's
segment × rating pool, and conditioned on what the as-of date already shows (an invoice
40 days past due will be paid more than 40 days late). Monte Carlo draws with shared
portfolio and customer shocks give honest intervals. The method, its constants and the
reasons for them are in docs/forecasting.md.

Days late (spec §4) = payment date − due date. A lateness distribution is a probability per
bin: one bin per day from ``MIN_DAYS_LATE`` to ``MAX_DAYS_LATE`` and a last bin ``NEVER``
for "not paid within ``MAX_DAYS_LATE`` days of the due date".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from core.errors import LedgerError
from engines import facts
from engines.base import Engine
from engines.memo import per_engine

MIN_DAYS_LATE = -120  # earlier payments count as 120 days early
MAX_DAYS_LATE = 365  # later ones count as "not paid" (bin NEVER)
N_BINS = MAX_DAYS_LATE - MIN_DAYS_LATE + 2
NEVER = N_BINS - 1
HISTORY_DAYS = 730  # outcomes known in the last two years count
HALF_LIFE_DAYS = 180  # an outcome known 180 days ago weighs half as much as today's
SHRINKAGE_K = 10.0  # own history weighs n_eff / (n_eff + 10) against the pool
TAIL_DAYS = 28  # tail rule: an item later than anything ever seen is paid within 4 weeks
DISPUTE_DELAY_DAYS = 60  # disputed items without disputed history: 60 days later than usual
DISPUTE_MODES = ("delay", "exclude")
QUANTILE_LEVELS = 4096  # resolution of the inverse-CDF tables the draws read
SHOCK_MIN_AGE_DAYS = 120  # shock correlations from due months at least this old
MAX_CORRELATION = 0.45  # cap on each shared-shock correlation
CHUNK_GROUPS = 2048  # open-item groups drawn at once (bounds memory)
MEMO_DATES = 2  # as-of dates whose lateness model and open-item groups an engine keeps


@dataclass(frozen=True)
class CashflowOptions:
    """What a projection depends on besides the ledger; hashable so the UI can cache on it."""

    as_of: date
    weeks: int = 13
    months: int = 12
    disputed: str = "delay"  # "delay": own lateness history of disputes; "exclude": not projected
    include_sales: bool = True  # add receipts from sales not yet invoiced
    draws: int = 500
    seed: int = 2024
    half_life_days: int = HALF_LIFE_DAYS

    def __post_init__(self) -> None:
        if self.disputed not in DISPUTE_MODES:
            raise LedgerError(
                f"disputed items: expected one of {', '.join(DISPUTE_MODES)}, got {self.disputed!r}"
            )
        if not 1 <= self.weeks <= 52:
            raise LedgerError(f"--weeks must be between 1 and 52, got {self.weeks}")
        if not 1 <= self.months <= 24:
            raise LedgerError(f"months must be between 1 and 24, got {self.months}")
        if not 50 <= self.draws <= 20_000:
            raise LedgerError(f"draws must be between 50 and 20,000, got {self.draws}")
        if self.half_life_days < 1:
            raise LedgerError(f"half-life must be at least 1 day, got {self.half_life_days}")


# --- lateness distributions ---------------------------------------------------------------


@dataclass(frozen=True)
class LatenessModel:
    """Payment-lateness distributions: row ``customer_key`` for each customer's undisputed
    invoices, the last row for disputed invoices (any customer)."""

    pmf: np.ndarray  # rows × N_BINS, each row sums to 1
    own_share: np.ndarray  # per customer: weight of its own history, n_eff / (n_eff + k)
    rho_portfolio: float  # correlation of payment timing shared by every item in a draw
    rho_customer: float  # extra correlation shared by one customer's items

    @property
    def disputed_row(self) -> int:
        return len(self.pmf) - 1


def lateness_history(engine: Engine, options: CashflowOptions) -> pd.DataFrame:
    """Observed lateness outcomes known at the as-of date, per customer × due month × bin
    (``analytics/sql/cashflow_lateness_history.sql``); ``bin`` is the column index 0..NEVER."""
    frame = facts.cashflow_lateness_history(
        engine,
        as_of=options.as_of,
        min_days=MIN_DAYS_LATE,
        max_days=MAX_DAYS_LATE,
        half_life_days=float(options.half_life_days),
        history_days=HISTORY_DAYS,
    )
    frame["bin"] = (frame["days_late_bin"] - MIN_DAYS_LATE).astype(np.int64)
    return frame


def histograms(history: pd.DataFrame, n_rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weighted histograms per customer: (rows × N_BINS weights, Σ weight, Σ weight²)."""
    row = history["customer_key"].to_numpy(np.int64)
    flat = row * N_BINS + history["bin"].to_numpy(np.int64)
    weight = history["weight"].to_numpy(float)
    hist = np.bincount(flat, weight, n_rows * N_BINS).astype(float).reshape(n_rows, N_BINS)
    squared = np.bincount(row, history["weight_squared"].to_numpy(float), n_rows).astype(float)
    return hist, hist.sum(axis=1), squared


def effective_n(total: np.ndarray, squared: np.ndarray) -> np.ndarray:
    """Kish's effective sample size (Σw)² / Σw² (0 where there is no history)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(squared > 0, total**2 / squared, 0.0)


def shrunk(hist: np.ndarray, n_eff: np.ndarray, prior: np.ndarray, k: float = SHRINKAGE_K):
    """α · own distribution + (1 − α) · prior with α = n_eff / (n_eff + k), row by row.

    Returns (distributions, α). Rows with no history are the prior.
    """
    total = hist.sum(axis=-1, keepdims=True)
    own = np.divide(hist, total, out=np.zeros_like(hist), where=total > 0)
    alpha = n_eff / (n_eff + k)
    return alpha[..., None] * own + (1 - alpha[..., None]) * prior, alpha


def portfolio_distribution(hist: np.ndarray) -> np.ndarray:
    """Every customer's history together; "paid on the due date" when there is none."""
    total = hist.sum(axis=0)
    return total / total.sum() if total.sum() > 0 else _on_due_date()


def pool_priors(
    hist: np.ndarray, total: np.ndarray, squared: np.ndarray, cell: np.ndarray
) -> np.ndarray:
    """Per customer: its segment × rating pool's distribution, itself shrunk toward the whole
    portfolio's."""
    n_cells = int(cell.max()) + 1 if len(cell) else 0
    cell_hist = np.zeros((n_cells, N_BINS))
    np.add.at(cell_hist, cell, hist)
    cell_n = effective_n(np.bincount(cell, total, n_cells), np.bincount(cell, squared, n_cells))
    cells, _ = shrunk(cell_hist, cell_n, portfolio_distribution(hist))
    return cells[cell]


def delayed(pmf: np.ndarray, days: int) -> np.ndarray:
    """The distribution shifted ``days`` later; what moves past MAX_DAYS_LATE joins NEVER."""
    out = np.zeros_like(pmf)
    out[days:NEVER] = pmf[: NEVER - days]
    out[NEVER] = pmf[NEVER - days :].sum()
    return out


def lateness_model(
    history: pd.DataFrame, customers: pd.DataFrame, as_of: date, k: float = SHRINKAGE_K
) -> LatenessModel:
    """Shrunk lateness distributions for every customer (rows = customer_key) and for
    disputed invoices (last row), with the shared-shock correlations of the history."""
    n = len(customers)
    disputed = history["is_disputed"].to_numpy(bool)
    hist, total, squared = histograms(history[~disputed], n)
    cell = pd.factorize(customers["segment"] + "\x1f" + customers["risk_rating"])[0]
    pmf, alpha = shrunk(hist, effective_n(total, squared), pool_priors(hist, total, squared, cell))
    rows = np.vstack([pmf, _disputed_pmf(history[disputed], hist)])
    rho_p, rho_c = shock_correlations(history[~disputed], rows, as_of)
    return LatenessModel(rows, alpha, rho_p, rho_c)


def lateness_model_at(engine: Engine, options: CashflowOptions) -> LatenessModel:
    """``lateness_model`` of ``lateness_history`` as of ``options.as_of``: over every customer
    whatever the view, so kept per engine, date and half-life (engines.memo) and shared by
    every customer filter, the Cash flow and Scenarios pages."""
    key = (options.as_of, options.half_life_days)

    def compute() -> LatenessModel:
        history = lateness_history(engine, options)
        return lateness_model(history, facts.customers(engine), options.as_of)

    return per_engine(engine, "lateness_model", key, MEMO_DATES, compute)


def _disputed_pmf(history: pd.DataFrame, undisputed: np.ndarray) -> np.ndarray:
    """Disputed invoices of any customer, shrunk toward the undisputed portfolio delayed by
    DISPUTE_DELAY_DAYS."""
    prior = delayed(portfolio_distribution(undisputed), DISPUTE_DELAY_DAYS)
    hist = np.bincount(history["bin"], history["weight"], N_BINS).astype(float)
    n_eff = effective_n(np.array([hist.sum()]), np.array([history["weight_squared"].sum()]))
    pmf, _ = shrunk(hist[None, :], n_eff, prior[None, :])
    return pmf[0]


def _on_due_date() -> np.ndarray:
    pmf = np.zeros(N_BINS)
    pmf[-MIN_DAYS_LATE] = 1.0
    return pmf


# --- shared shocks --------------------------------------------------------------------------


def intraclass_correlation(z: np.ndarray, n: np.ndarray, group: np.ndarray) -> float:
    """One-way ANOVA intraclass correlation of ``z`` (frequency weights ``n``) by ``group``:
    (MSB − MSW) / (MSB + (n0 − 1) MSW), clipped to [0, MAX_CORRELATION]."""
    _, g = np.unique(group, return_inverse=True)
    n_groups, total = g.max() + 1 if len(g) else 0, n.sum()
    if n_groups < 2 or total - n_groups < 1:
        return 0.0
    size, sums = np.bincount(g, n), np.bincount(g, n * z)
    means = sums / size
    between = (size * (means - sums.sum() / total) ** 2).sum() / (n_groups - 1)
    within = ((n * z * z).sum() - (size * means**2).sum()) / (total - n_groups)
    n0 = (total - (size**2).sum() / total) / (n_groups - 1)
    denominator = between + (n0 - 1) * within
    if denominator <= 0:
        return 0.0
    return float(np.clip((between - within) / denominator, 0.0, MAX_CORRELATION))


def shock_correlations(history: pd.DataFrame, pmf: np.ndarray, as_of: date) -> tuple[float, float]:
    """(portfolio, customer) correlations of payment timing from the undisputed history.

    Each past payment's days late becomes a normal score z = Φ⁻¹(mid-quantile of its bin in
    its customer's distribution). Payments for invoices due in the same month share a
    portfolio shock when their z-scores cluster by month (ICC by due month); a customer's
    share more when they cluster by customer × month beyond that. Only due months at least
    SHOCK_MIN_AGE_DAYS old count, so that unsettled (censored) recent invoices bias nothing.
    """
    cutoff = pd.Timestamp(as_of) - pd.Timedelta(days=SHOCK_MIN_AGE_DAYS)
    h = history[history["due_month"] < cutoff.year * 12 + cutoff.month - 1]
    if h.empty:
        return 0.0, 0.0
    row, b = h["customer_key"].to_numpy(np.int64), h["bin"].to_numpy(np.int64)
    below = np.cumsum(pmf, axis=1) - pmf
    z = ndtri(np.clip(below[row, b] + pmf[row, b] / 2, 1e-6, 1 - 1e-6))
    n, month = h["n_invoices"].to_numpy(float), h["due_month"].to_numpy(np.int64)
    rho_p = intraclass_correlation(z, n, month)
    rho_cm = intraclass_correlation(z, n, row * 100_000 + month)
    return rho_p, float(min(max(rho_cm - rho_p, 0.0), MAX_CORRELATION))


# --- open items and their draws -------------------------------------------------------------


def open_item_groups(
    engine: Engine, as_of: date, customer_keys: list[int] | None = None
) -> pd.DataFrame:
    """Open documents per customer × due date × disputed × sign
    (``engines/sql/cashflow_open_items.sql``) of the customers in ``customer_keys`` (all when
    None): the rows of every customer's groups at ``as_of`` (kept per engine, engines.memo),
    in the query's order."""
    every = per_engine(engine, "open_item_groups", as_of, MEMO_DATES,
                       lambda: facts.cashflow_open_items(engine, as_of=as_of, customer_keys=None))  # fmt: skip
    if customer_keys is None:
        return every.copy()
    return every[every["customer_key"].isin(customer_keys)].reset_index(drop=True)


@dataclass(frozen=True)
class Conditioned:
    """Per open-item group: what the distribution says given the days already past due."""

    row: np.ndarray  # row of the lateness model
    days_past_due: np.ndarray  # as_of − due_date
    collectible: np.ndarray  # amount expected to be paid at all (the never-paid part removed)
    lower: np.ndarray  # CDF of the paid part at days_past_due (draws start above it)
    tail: np.ndarray  # no history is this late: paid evenly over the next TAIL_DAYS days
    customer: np.ndarray  # customer_key: whose shared shock moves the group


def conditioned(
    pmf: np.ndarray,
    row: np.ndarray,
    days_past_due: np.ndarray,
    amount: np.ndarray,
    customer: np.ndarray | None = None,
) -> Conditioned:
    """Condition each group's distribution on lateness > days past due (spec §3 dpd).

    Mass left = paid bins after dpd + NEVER. The expected never-paid share NEVER / mass left
    is taken off the amount; with no mass left at all (a ledger where everything was paid,
    and this item is later than any payment ever seen) the tail rule applies.
    """
    paid = np.cumsum(pmf[:, :NEVER], axis=1)
    j = np.clip(days_past_due - MIN_DAYS_LATE, -1, NEVER - 1)
    before = np.where(j >= 0, paid[row, np.maximum(j, 0)], 0.0)
    paid_after = paid[row, -1] - before
    left = paid_after + pmf[row, NEVER]
    tail = left <= 1e-12
    share = np.where(tail, 1.0, np.divide(paid_after, left, out=np.zeros_like(left), where=~tail))
    share = np.where(paid_after <= 1e-12, np.where(tail, 1.0, 0.0), share)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = np.where(paid[row, -1] > 0, before / paid[row, -1], 0.0)
    who = row if customer is None else customer
    return Conditioned(row, days_past_due, amount * share, np.clip(lower, 0.0, 1.0), tail, who)


def quantile_tables(pmf: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Inverse CDF of each row's paid part at QUANTILE_LEVELS mid-levels: rows × levels of
    bin indices (only the rows in ``rows`` are filled).

    Level j's bin is the number of bins whose normalised CDF is below the level (a search of
    the CDF per level). The same comparisons the other way round, for a chunk of rows at once:
    each bin's CDF finds the first level above it (``first_level_above``), and bin count k
    fills the levels from the k-th such level up to the next."""
    counts = np.minimum(np.arange(NEVER + 1), NEVER - 1).astype(np.int16)
    tables = np.zeros((len(pmf), QUANTILE_LEVELS), np.int16)
    rows = np.unique(rows)
    for start in range(0, len(rows), CHUNK_GROUPS):
        part = rows[start : start + CHUNK_GROUPS]
        cdf = np.cumsum(pmf[part, :NEVER], axis=1)
        part, cdf = part[cdf[:, -1] > 0], cdf[cdf[:, -1] > 0]
        above = first_level_above(cdf / cdf[:, -1:])
        bounds = np.pad(above, ((0, 0), (1, 1)), constant_values=(0, QUANTILE_LEVELS))
        spans = np.diff(bounds, axis=1)  # levels at each count 0 … NEVER, QUANTILE_LEVELS a row
        tables[part] = np.repeat(np.tile(counts, len(part)), spans.ravel()).reshape(len(part), -1)
    return tables


def first_level_above(cdf: np.ndarray) -> np.ndarray:
    """Per value: the first of the mid-levels (j + 0.5) / QUANTILE_LEVELS above it, i.e. how
    many are at or below it. The levels are exact binary fractions and value × levels is
    exact, so floor(value × levels − 0.5) + 1 is the count a search would find."""
    below = np.floor(cdf * QUANTILE_LEVELS - 0.5).astype(np.int64) + 1
    return np.clip(below, 0, QUANTILE_LEVELS)


def draw_receipts(
    c: Conditioned, model: LatenessModel, horizon_days: int, draws: int, seed: int
) -> np.ndarray:
    """Receipts per draw and day: draws × (horizon_days + 1); column t − 1 holds day as_of + t,
    the last column everything paid later. Each draw pays every group's collectible amount
    once, so every row sums to Σ collectible.

    A group's quantile u = Φ(√ρp·Zp + √ρc·Zc + √(1 − ρp − ρc)·ε): Zp shared by all items of a
    draw, Zc by one customer's items, ε the item's own; u keeps each item's distribution and
    makes the draws' totals vary as much as the history says items move together.
    """
    rng = np.random.default_rng(seed)
    rho_p, rho_c = model.rho_portfolio, model.rho_customer
    z_portfolio = rng.standard_normal(draws).astype(np.float32)
    z_customer = rng.standard_normal((len(model.pmf), draws), dtype=np.float32)
    shared = np.sqrt(rho_p) * z_portfolio + np.sqrt(rho_c) * z_customer  # once per customer
    own = np.sqrt(1 - rho_p - rho_c)
    tables = quantile_tables(model.pmf, c.row[~c.tail])
    width = horizon_days + 1
    out = np.zeros(draws * width)
    for start in range(0, len(c.row), CHUNK_GROUPS):
        part = slice(start, start + CHUNK_GROUPS)
        eps = rng.standard_normal((len(c.row[part]), draws), dtype=np.float32)
        u = ndtr(shared[c.customer[part]] + own * eps)
        days = _days_after_as_of(c, part, u, tables, horizon_days)
        days += (np.arange(draws, dtype=np.int32) * width - 1)[None, :]  # flat draw × day
        weights = np.repeat(c.collectible[part], draws)
        out += np.bincount(days.ravel(), weights, draws * width)
    return out.reshape(draws, width)


def _days_after_as_of(
    c: Conditioned, part: slice, u: np.ndarray, tables: np.ndarray, horizon_days: int
) -> np.ndarray:
    """Payment day (days after as_of, 1 … horizon_days + 1, the last = later) per group × draw
    from quantiles ``u`` (overwritten)."""
    dpd, row = c.days_past_due[part], c.row[part]
    tail = c.tail[part]
    tail_days = 1 + (u[tail] * TAIL_DAYS).astype(np.int32)
    lower = c.lower[part, None]
    u *= 1 - lower  # the level of u above the paid part before dpd, as (lower + u(1 − lower))
    u += lower
    u *= QUANTILE_LEVELS
    level = u.astype(np.int32)
    np.minimum(level, QUANTILE_LEVELS - 1, out=level)
    level += (row * QUANTILE_LEVELS).astype(np.int32)[:, None]
    j = tables.ravel().take(level).astype(np.int32)
    first = np.clip(dpd - MIN_DAYS_LATE + 1, 0, NEVER - 1)
    np.maximum(j, first.astype(np.int32)[:, None], out=j)
    j += (MIN_DAYS_LATE - dpd).astype(np.int32)[:, None]
    np.clip(j, 1, horizon_days + 1, out=j)
    j[tail] = np.minimum(tail_days, horizon_days + 1)
    return j
