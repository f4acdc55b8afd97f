"""Each figure of the committee pack in one line, kept in one place: the pack's glossary page
and the workbook's Glossary sheet print these. The full definitions and the choices made are
in docs/metrics.md and docs/risk.md."""

from __future__ import annotations

import pandas as pd

DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("AR (receivables)", "Open invoices and credit notes at the end of the day, less unapplied cash."),
    ("Current / overdue", "Open amounts not yet due / past their due date (1 day or more)."),
    ("Overdue share", "Overdue ÷ (current + overdue)."),
    ("Aging bucket", "Each open document's whole open amount by days past its due date; upper edges inclusive."),
    ("Disputed", "Open documents flagged disputed in the ledger; they stay in their bucket, shown as 'of which'."),
    ("Standard DSO", "AR ÷ credit sales of the last N days × N (N = the DSO window, 90 days by default)."),
    ("Countback DSO", "Calendar months of sales, counted back from the as-of date, that make up AR ('≥' after 36 months)."),
    ("Best possible DSO", "Current (not yet due) AR ÷ credit sales of the window × N: DSO if everyone paid on time."),
    ("ADD", "Average days delinquent = standard DSO − best possible DSO."),
    ("CEI", "(AR at last month-end + sales − AR now) ÷ (AR at last month-end + sales − current AR now) × 100."),
    ("DSO bridge", "A month's change in standard DSO split into sales volume (AR held) and collections (AR change)."),
    ("Top-10 share", "The ten largest positive balances ÷ all positive balances."),
    ("HHI", "Herfindahl-Hirschman index Σ (100 × share)²: below 1,500 unconcentrated, above 2,500 highly concentrated."),
    ("Exposure", "Balance (when positive) + open orders."),
    ("Utilisation", "Exposure ÷ credit limit, over customers with a limit; over limit when above 100 %."),
    ("Recommended limit", "6-month average monthly sales × (terms + 30) ÷ 30 × grade multiplier, rounded up; 50 % while staged."),
    ("Review queue", "Limit more than 25 % from the recommendation, set more than 12 months ago (or undated), or over limit."),
    ("Loss rate", "Share of the open amount in a bucket at the ledger's month-ends lost within a year."),
    ("ECL", "Expected credit loss: Σ positive open amount × loss rate per bucket, disputed documents at their bucket's rate."),
    ("Allowance movement", "Opening ECL, charge (closing − opening), closing ECL, each date with its own calibration."),
    ("Grade (A–E)", "Behavioural PD banded A < 0.5 %, B < 2 %, C < 5 %, D < 15 %, E ≥ 15 % (in default: E)."),
    ("Collections stage", "By the oldest undisputed item's days past due: pre-due, 1-30, 31-60, 61-90, 91+."),
    ("Broken promise", "A promise or plan instalment past its date and tolerance whose amount was not paid."),
    ("Projected receipts", "Expected receipts per week from open AR (the ledger's own lateness) and forecast sales; P10-P90 band."),
    ("Funding gap", "Opening cash + receipts − outflows week by week against a buffer: short when P50 cash is below it, at risk when P10 is."),
    ("Scenario", "A saved credit-policy scenario simulated on this ledger at the as-of date against today's policy."),
)  # fmt: skip


def glossary_table() -> pd.DataFrame:
    """The definitions as a two-column frame (figure, definition)."""
    return pd.DataFrame(DEFINITIONS, columns=["figure", "definition"])
