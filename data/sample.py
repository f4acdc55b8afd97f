"""Deterministic sample ledger (spec §1): customers, invoices, payments, fx_rates, orders.

`generate_sample` writes a realistic receivables ledger of any size into a folder, as
Parquet or CSV. The same arguments always give byte-identical files. Everything is
drawn with numpy in whole-array operations (no Python loop per document), kept as
compact arrays (integer day numbers, customer indices) and turned into text ids only
while writing, one chunk of rows at a time.

The model (the constants below hold every share and parameter):

- customers: Pareto sizes (shape 1.2, so at 300 customers the top 10 carry ~40 % of
  sales); segment follows size; risk rating A–E skewed to B/C and better for larger
  customers; terms 30/45/60/90 by segment; ~15 % belong to a group of 2–5 customers;
  some join late, some churn, a few E-rated customers default and stop paying.
- invoices: dates follow a calendar intensity (weekdays, a summer dip, a Q4 peak,
  8 % yearly growth); amounts lognormal around the customer's ticket size; eurozone
  customers are billed in EUR; ~2.5 % disputed; ~3 % of documents are credit notes,
  80 % of them applied to an earlier invoice of the same customer, never larger than it.
- payments: days late = the customer's persistent habit (by rating and industry) plus a
  right-skewed per-invoice draw; disputes pay 30–150 days later and 40 % of them only in
  part; ~15 % of paid invoices in 2–3 instalments; weekend receipts move to Monday;
  nothing after `end_date`; a handful of small deliberate overpayments; ~0.2 % of payments
  are unapplied cash on account (small, mostly from the last 30 days: ~1 % of AR).
- deteriorating payers (spec §10 needs something to find beyond the current max dpd):
  5-18 % of the customers (more in worse ratings) start paying later and later some day and
  level off 45-150 days later than before. Failing customers pay a little later each month
  for 3-8 months, dispute ~25 % of what they buy meanwhile, then buy 1.5-3x more from 45
  days before their default and pay none of that: the E-rated defaulters and 70 % of the
  non-Enterprise churners then stop buying, 1-20 % of the other non-Enterprise customers (by
  rating) trade on strict terms (paid on the due date) from 10-40 days later.
- write-offs (spec §8): ~80 % of the invoices never paid get a credit note for what is owed
  180-300 days after the due date (when that is by `end_date`): a write-off for a D or
  E-rated or failing customer; for a better one the invoice is flagged disputed and the
  credit is commercial. They take the rows of standalone credit notes (the row count holds).
- credit limits: about (terms/30 + 1) months of sales; ~7 % of limited customers set
  below their exposure at `end_date` (over limit), the rest 30-90 % above it; ~5 % with no
  limit; ~60 % insured.
- random streams: the drift, the failures, the write-offs and the limit dates each draw
  from a stream of their own (seed, k), so the other customers' documents and payments stay
  as they were.
- fx_rates: EUR in USD per EUR on business days, a random walk around 1.08.
- orders: open orders (some shipped or cancelled) in the last 60 days.

Conventions where spec §1 leaves a choice: ids C00001, INV0000001, PAY0000001, SO000001
(more digits once a count needs them), documents, payments and orders numbered in date
order; a group's parent is its largest member's customer_id; a credit note is
due on its own date and is never paid or refunded; every document carries its currency
(USD or EUR), none is empty; CSV files show money with two decimals, ISO dates, `true` /
`false` and empty cells for "none" (no limit, unapplied cash, stand-alone credit).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from data.schema import CUSTOMERS, DEFAULT_CURRENCY, FX_RATES, INVOICES, ORDERS, PAYMENTS, Table

FILE_FORMATS = ("parquet", "csv")
CHUNK_ROWS = 1_000_000
EPOCH = date(1970, 1, 1)
SECOND_CURRENCY = "EUR"
CURRENCIES = np.array([DEFAULT_CURRENCY, SECOND_CURRENCY])
# spec §8: two selling legal entities, one per billing currency (a customer buys from the
# entity of its currency)
ENTITIES = np.array(["US01", "EU01"])
LIMIT_REVIEW_MAX_DAYS = 540  # a limit was last set or reviewed up to 18 months before the end

# Customers ---------------------------------------------------------------------------
PARETO_SHAPE = 1.2
SEGMENTS = np.array(["Enterprise", "Mid-market", "SMB"])
SEGMENT_RANK_EDGES = (0.08, 0.35)  # size-rank quantiles where Mid-market and SMB start
RATINGS = np.array(["A", "B", "C", "D", "E"])
RATING_PROBS = np.array(  # rows: segment; columns: A..E
    [
        [0.25, 0.40, 0.25, 0.08, 0.02],
        [0.10, 0.32, 0.36, 0.15, 0.07],
        [0.07, 0.27, 0.37, 0.19, 0.10],
    ]
)
TERMS_DAYS = np.array([30, 45, 60, 90])
TERMS_PROBS = np.array(  # rows: segment; columns: TERMS_DAYS
    [[0.15, 0.20, 0.35, 0.30], [0.35, 0.30, 0.25, 0.10], [0.60, 0.25, 0.12, 0.03]]
)
# (country, region, billing currency index, share of customers, legal-form suffixes)
COUNTRIES = (
    ("United States", "North America", 0, 0.38, ("Inc.", "LLC", "Corp.")),
    ("Canada", "North America", 0, 0.07, ("Ltd.", "Inc.")),
    ("Germany", "Europe", 1, 0.08, ("GmbH", "AG")),
    ("France", "Europe", 1, 0.06, ("SAS", "SA")),
    ("Netherlands", "Europe", 1, 0.03, ("B.V.",)),
    ("Italy", "Europe", 1, 0.03, ("S.p.A.", "S.r.l.")),
    ("Spain", "Europe", 1, 0.03, ("S.L.", "S.A.")),
    ("United Kingdom", "Europe", 0, 0.05, ("Ltd", "plc")),
    ("Sweden", "Europe", 0, 0.02, ("AB",)),
    ("Japan", "APAC", 0, 0.04, ("K.K.",)),
    ("Australia", "APAC", 0, 0.04, ("Pty Ltd",)),
    ("Singapore", "APAC", 0, 0.03, ("Pte Ltd",)),
    ("India", "APAC", 0, 0.02, ("Pvt Ltd",)),
    ("South Korea", "APAC", 0, 0.02, ("Co., Ltd.",)),
    ("Brazil", "LATAM", 0, 0.04, ("Ltda", "S.A.")),
    ("Mexico", "LATAM", 0, 0.04, ("S.A. de C.V.",)),
    ("Chile", "LATAM", 0, 0.01, ("SpA",)),
    ("Colombia", "LATAM", 0, 0.01, ("S.A.S.",)),
)
# (industry, days-late offset, name nouns)
INDUSTRIES = (
    ("Manufacturing", 0.0, ("Industries", "Manufacturing", "Components", "Engineering")),
    ("Retail", 2.0, ("Retail", "Stores", "Outfitters", "Market")),
    ("Wholesale Distribution", 1.0, ("Distribution", "Supply", "Trading", "Wholesale")),
    ("Construction", 6.0, ("Construction", "Builders", "Contractors", "Infrastructure")),
    ("Healthcare", 4.0, ("Health", "Medical", "Clinics", "Pharma")),
    ("Technology", 0.0, ("Technologies", "Systems", "Software", "Digital")),
    ("Transportation & Logistics", 2.0, ("Logistics", "Freight", "Transport", "Shipping")),
    ("Energy", -1.0, ("Energy", "Power", "Utilities", "Resources")),
    ("Food & Beverage", 1.0, ("Foods", "Beverages", "Farms", "Provisions")),
)
# fmt: off
BRAND_FIRST = (
    "Apex", "Atlas", "Blue", "Bright", "Cedar", "Coastal", "Crescent", "Delta", "Eagle",
    "Evergreen", "First", "Golden", "Granite", "Harbor", "Highland", "Horizon", "Iron",
    "Keystone", "Lakeside", "Liberty", "Meridian", "Metro", "Noble", "North", "Oak", "Pacific",
    "Pinnacle", "Prime", "Quantum", "Red", "River", "Royal", "Silver", "Sterling", "Summit",
    "Sun", "Titan", "Union", "United", "Valley", "Vertex", "West", "Zenith",
)
BRAND_SECOND = (
    "Bridge", "Crest", "Field", "Forge", "Gate", "Point", "Ridge", "Rock", "Star", "Stone",
    "Wave", "Way", "Line", "Path", "Peak", "Park", "Hill", "Bay", "Port", "Works",
)
# fmt: on
GROUP_SHARE = 0.15
GROUP_SIZES, GROUP_SIZE_PROBS = np.array([2, 3, 4, 5]), np.array([0.45, 0.30, 0.15, 0.10])
LATE_JOINER_SHARE, CHURN_SHARE, DEFAULTER_SHARE_OF_E = 0.20, 0.05, 0.30

# Payment behaviour by rating A..E: mean days late, spread of customer habits, tail scale
LATE_BASE_DAYS = np.array([-3.0, 4.0, 10.0, 22.0, 45.0])
HABIT_SD_DAYS = np.array([3.0, 4.0, 6.0, 10.0, 15.0])
LATE_TAIL_DAYS = np.array([3.0, 5.0, 9.0, 15.0, 30.0])
WRITE_OFF_PROB = np.array([0.0, 0.0003, 0.001, 0.004, 0.02])

# Documents and payments ----------------------------------------------------------------
MONTH_SEASONALITY = np.array([0.9, 0.95, 1.05, 1.0, 1.0, 0.95, 0.8, 0.75, 1.05, 1.1, 1.2, 1.15])
WEEKDAY_INTENSITY = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.06, 0.03])  # Mon..Sun
YEARLY_GROWTH = 0.08
MEAN_TICKET_USD = 3_000.0
AMOUNT_SIGMA = 0.8
CREDIT_NOTE_SHARE, APPLIED_CREDIT_SHARE = 0.03, 0.80
DISPUTED_SHARE, DISPUTED_PARTIAL_SHARE = 0.025, 0.40
INSTALMENT_SHARE, UNAPPLIED_SHARE, OVERPAYMENT_SHARE = 0.15, 0.002, 0.0002

# Deteriorating payers, failures and write-offs (own random streams: other figures stay) --
# by rating A..E: the share of the customers still trading whose lateness grows from some
# day on ...
DRIFT_SHARE = np.array([0.05, 0.08, 0.10, 0.14, 0.18])
DRIFT_DAYS_PER_MONTH = (6.0, 18.0)  # ... by this many days per 30 days of due date ...
DRIFT_CAP_DAYS = (45.0, 150.0)  # ... until it levels off this many days later than before
DRIFT_LAST_START_DAYS = 60  # a drift starts 90+ days after the first invoice, 60+ before the end
# by rating A..E: the share of the non-Enterprise customers still trading that fail (below),
# then trade on strict terms (paid on the due date); 70 % of the non-Enterprise churners fail
# too (and stop buying), as do the E-rated defaulters above
FAILING_SHARE = np.array([0.01, 0.03, 0.06, 0.12, 0.20])
FAILING_CHURNER_SHARE = 0.70
FAILING_LEAD_DAYS = (90, 240)  # a failing customer pays later and later for this long ...
FAILING_DAYS_PER_MONTH = (3.0, 10.0)  # ... by this many days per 30 days, then defaults
FAILING_SPIKE = (1.5, 3.0)  # what it buys in its last 45 days (never paid) is this much larger
FAILING_DISPUTED_SHARE = 0.25  # of what it buys while it deteriorates, it disputes
FAILING_HOLD_DAYS = (10, 40)  # days from a trading customer's default to its credit hold
WRITE_OFF_SHARE = 0.80  # of the never-paid invoices, written off ...
WRITE_OFF_DELAY_DAYS = (180, 301)  # ... this many days after the due date (if by end_date)

# Limits, insurance, orders ---------------------------------------------------------------
NO_LIMIT_SHARE, OVER_LIMIT_SHARE = 0.05, 0.07
INSURED_PROB = np.array([0.80, 0.72, 0.62, 0.45, 0.20])  # by rating: ~60 % overall
ORDER_CUSTOMER_SHARE, ORDER_WINDOW_DAYS = 0.40, 60
ORDER_STATUSES, ORDER_STATUS_PROBS = np.array(["open", "shipped", "cancelled"]), [0.85, 0.1, 0.05]
FX_MEAN_RATE, FX_DAILY_VOL = 1.08, 0.004

Progress = Callable[[float, str], None]


def generate_sample(
    out_dir: Path | str,
    *,
    invoices: int = 60_000,
    customers: int | None = None,
    years: int = 3,
    end_date: date = date(2026, 10, 31),
    seed: int = 7,
    file_format: str = "parquet",
    progress: Progress | None = None,
) -> dict[str, int]:
    """Write a sample ledger into `out_dir` and return the rows written per table.

    `invoices` is the exact number of rows of the invoices table (credit notes
    included, ~3 % of them); `customers` defaults to max(20, round(invoices / 200)).
    Documents run from the day after `end_date` minus `years` years to `end_date`.
    Raises ValueError for a count or `years` below 1 or an unknown `file_format`.
    """
    n_customers = _validated(invoices, customers, years, file_format)
    report = progress or (lambda _fraction, _message: None)
    rng = np.random.default_rng(seed)
    cal = _calendar(end_date, years)
    report(0.0, f"customers ({n_customers:,})")
    cust = _customers(rng, n_customers, cal)
    fx = _fx_rates(rng, cal)
    report(0.02, f"invoices ({invoices:,})")
    docs = _documents(rng, cust, cal, invoices)
    report(0.25, "payments")
    pays, owed = _payments(rng, cust, docs, cal)
    orders = _orders(rng, cust, cal)
    # streams of their own for what spec §8 and §10 need (deteriorating and failing payers,
    # write-offs, limit dates), so that everyone else's figures stay as they were
    docs, pays = _deteriorated(seed, cust, docs, pays, owed, cal)
    _set_credit_limits(rng, cust, docs, pays, orders, float(fx.rate[-1]))
    cust.limit_day = _limit_days(np.random.default_rng([seed, 8]), cust, cal)
    report(0.5, "sorting")
    docs, position = _sorted_documents(rng, docs)
    pays.invoice = np.where(pays.invoice >= 0, position[np.maximum(pays.invoice, 0)], -1)
    pays = _sorted_payments(rng, pays)
    ids = _Ids.for_sizes(n_customers, invoices, len(pays.day), len(orders.day))
    return _write_all(Path(out_dir), file_format, cust, docs, pays, fx, orders, ids, report)


def _validated(invoices: int, customers: int | None, years: int, file_format: str) -> int:
    if invoices < 1:
        raise ValueError(f"invoices must be at least 1, got {invoices}")
    if customers is not None and customers < 1:
        raise ValueError(f"customers must be at least 1, got {customers}")
    if years < 1:
        raise ValueError(f"years must be at least 1, got {years}")
    if file_format not in FILE_FORMATS:
        raise ValueError(
            f"file_format must be one of {', '.join(FILE_FORMATS)}, got {file_format!r}"
        )
    return customers if customers is not None else max(20, round(invoices / 200))


def _credit_note_count(invoices: int) -> int:
    return round(CREDIT_NOTE_SHARE * invoices) if invoices >= 20 else 0


# Calendar ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Calendar:
    """Day numbers since 1970-01-01 and the cumulative invoicing intensity per day."""

    start_day: int
    end_day: int
    cum: np.ndarray  # cum[k] = intensity of days start_day .. start_day + k, total 1

    def mass_before(self, day: np.ndarray) -> np.ndarray:
        k = np.clip(day - self.start_day, 0, len(self.cum))
        return np.where(k > 0, self.cum[np.maximum(k - 1, 0)], 0.0)

    def day_at_mass(self, mass: np.ndarray) -> np.ndarray:
        k = np.searchsorted(self.cum, mass, side="right")
        return self.start_day + np.minimum(k, len(self.cum) - 1)

    def random_days(self, rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """Days in [lo, hi] (per element) drawn with the calendar's intensity."""
        m_lo, m_hi = self.mass_before(lo), self.mass_before(hi + 1)
        days = self.day_at_mass(m_lo + rng.random(len(lo)) * (m_hi - m_lo))
        return np.clip(days, lo, hi)


def _calendar(end_date: date, years: int) -> _Calendar:
    try:
        first = end_date.replace(year=end_date.year - years)
    except ValueError:  # 29 February
        first = end_date.replace(year=end_date.year - years, day=28)
    start_day = (first - EPOCH).days + 1
    end_day = (end_date - EPOCH).days
    days = np.arange(start_day, end_day + 1)
    month = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
    intensity = (
        WEEKDAY_INTENSITY[_weekday(days)]
        * MONTH_SEASONALITY[month]
        * (1 + YEARLY_GROWTH) ** ((days - start_day) / 365.25)
    )
    cum = np.cumsum(intensity)
    return _Calendar(start_day, end_day, cum / cum[-1])


def _weekday(days: np.ndarray) -> np.ndarray:
    """0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday)."""
    return (days + 3) % 7


def _next_business_day(days: np.ndarray) -> np.ndarray:
    wd = _weekday(days)
    return days + np.where(wd == 5, 2, np.where(wd == 6, 1, 0))


def _previous_business_day(days: np.ndarray) -> np.ndarray:
    wd = _weekday(days)
    return days - np.where(wd == 5, 1, np.where(wd == 6, 2, 0))


def _categorical(rng: np.random.Generator, probs: np.ndarray) -> np.ndarray:
    """One draw per row of `probs` (rows sum to 1): the chosen column index."""
    cum = np.cumsum(probs, axis=1)
    return (rng.random(len(probs))[:, None] >= cum[:, :-1]).sum(axis=1)


def _lognormal(rng: np.random.Generator, sigma: float, size: int) -> np.ndarray:
    """Lognormal with mean 1."""
    return rng.lognormal(-sigma * sigma / 2, sigma, size)


# Customers -----------------------------------------------------------------------------


@dataclass
class _Customers:
    weight: np.ndarray  # Pareto size, sales share is proportional to weight x active time
    segment: np.ndarray
    rating: np.ndarray
    country: np.ndarray
    industry: np.ndarray
    terms: np.ndarray
    parent: np.ndarray  # index of the group's parent customer (itself when ungrouped)
    start_day: np.ndarray
    stop_day: np.ndarray  # last day it is invoiced
    default_day: np.ndarray  # pays nothing invoiced from 45 days before (far future = never)
    ticket: np.ndarray  # mean invoice amount, USD
    habit: np.ndarray  # mean days late
    invoice_share: np.ndarray  # expected share of all invoices
    names: list[str]
    credit_limit: np.ndarray | None = None  # NaN = no limit
    insured_limit: np.ndarray | None = None  # NaN = uninsured
    limit_day: np.ndarray | None = None  # credit_limit_date (spec §8), NaN-free int days

    @property
    def currency(self) -> np.ndarray:
        return np.array([c[2] for c in COUNTRIES])[self.country]


def _customers(rng: np.random.Generator, n: int, cal: _Calendar) -> _Customers:
    rank = rng.permutation(n)
    weight = ((rank + 0.5) / n) ** (-1 / PARETO_SHAPE) * _lognormal(rng, 0.15, n)
    segment = np.searchsorted(np.array(SEGMENT_RANK_EDGES) * n, rank, side="right")
    rating = _categorical(rng, RATING_PROBS[segment])
    country_p = np.array([c[3] for c in COUNTRIES])
    country = rng.choice(len(COUNTRIES), n, p=country_p / country_p.sum())
    industry = rng.integers(0, len(INDUSTRIES), n)
    terms = TERMS_DAYS[_categorical(rng, TERMS_PROBS[segment])]
    parent = _group_parents(rng, weight)
    start, stop, default = _activity(rng, cal, rating, segment)
    active_mass = cal.mass_before(stop + 1) - cal.mass_before(start)
    share = weight**0.6 * active_mass
    share /= share.sum()
    ticket_raw = weight**0.4 * _lognormal(rng, 0.2, n)
    ticket = ticket_raw * MEAN_TICKET_USD / (share @ ticket_raw)
    offsets = np.array([i[1] for i in INDUSTRIES])[industry]
    habit = LATE_BASE_DAYS[rating] + HABIT_SD_DAYS[rating] * rng.standard_normal(n) + offsets
    names = _names(rng, country, industry, parent)
    return _Customers(
        weight, segment, rating, country, industry, terms, parent, start, stop, default,
        ticket, habit, share, names,
    )  # fmt: skip


def _group_parents(rng: np.random.Generator, weight: np.ndarray) -> np.ndarray:
    """~15 % of customers in groups of 2-5; the largest member is the group's parent."""
    n = len(weight)
    parent = np.arange(n)
    sizes = rng.choice(GROUP_SIZES, max(1, n // 2), p=GROUP_SIZE_PROBS)
    cum = np.cumsum(sizes)  # groups up to the one that reaches 15 %, and never more than n
    n_groups = min(np.searchsorted(cum, GROUP_SHARE * n) + 1, np.searchsorted(cum, n, "right"))
    sizes = sizes[:n_groups]
    members = rng.permutation(n)[: sizes.sum()]
    label = np.repeat(np.arange(n_groups), sizes)
    by_size = np.lexsort((-weight[members], label))  # per group, largest member first
    first = np.cumsum(sizes) - sizes
    parent[members[by_size]] = np.repeat(members[by_size][first], sizes)
    return parent


def _activity(
    rng: np.random.Generator, cal: _Calendar, rating: np.ndarray, segment: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First and last invoicing day per customer, and the day defaulters stop paying."""
    n, span = len(rating), cal.end_day - cal.start_day
    joins = rng.random(n) < LATE_JOINER_SHARE
    start = cal.start_day + np.where(joins, (rng.random(n) * 0.85 * span).astype(np.int64), 0)
    churns = rng.random(n) < CHURN_SHARE
    churn_day = start + ((cal.end_day - start) * rng.uniform(0.3, 0.9, n)).astype(np.int64)
    stop = np.where(churns, churn_day, cal.end_day)
    defaults = (rating == 4) & (segment > 0) & (rng.random(n) < DEFAULTER_SHARE_OF_E)
    default_day = cal.end_day - rng.integers(45, 300, n)
    defaults &= default_day > start + 90
    stop = np.where(defaults, np.minimum(default_day + rng.integers(10, 40, n), stop), stop)
    stop = np.maximum(stop, np.minimum(start + 30, cal.end_day))
    return start, stop, np.where(defaults, default_day, cal.end_day + 100_000)


def _names(
    rng: np.random.Generator, country: np.ndarray, industry: np.ndarray, parent: np.ndarray
) -> list[str]:
    """'<brand> <industry noun> <legal form>'; members of a group share the brand."""
    n = len(country)
    n_brands = len(BRAND_FIRST) * len(BRAND_SECOND)
    brand = rng.choice(n_brands, n, replace=n > n_brands)[parent]
    noun, form = rng.integers(0, 4, n), rng.integers(0, 6, n)
    seen: dict[str, int] = {}
    names = []
    for i in range(n):
        b, (_, _, _, _, forms) = brand[i], COUNTRIES[country[i]]
        name = (
            f"{BRAND_FIRST[b // len(BRAND_SECOND)]} {BRAND_SECOND[b % len(BRAND_SECOND)]} "
            f"{INDUSTRIES[industry[i]][2][noun[i]]} {forms[form[i] % len(forms)]}"
        )
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return names


# Documents -----------------------------------------------------------------------------


@dataclass
class _Documents:
    """Invoices and credit notes. `target` = index of the invoice a credit note reduces."""

    cust: np.ndarray
    day: np.ndarray
    due: np.ndarray
    amount: np.ndarray  # document currency, negative for credit notes
    disputed: np.ndarray
    target: np.ndarray  # -1 = none
    write_off: np.ndarray  # a credit note that writes its target off (spec §8)
    n_invoices: int  # rows [0, n_invoices) are invoices, the rest credit notes


_DOC_ARRAYS = ("cust", "day", "due", "amount", "disputed", "target", "write_off")


def _documents(
    rng: np.random.Generator, cust: _Customers, cal: _Calendar, n_rows: int
) -> _Documents:
    n_cn = _credit_note_count(n_rows)
    n_inv = n_rows - n_cn
    c = np.repeat(np.arange(len(cust.weight)), rng.multinomial(n_inv, cust.invoice_share))
    day = cal.random_days(rng, cust.start_day[c], cust.stop_day[c])
    usd = np.maximum(cust.ticket[c] * _lognormal(rng, AMOUNT_SIGMA, n_inv), 25.0)
    amount = np.round(np.where(cust.currency[c] == 1, usd / FX_MEAN_RATE, usd), 2)
    disputed = rng.random(n_inv) < DISPUTED_SHARE
    no = np.zeros(n_inv, bool)
    inv = _Documents(c, day, day + cust.terms[c], amount, disputed, np.full(n_inv, -1), no, n_inv)
    n_applied = min(round(APPLIED_CREDIT_SHARE * n_cn), n_inv)
    applied = _applied_credit_notes(rng, inv, cal, n_applied)
    standalone = _standalone_credit_notes(rng, cust, cal, n_cn - n_applied)
    return _concat_documents(inv, applied, standalone)


def _applied_credit_notes(
    rng: np.random.Generator, inv: _Documents, cal: _Calendar, n: int
) -> _Documents:
    """Credit notes against distinct invoices (disputed ones 20x as likely), 25 % in full."""
    weight = np.where(inv.disputed, 20.0, 1.0)
    keys = np.log(rng.random(len(weight))) / weight  # weighted sampling without replacement
    target = np.sort(np.argpartition(-keys, n - 1)[:n]) if n else np.zeros(0, np.int64)
    disputed = inv.disputed[target]
    fraction = np.where(
        rng.random(n) < 0.25,
        1.0,
        np.where(disputed, rng.uniform(0.2, 0.8, n), rng.uniform(0.05, 0.5, n)),
    )
    delay = np.where(disputed, rng.integers(20, 150, n), rng.integers(0, 45, n))
    day = _next_business_day(inv.day[target] + delay)
    day = np.minimum(day, cal.end_day)
    amount = -np.round(inv.amount[target] * fraction, 2)
    no = np.zeros(n, bool)
    return _Documents(inv.cust[target], day, day, amount, no, target, no, 0)


def _standalone_credit_notes(
    rng: np.random.Generator, cust: _Customers, cal: _Calendar, n: int
) -> _Documents:
    """Rebates and goodwill credits with no invoice, due at once."""
    c = rng.choice(len(cust.weight), n, p=cust.invoice_share)
    day = cal.random_days(rng, cust.start_day[c], cust.stop_day[c])
    usd = cust.ticket[c] * rng.uniform(0.05, 0.5, n)
    amount = -np.round(np.where(cust.currency[c] == 1, usd / FX_MEAN_RATE, usd), 2)
    no = np.zeros(n, bool)
    return _Documents(c, day, day, amount, no, np.full(n, -1), no, 0)


def _concat_documents(inv: _Documents, *credits: _Documents) -> _Documents:
    parts = (inv, *credits)
    return _Documents(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in _DOC_ARRAYS),
        n_invoices=inv.n_invoices,
    )


def _sorted_documents(rng: np.random.Generator, docs: _Documents) -> tuple[_Documents, np.ndarray]:
    """Documents in numbering order: by date, credit notes after the day's invoices.

    Returns them with each old row's new position.
    """
    n = len(docs.day)
    is_cn = np.arange(n) >= docs.n_invoices
    key = (docs.day.astype(np.int64) << 33) | (is_cn.astype(np.int64) << 32)
    order = np.argsort(key | rng.integers(0, 2**32, n), kind="stable")
    position = np.empty(n, np.int64)
    position[order] = np.arange(n)
    target = docs.target[order]
    target = np.where(target >= 0, position[np.maximum(target, 0)], -1)
    fields = {f: getattr(docs, f)[order] for f in _DOC_ARRAYS if f != "target"}
    return _Documents(**fields, target=target, n_invoices=docs.n_invoices), position


# Payments ------------------------------------------------------------------------------


@dataclass
class _Payments:
    cust: np.ndarray
    day: np.ndarray
    amount: np.ndarray  # payment currency = the invoice's (customer's) currency
    invoice: np.ndarray  # document index, -1 = unapplied cash


def _payments(
    rng: np.random.Generator, cust: _Customers, docs: _Documents, cal: _Calendar
) -> tuple[_Payments, np.ndarray]:
    """The payments, and per invoice the amount that will never be paid (0 = paid)."""
    n = docs.n_invoices
    net = _net_of_credits(docs)
    cn = np.flatnonzero(docs.target >= 0)
    cn_day = np.zeros(n, np.int64)
    cn_day[docs.target[cn]] = docs.day[cn]
    pay_amount, pay_day = _settlements(rng, cust, docs, net, cn_day)
    paying = np.flatnonzero(pay_amount >= 0.005)
    applied = _instalments(rng, paying, pay_amount[paying], pay_day[paying], docs.day[paying])
    applied.cust = docs.cust[applied.invoice]
    keep = applied.day <= cal.end_day
    applied = _Payments(*(getattr(applied, f)[keep] for f in _PAY_ARRAYS))
    applied = _overpaid(rng, applied, pay_amount == net)
    unapplied = _unapplied_cash(rng, cust, cal, round(len(applied.day) * UNAPPLIED_SHARE))
    pays = _Payments(
        *(np.concatenate([getattr(applied, f), getattr(unapplied, f)]) for f in _PAY_ARRAYS)
    )
    return pays, np.where((pay_amount < 0.005) & (net >= 0.005), net, 0.0)


def _net_of_credits(docs: _Documents) -> np.ndarray:
    """Each invoice's amount less the credit notes applied to it."""
    net = docs.amount[: docs.n_invoices].copy()
    cn = np.flatnonzero(docs.target >= 0)
    np.add.at(net, docs.target[cn], docs.amount[cn])
    return net


_PAY_ARRAYS = ("cust", "day", "amount", "invoice")


def _settlements(
    rng: np.random.Generator,
    cust: _Customers,
    docs: _Documents,
    net: np.ndarray,
    cn_day: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Amount each invoice will be paid (0 = never) and the day its last payment arrives."""
    n = len(net)
    c, disputed = docs.cust[:n], docs.disputed[:n]
    rating = cust.rating[c]
    late = cust.habit[c] + LATE_TAIL_DAYS[rating] * (rng.exponential(1.0, n) - 1.0)
    late += rng.normal(0.0, 2.0, n) + np.where(disputed, rng.integers(30, 150, n), 0)
    day = np.maximum(docs.due[:n] + np.round(late).astype(np.int64), docs.day[:n])
    waits_for_credit = (cn_day > 0) & (rng.random(n) < 0.7)
    day = _next_business_day(np.where(waits_for_credit, np.maximum(day, cn_day), day))
    never = (docs.day[:n] >= cust.default_day[c] - 45) | (rng.random(n) < WRITE_OFF_PROB[rating])
    partial = disputed & (rng.random(n) < DISPUTED_PARTIAL_SHARE)
    amount = np.where(partial, np.round(net * rng.uniform(0.5, 0.9, n), 2), net)
    return np.where(never, 0.0, amount), day


def _instalments(
    rng: np.random.Generator,
    invoice: np.ndarray,
    amount: np.ndarray,
    last_day: np.ndarray,
    invoice_day: np.ndarray,
) -> _Payments:
    """One payment per invoice, or 2-3 instalments 10-35 days apart for ~15 % of them.

    Instalments end on the invoice's settlement day and never start before the invoice.
    """
    n = len(invoice)
    split = (amount >= 100.0) & (last_day - invoice_day >= 21) & (rng.random(n) < INSTALMENT_SHARE)
    k = np.where(split, np.where(rng.random(n) < 0.65, 2, 3), 1)
    row_inv = np.repeat(np.arange(n), k)
    first_row = np.cumsum(k) - k
    j = np.arange(len(row_inv)) - first_row[row_inv]  # 0 .. k-1 within the invoice
    is_last = j == k[row_inv] - 1
    gap = np.minimum(rng.integers(10, 36, n), (last_day - invoice_day) // k)[row_inv]
    day = last_day[row_inv] - (k[row_inv] - 1 - j) * gap
    day = np.maximum(_next_business_day(day), invoice_day[row_inv])
    share = rng.uniform(0.2, 1.0, len(row_inv))
    share /= np.bincount(row_inv, share, minlength=n)[row_inv]
    rows = np.round(share * amount[row_inv], 2)
    before_last = np.bincount(row_inv, np.where(is_last, 0.0, rows), minlength=n)
    rows[is_last] = np.round(amount - before_last, 2)
    return _Payments(np.zeros(0, np.int64), day, rows, invoice[row_inv])


def _overpaid(rng: np.random.Generator, pays: _Payments, paid_in_full: np.ndarray) -> _Payments:
    """A handful of invoices paid in full in one payment get slightly too much (<= 25, 1 %)."""
    n_invoices = len(paid_in_full)
    single = np.bincount(pays.invoice, minlength=n_invoices)[pays.invoice] == 1
    candidates = np.flatnonzero(single & paid_in_full[pays.invoice])
    n = min(len(candidates), max(2, round(OVERPAYMENT_SHARE * n_invoices)))
    rows = rng.choice(candidates, n, replace=False) if n else np.zeros(0, np.int64)
    extra = np.minimum(25.0, 0.01 * pays.amount[rows]) * rng.uniform(0.01, 1.0, n)
    pays.amount[rows] = np.round(pays.amount[rows] + np.maximum(extra, 0.01), 2)
    return pays


def _unapplied_cash(
    rng: np.random.Generator, cust: _Customers, cal: _Calendar, n: int
) -> _Payments:
    """Cash on account: small receipts not yet matched, mostly from the last 30 days of the
    customer's activity (older ones are the few a credit team never cleared), so unapplied
    cash stays around 1-2 % of AR as in a maintained ledger."""
    c = rng.choice(len(cust.weight), n, p=cust.invoice_share)
    recent = rng.random(n) < 0.8
    lo = np.where(recent, np.maximum(cust.stop_day[c] - 30, cust.start_day[c]), cust.start_day[c])
    day = lo + (rng.random(n) * (cust.stop_day[c] - lo + 1)).astype(np.int64)
    day = np.maximum(_previous_business_day(np.minimum(day, cal.end_day)), cust.start_day[c])
    usd = 0.3 * cust.ticket[c] * _lognormal(rng, AMOUNT_SIGMA, n)
    amount = np.round(np.where(cust.currency[c] == 1, usd / FX_MEAN_RATE, usd), 2)
    return _Payments(c, day, np.maximum(amount, 1.0), np.full(n, -1))


# Deteriorating payers, failures and write-offs ------------------------------------------


@dataclass(frozen=True)
class _Drift:
    """Per customer: when its lateness starts to grow and how, when it defaults, and from
    when it trades on strict terms only (far future = never)."""

    start_day: np.ndarray
    days_per_month: np.ndarray  # extra days late per 30 days of due date after start_day ...
    cap_days: np.ndarray  # ... up to this many
    default_day: np.ndarray  # pays nothing invoiced from 45 days before until hold_day
    spike: np.ndarray  # what it buys from 45 days before its default is this many times larger
    hold_day: np.ndarray  # invoices after it are paid on their due date (strict terms)


def _deteriorated(
    seed: int,
    cust: _Customers,
    docs: _Documents,
    pays: _Payments,
    owed: np.ndarray,
    cal: _Calendar,
) -> tuple[_Documents, _Payments]:
    """Deteriorating and failing payers (below), then credit notes for what stays unpaid."""
    drift = _drift(np.random.default_rng([seed, 9]), cust, cal)
    docs = _failing_documents(np.random.default_rng([seed, 11]), docs, drift)
    pays, owed = _drifted(pays, docs, owed, drift, cal)
    is_loss = _is_loss(cust, drift, cal)[docs.cust[: docs.n_invoices]]
    return _with_write_offs(np.random.default_rng([seed, 10]), docs, owed, is_loss, cal), pays


def _drift(rng: np.random.Generator, cust: _Customers, cal: _Calendar) -> _Drift:
    """5-18 % of the customers still trading (by rating) start paying later and later some
    day in their life and level off 45-150 days later than before. Failing customers pay
    3-10 days later a month for 3-8 months, buy more in their last 45 days, pay nothing of it
    and default: the E-rated defaulters and 70 % of the non-Enterprise churners then stop
    buying; 1-20 % of the non-Enterprise customers still trading (by rating; defaulting from
    8 months after their first invoice) trade on strict terms from 10-40 days later. Every
    draw has one value per customer, so the stream does not depend on who drifts."""
    n, never = len(cust.weight), cal.end_day + 100_000
    steady_defaulter = cust.default_day <= cal.end_day
    churner = (cust.stop_day < cal.end_day) & ~steady_defaulter
    trading = ~churner & ~steady_defaulter
    u, v = rng.random(n), rng.random(n)
    failing_churner = churner & (cust.segment > 0) & (u < FAILING_CHURNER_SHARE)
    first_default = cust.start_day + 240
    failing_trader = trading & (cust.segment > 0) & (v < FAILING_SHARE[cust.rating])
    failing_trader &= first_default < cal.end_day
    trader_default = first_default + (rng.random(n) * (cal.end_day - first_default)).astype(int)
    default_day = np.select(
        [steady_defaulter, failing_churner, failing_trader],
        [cust.default_day, cust.stop_day - rng.integers(10, 40, n), trader_default],
        never,
    )
    failing = default_day <= cal.end_day
    first, last = cust.start_day + 90, cal.end_day - DRIFT_LAST_START_DAYS
    drift_start = first + (rng.random(n) * np.maximum(last - first, 0)).astype(np.int64)
    drifts = trading & ~failing & (u < DRIFT_SHARE[cust.rating]) & (drift_start >= first)
    start = np.where(failing, default_day - rng.integers(*FAILING_LEAD_DAYS, n), drift_start)
    rate = np.where(
        failing, rng.uniform(*FAILING_DAYS_PER_MONTH, n), rng.uniform(*DRIFT_DAYS_PER_MONTH, n)
    )
    cap = np.where(failing, np.inf, rng.uniform(*DRIFT_CAP_DAYS, n))
    hold = default_day + rng.integers(*FAILING_HOLD_DAYS, n)
    return _Drift(
        start_day=np.where(failing | drifts, start, never),
        days_per_month=np.where(failing | drifts, rate, 0.0),
        cap_days=cap,
        default_day=default_day,
        spike=np.where(failing, rng.uniform(*FAILING_SPIKE, n), 1.0),
        hold_day=np.where(failing_trader & (hold <= cal.end_day), hold, never),
    )


def _failing_documents(rng: np.random.Generator, docs: _Documents, drift: _Drift) -> _Documents:
    """A failing customer disputes ~25 % of what it buys while it deteriorates (paying them
    as late as the rest); its last invoices before its default, never paid, are `spike` times
    larger (a bust-out; credit notes against them stay as they were)."""
    n = docs.n_invoices
    c, day = docs.cust[:n], docs.day[:n]
    unpaid = (day >= drift.default_day[c] - 45) & (day <= drift.hold_day[c])
    failing = drift.default_day[c] < drift.hold_day[c]
    deteriorating = failing & (day >= drift.start_day[c]) & (day < drift.default_day[c] - 45)
    amount, disputed = docs.amount.copy(), docs.disputed.copy()
    amount[:n] = np.where(unpaid, np.round(amount[:n] * drift.spike[c], 2), amount[:n])
    disputed[:n] |= deteriorating & (rng.random(n) < FAILING_DISPUTED_SHARE)
    return dataclasses.replace(docs, amount=amount, disputed=disputed)


def _drifted(
    pays: _Payments, docs: _Documents, owed: np.ndarray, drift: _Drift, cal: _Calendar
) -> tuple[_Payments, np.ndarray]:
    """Payments of drifting and failing customers moved later by their drift (receipts after
    end_date dropped); none for what a failing one bought from 45 days before its default
    until its credit hold, one on the due date for what it bought after (strict terms); and
    the amount never paid per invoice, theirs included."""
    n = docs.n_invoices
    net = _net_of_credits(docs)
    c, day = docs.cust[:n], docs.day[:n]
    unpaid = (day >= drift.default_day[c] - 45) & (day <= drift.hold_day[c])
    strict = day > drift.hold_day[c]
    applied, inv = pays.invoice >= 0, np.maximum(pays.invoice, 0)
    months = np.maximum(docs.due[inv] - drift.start_day[pays.cust], 0) / 30.0
    extra = np.minimum(drift.days_per_month[pays.cust] * months, drift.cap_days[pays.cust])
    extra = np.where(applied, np.round(extra), 0.0).astype(np.int64)
    moved = np.where(extra > 0, _next_business_day(pays.day + extra), pays.day)
    keep = (moved <= cal.end_day) & ~(applied & (unpaid[inv] | strict[inv]))
    on_due = _next_business_day(docs.due[:n])
    on_time = np.flatnonzero(strict & (net >= 0.005) & (on_due <= cal.end_day))
    return (
        _Payments(
            np.concatenate([pays.cust[keep], c[on_time]]),
            np.concatenate([moved[keep], on_due[on_time]]),
            np.concatenate([pays.amount[keep], np.round(net[on_time], 2)]),
            np.concatenate([pays.invoice[keep], on_time]),
        ),
        np.where(unpaid & (net >= 0.005), net, np.where(strict, 0.0, owed)),
    )


def _with_write_offs(
    rng: np.random.Generator,
    docs: _Documents,
    owed: np.ndarray,
    is_loss: np.ndarray,
    cal: _Calendar,
) -> _Documents:
    """Credit notes for ~80 % of the never-paid invoices, for what is owed, 180-300 days after
    the due date when that is by end_date: a write-off (spec §8) where the debt is a loss
    (`is_loss`: a D or E-rated or failing customer); elsewhere the invoice is flagged disputed
    (a good payer that leaves one invoice unpaid disputes it) and the credit is commercial.
    The notes take the rows of the last standalone credit notes, so the ledger keeps its
    number of rows (the earliest first if there are more of them than standalone notes)."""
    n = docs.n_invoices
    picked = (owed >= 0.005) & (rng.random(n) < WRITE_OFF_SHARE)
    day = _next_business_day(docs.due[:n] + rng.integers(*WRITE_OFF_DELAY_DAYS, n))
    target = np.flatnonzero(picked & (day <= cal.end_day))
    standalone = np.flatnonzero((np.arange(len(docs.day)) >= n) & (docs.target < 0))
    k = min(len(target), len(standalone))
    target = np.sort(target[np.argsort(day[target], kind="stable")[:k]])
    rows = standalone[len(standalone) - k :]
    out = _Documents(*(getattr(docs, f).copy() for f in _DOC_ARRAYS), n_invoices=n)
    out.cust[rows], out.day[rows], out.due[rows] = docs.cust[target], day[target], day[target]
    out.amount[rows] = -np.round(owed[target], 2)
    out.disputed[rows], out.target[rows], out.write_off[rows] = False, target, is_loss[target]
    out.disputed[:n] |= (owed >= 0.005) & ~is_loss
    return out


def _is_loss(cust: _Customers, drift: _Drift, cal: _Calendar) -> np.ndarray:
    """Per customer: what it leaves unpaid is a credit loss (rated D or E, or failing)."""
    return (cust.rating >= 3) | (drift.default_day <= cal.end_day)


def _sorted_payments(rng: np.random.Generator, pays: _Payments) -> _Payments:
    key = (pays.day.astype(np.int64) << 32) | rng.integers(0, 2**32, len(pays.day))
    order = np.argsort(key, kind="stable")
    return _Payments(*(getattr(pays, f)[order] for f in _PAY_ARRAYS))


# FX, orders, limits --------------------------------------------------------------------


@dataclass
class _FxRates:
    day: np.ndarray
    rate: np.ndarray  # USD per EUR


def _fx_rates(rng: np.random.Generator, cal: _Calendar) -> _FxRates:
    """Business-day EUR rates from a week before the first document to end_date."""
    days = np.arange(cal.start_day - 7, cal.end_day + 1)
    days = days[_weekday(days) < 5]
    walk = np.cumsum(rng.normal(0.0, FX_DAILY_VOL, len(days)))
    drift_to = rng.normal(0.0, 0.03)  # pull the walk's end towards the mean, loosely
    walk -= np.linspace(0.0, 1.0, len(days)) * (walk[-1] - drift_to)
    return _FxRates(days, np.round(FX_MEAN_RATE * np.exp(walk), 4))


@dataclass
class _Orders:
    cust: np.ndarray
    day: np.ndarray
    amount: np.ndarray
    status: np.ndarray


def _orders(rng: np.random.Generator, cust: _Customers, cal: _Calendar) -> _Orders:
    """1-6 orders for ~40 % of customers still trading at end_date, in the last 60 days."""
    trading = (cust.stop_day == cal.end_day) & (cust.default_day > cal.end_day)
    has_orders = trading & (rng.random(len(trading)) < ORDER_CUSTOMER_SHARE)
    count = np.where(has_orders, np.minimum(1 + rng.poisson(1.5, len(trading)), 6), 0)
    c = np.repeat(np.arange(len(trading)), count)
    n = len(c)
    day = cal.end_day - rng.integers(0, ORDER_WINDOW_DAYS, n)
    day = np.maximum(day, cust.start_day[c])
    usd = cust.ticket[c] * 1.5 * _lognormal(rng, AMOUNT_SIGMA, n)
    amount = np.round(np.where(cust.currency[c] == 1, usd / FX_MEAN_RATE, usd), 2)
    status = rng.choice(len(ORDER_STATUSES), n, p=ORDER_STATUS_PROBS)
    order = np.lexsort((c, day))
    return _Orders(c[order], day[order], amount[order], status[order])


def _set_credit_limits(
    rng: np.random.Generator,
    cust: _Customers,
    docs: _Documents,
    pays: _Payments,
    orders: _Orders,
    eur_rate: float,
) -> None:
    """Limits of about (terms/30 + 1) months of sales, fitted around exposure at end_date.

    Every limit covers the customer's exposure at end_date except for ~7 % of the
    limited customers, whose limit is set at 55-90 % of it (over limit).
    """
    n = len(cust.weight)
    active_months = (cust.stop_day - cust.start_day + 1) / 30.44
    monthly = cust.invoice_share * docs.n_invoices / active_months * cust.ticket
    base = _nice(monthly * (cust.terms / 30 + 1) * rng.uniform(1.1, 1.8, n), np.round)
    exposure = _exposure_at_end(cust, docs, pays, orders, eur_rate)
    # headroom of 30-90 % over exposure at end_date, so last month's peaks stay within limit
    limit = np.maximum(base, _nice(exposure * rng.uniform(1.3, 1.9, n), np.ceil))
    limit = np.maximum(limit, 5_000.0)
    limited = np.ones(n, bool)
    limited[rng.choice(n, max(1, round(NO_LIMIT_SHARE * n)) if n > 1 else 0, replace=False)] = False
    eligible = np.flatnonzero(limited & (exposure >= 2_000.0))
    n_over = min(len(eligible), round(OVER_LIMIT_SHARE * limited.sum()))
    over = rng.choice(eligible, n_over, replace=False)
    limit[over] = np.maximum(
        _nice(exposure[over] * rng.uniform(0.55, 0.9, n_over), np.floor), 1_000.0
    )
    cust.credit_limit = np.where(limited, limit, np.nan)
    insured = rng.random(n) < INSURED_PROB[cust.rating]
    cover = np.where(cust.rating == 4, rng.uniform(0.2, 0.6, n), rng.uniform(0.4, 1.0, n))
    insurable = _nice(np.where(limited, limit, base) * cover, np.round)
    cust.insured_limit = np.where(insured, np.maximum(insurable, 1_000.0), np.nan)


def _limit_days(rng: np.random.Generator, cust: _Customers, cal: _Calendar) -> np.ndarray:
    """When each limit was last set or reviewed: up to LIMIT_REVIEW_MAX_DAYS before the end,
    never before the customer's first invoice."""
    back = rng.integers(0, LIMIT_REVIEW_MAX_DAYS + 1, len(cust.weight))
    return np.maximum(cal.end_day - back, cust.start_day)


def _exposure_at_end(
    cust: _Customers, docs: _Documents, pays: _Payments, orders: _Orders, eur_rate: float
) -> np.ndarray:
    """Spec §6 exposure at end_date in USD: positive balance plus open orders."""
    n = len(cust.weight)
    balance = np.bincount(docs.cust, docs.amount, n) - np.bincount(pays.cust, pays.amount, n)
    open_orders = np.bincount(orders.cust, np.where(orders.status == 0, orders.amount, 0.0), n)
    return (np.maximum(balance, 0.0) + open_orders) * np.where(cust.currency == 1, eur_rate, 1.0)


def _nice(x: np.ndarray, rounding: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
    """Two significant digits (1,234,567 -> 1,200,000), rounded with `rounding`."""
    step = 10.0 ** (np.floor(np.log10(np.maximum(x, 1.0))) - 1)
    return rounding(x / step) * step


# Writing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ids:
    customer: int
    invoice: int
    payment: int
    order: int

    @classmethod
    def for_sizes(cls, customers: int, invoices: int, payments: int, orders: int) -> _Ids:
        """Digits after the prefix: C00001, INV0000001, PAY0000001, SO000001, wider if needed."""

        def width(minimum: int, count: int) -> int:
            return max(minimum, len(str(count)))

        return cls(width(5, customers), width(7, invoices), width(7, payments), width(6, orders))


def _id_array(
    prefix: str, numbers: np.ndarray, width: int, valid: np.ndarray | None = None
) -> pa.StringArray:
    """'<prefix><number zero-padded to width>' as an Arrow string array, built in numpy."""
    n, p = len(numbers), len(prefix)
    chars = np.empty((n, p + width), np.uint8)
    chars[:, :p] = np.frombuffer(prefix.encode(), np.uint8)
    rest = np.asarray(numbers, np.int64).copy()
    for k in range(width - 1, -1, -1):
        chars[:, p + k] = 48 + rest % 10
        rest //= 10
    offsets = np.arange(n + 1, dtype=np.int32) * (p + width)
    if valid is None:
        return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(chars))
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.StringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(chars), bitmap, int(n - valid.sum())
    )


_ARROW_TYPES = {
    "VARCHAR": pa.string(),
    "DATE": pa.date32(),
    "DOUBLE": pa.float64(),
    "INTEGER": pa.int32(),
    "BOOLEAN": pa.bool_(),
}
_CSV_MONEY = pa.decimal128(18, 2)  # CSV shows amounts with two decimals


def _arrow_schema(table: Table, file_format: str) -> pa.Schema:
    def arrow_type(name: str, kind: str) -> pa.DataType:
        if file_format == "csv" and kind == "DOUBLE" and name != "rate":
            return _CSV_MONEY
        return _ARROW_TYPES[kind]

    return pa.schema([pa.field(c.name, arrow_type(c.name, c.type)) for c in table.columns])


class _TableWriter:
    """Writes record batches of one spec table to <stem>.parquet or <stem>.csv.

    Use as a context manager; `rows` counts the rows written.
    """

    def __init__(self, out_dir: Path, table: Table, file_format: str) -> None:
        self.schema = _arrow_schema(table, file_format)
        path = out_dir / f"{table.name}.{file_format}"
        if file_format == "parquet":
            self._writer = pq.ParquetWriter(path, self.schema, compression="zstd")
        else:
            self._writer = pacsv.CSVWriter(path, self.schema)
        self.rows = 0

    def __enter__(self) -> _TableWriter:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._writer.close()

    def write(self, columns: dict[str, pa.Array | np.ndarray]) -> None:
        """One batch; `columns` maps every spec column to an Arrow or numpy array."""
        arrays = [_arrow(columns[f.name]).cast(f.type, safe=False) for f in self.schema]
        batch = pa.RecordBatch.from_arrays(arrays, schema=self.schema)
        self._writer.write_batch(batch)
        self.rows += batch.num_rows


def _arrow(values: pa.Array | np.ndarray) -> pa.Array:
    return values if isinstance(values, pa.Array) else pa.array(values)


def _dates(days: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(days, np.int32), pa.int32()).cast(pa.date32())


def _dates_masked(days: np.ndarray, missing: np.ndarray) -> pa.Array:
    return pa.array(np.asarray(days, np.int32), pa.int32(), mask=missing).cast(pa.date32())


def _money(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.float64(), mask=np.isnan(values))


def _write_all(
    out_dir: Path,
    file_format: str,
    cust: _Customers,
    docs: _Documents,
    pays: _Payments,
    fx: _FxRates,
    orders: _Orders,
    ids: _Ids,
    report: Progress,
) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    customer_ids = _id_array("C", np.arange(1, len(cust.weight) + 1), ids.customer)
    currencies = pa.array(CURRENCIES[cust.currency])
    entities = pa.array(ENTITIES[cust.currency])
    rows = {"customers": _write_customers(out_dir, file_format, cust, customer_ids)}
    report(0.7, "writing invoices")
    rows["invoices"] = _write_invoices(
        out_dir,
        file_format,
        docs,
        customer_ids,
        (currencies, entities),
        ids,
        _subprogress(report, 0.7, 0.85),
    )
    report(0.85, "writing payments")
    rows["payments"] = _write_payments(
        out_dir,
        file_format,
        pays,
        customer_ids,
        (currencies, entities),
        ids,
        _subprogress(report, 0.85, 0.99),
    )
    rows["fx_rates"] = _write_fx_rates(out_dir, file_format, fx)
    rows["orders"] = _write_orders(out_dir, file_format, orders, customer_ids, currencies, ids)
    report(1.0, "done")
    return rows


def _subprogress(report: Progress, lo: float, hi: float) -> Progress:
    return lambda fraction, message: report(lo + (hi - lo) * fraction, message)


def _chunks(n: int) -> list[slice]:
    return [slice(i, min(i + CHUNK_ROWS, n)) for i in range(0, max(n, 1), CHUNK_ROWS)]


def _write_customers(
    out_dir: Path, file_format: str, cust: _Customers, customer_ids: pa.Array
) -> int:
    with _TableWriter(out_dir, CUSTOMERS, file_format) as writer:
        writer.write(
            {
                "customer_id": customer_ids,
                "name": pa.array(cust.names),
                "segment": SEGMENTS[cust.segment],
                "region": np.array([c[1] for c in COUNTRIES])[cust.country],
                "country": np.array([c[0] for c in COUNTRIES])[cust.country],
                "industry": np.array([i[0] for i in INDUSTRIES])[cust.industry],
                "group_id": customer_ids.take(pa.array(cust.parent)),
                "risk_rating": RATINGS[cust.rating],
                "credit_limit": _money(cust.credit_limit),
                "payment_terms_days": cust.terms.astype(np.int32),
                "insured_limit": _money(cust.insured_limit),
                "credit_limit_date": _dates_masked(cust.limit_day, np.isnan(cust.credit_limit)),
            }
        )
    return writer.rows


def _write_invoices(
    out_dir: Path,
    file_format: str,
    docs: _Documents,
    customer_ids: pa.Array,
    by_customer: tuple[pa.Array, pa.Array],  # each customer's currency and entity
    ids: _Ids,
    report: Progress,
) -> int:
    currencies, entities = by_customer
    with _TableWriter(out_dir, INVOICES, file_format) as writer:
        chunks = _chunks(len(docs.day))
        for i, s in enumerate(chunks):
            cust = pa.array(docs.cust[s])
            target = docs.target[s]
            writer.write(
                {
                    "invoice_id": _id_array("INV", np.arange(s.start, s.stop) + 1, ids.invoice),
                    "customer_id": customer_ids.take(cust),
                    "invoice_date": _dates(docs.day[s]),
                    "due_date": _dates(docs.due[s]),
                    "amount": docs.amount[s],
                    "currency": currencies.take(cust),
                    "disputed": docs.disputed[s],
                    "applies_to": _id_array("INV", target + 1, ids.invoice, target >= 0),
                    "write_off": docs.write_off[s],
                    "entity": entities.take(cust),
                }
            )
            report((i + 1) / len(chunks), f"invoices {s.stop:,}/{len(docs.day):,}")
    return writer.rows


def _write_payments(
    out_dir: Path,
    file_format: str,
    pays: _Payments,
    customer_ids: pa.Array,
    by_customer: tuple[pa.Array, pa.Array],  # each customer's currency and entity
    ids: _Ids,
    report: Progress,
) -> int:
    currencies, entities = by_customer
    with _TableWriter(out_dir, PAYMENTS, file_format) as writer:
        chunks = _chunks(len(pays.day))
        for i, s in enumerate(chunks):
            cust = pa.array(pays.cust[s])
            invoice = pays.invoice[s]
            writer.write(
                {
                    "payment_id": _id_array("PAY", np.arange(s.start, s.stop) + 1, ids.payment),
                    "customer_id": customer_ids.take(cust),
                    "payment_date": _dates(pays.day[s]),
                    "amount": pays.amount[s],
                    "currency": currencies.take(cust),
                    "invoice_id": _id_array("INV", invoice + 1, ids.invoice, invoice >= 0),
                    "entity": entities.take(cust),
                }
            )
            report((i + 1) / len(chunks), f"payments {s.stop:,}/{len(pays.day):,}")
    return writer.rows


def _write_fx_rates(out_dir: Path, file_format: str, fx: _FxRates) -> int:
    with _TableWriter(out_dir, FX_RATES, file_format) as writer:
        writer.write(
            {
                "currency": np.full(len(fx.day), SECOND_CURRENCY),
                "rate_date": _dates(fx.day),
                "rate": fx.rate,
            }
        )
    return writer.rows


def _write_orders(
    out_dir: Path,
    file_format: str,
    orders: _Orders,
    customer_ids: pa.Array,
    currencies: pa.Array,
    ids: _Ids,
) -> int:
    with _TableWriter(out_dir, ORDERS, file_format) as writer:
        cust = pa.array(orders.cust)
        writer.write(
            {
                "order_id": _id_array("SO", np.arange(1, len(orders.day) + 1), ids.order),
                "customer_id": customer_ids.take(cust),
                "order_date": _dates(orders.day),
                "amount": orders.amount,
                "currency": currencies.take(cust),
                "status": ORDER_STATUSES[orders.status],
            }
        )
    return writer.rows
