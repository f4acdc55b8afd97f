"""Conventions every metric shares (spec ../shared/spec/ledger-and-metrics.md)."""

from __future__ import annotations

DEFAULT_CURRENCY = "USD"
# spec §8: the entity of invoices and payments whose `entity` is empty (docs/architecture.md)
DEFAULT_ENTITY = "default"
DEFAULT_BUCKET_EDGES: tuple[int, ...] = (30, 60, 90, 120)  # §3: upper edges, inclusive
DEFAULT_WINDOW_DAYS = 90  # §4: standard / best possible DSO window
DEFAULT_TOP_N = 10  # §5
DEFAULT_INSURANCE_COVERAGE = 0.90  # §6: insured part = min(exposure, insured limit) × coverage
OPEN_THRESHOLD = 0.005  # §2: a document is open when |open amount| >= 0.005
COUNTBACK_MAX_PERIODS = 36  # §4: countback stops after 36 periods (result is a lower bound)
TREND_MONTHS = 24  # month-end trend length
AGING_BASES = ("due", "invoice")  # §3: age by due date (default) or by invoice date

# HHI readings (0-10,000 scale), the thresholds of the 2010 US horizontal merger guidelines.
HHI_MODERATE = 1_500
HHI_HIGH = 2_500

MAX_SCENARIO_NAME_LENGTH = 80  # a saved scenario's name (the model, the store and the page)

# §1: the largest size of a number a ledger file may hold (an amount, a limit, a rate); a value
# with |value| >= MAX_AMOUNT (or not finite) is refused at load with its file, row and column.
# 1e15 is far beyond any receivable yet keeps cents exact (doubles hold 15-16 significant
# digits) and keeps sums of billions of documents finite, so no metric becomes Infinity.
MAX_AMOUNT = 1e15
