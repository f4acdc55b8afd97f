"""Column labels, units and formats of every table, once, as plain data.

A table's spec maps a frame's column name to a `Column` (its header, what kind of value it
holds, the tooltip) or to None (kept in the downloads, hidden on screen). The pages turn a
spec into Streamlit column settings in one place (ui/tables.py); a PDF or Excel pack can print
the same table under the same headers. Money labels name the currency they are shown in.
"""

from __future__ import annotations

from dataclasses import dataclass

# kind -> number/date format (printf-style for numbers, moment.js-style for dates)
FORMATS: dict[str, str | None] = {
    "money": "%,.0f",  # whole units of the display currency
    "amount": "%,.2f",  # a document amount, with cents
    "percent": "percent",  # a share: 0.25 shows as 25.00%
    "days": "%.1f",
    "change": "%+.1f",  # a signed change in days
    "count": "%d",
    "number": None,
    "date": None,  # the locale's date
}
KINDS = {*FORMATS, "text", "flag", "auto"}  # auto: a header only, the value shows as it is


@dataclass(frozen=True)
class Column:
    """One column's header (None: the frame's own name), kind of value, tooltip, and a
    format or width when the kind's default does not fit."""

    label: str | None
    kind: str = "auto"
    help: str | None = None
    format: str | None = None
    width: str | None = None  # small | medium | large

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}: one of {sorted(KINDS)}")

    @property
    def number_format(self) -> str | None:
        return self.format if self.format is not None else FORMATS.get(self.kind)


Table = dict[str, Column | None]


def money(label: str, currency: str, help: str | None = None) -> Column:
    """'Balance (EUR)', whole units."""
    return Column(f"{label} ({currency})", "money", help)


def labels(spec: Table) -> dict[str, str]:
    """Column name -> header, for the columns that have one (to rename a frame)."""
    return {name: c.label for name, c in spec.items() if c is not None and c.label is not None}


# --- Overview ------------------------------------------------------------------------------


def largest_problems(currency: str) -> Table:
    """Overview's largest problems: one row per customer, each measure in its own column."""
    return {
        "customer_id": Column("Customer"),
        "name": Column("Name"),
        "risk_rating": Column("Rating"),
        "at_issue_amount": money(
            "Amount at issue", currency, "The larger of overdue and over limit: what ranks the list"
        ),
        "overdue_amount": money("Overdue", currency, "Open amounts past their due date"),
        "overdue_share": Column("Overdue share", "percent", "Overdue ÷ all open amounts"),
        "over_limit_amount": money("Over limit by", currency, "Exposure above the credit limit"),
        "utilisation": Column("Utilisation", "percent", "Exposure ÷ credit limit"),
    }


# --- Aging ---------------------------------------------------------------------------------

GROUP_TITLES = {
    "customer": "Customer",
    "segment": "Segment",
    "region": "Region",
    "rating": "Rating",
}


def aging_groups(bucket_labels: list[str], currency: str, by: str) -> Table:
    """The aging table: one row per customer, segment, region or rating."""
    return {
        "group": Column(GROUP_TITLES[by]),
        "name": Column("Name"),
        "n_customers": Column("Customers", "count"),
        "n_open_items": Column("Open items", "count"),
        **{label: money(label, currency) for label in bucket_labels},
        "disputed_amount": money("Of which disputed", currency),
        "open_amount": money("Open total", currency),
        "overdue_amount": money("Overdue", currency),
        "overdue_share": Column("Overdue share", "percent"),
        "unapplied_amount": money("Unapplied cash", currency),
        "balance_amount": money("Balance", currency),
        **{f"disputed {label}": None for label in bucket_labels},  # in the downloads only
    }


def aging_open_items(currency: str, basis: str) -> Table:
    """The open documents behind a group; ``basis`` is what the buckets age by."""
    return {
        "invoice_id": Column("Document"),
        "customer_id": Column("Customer"),
        "customer_name": Column("Name"),
        "invoice_date": Column("Invoice date", "date"),
        "due_date": Column("Due date", "date"),
        "days_past_due": Column("Days past due", "count"),
        "bucket": Column(f"Bucket (by {basis} date)"),
        "document_amount": Column("Document amount", "amount"),
        "currency": Column("Currency"),
        "open_amount": Column("Open (document ccy)", "amount"),
        f"open_amount_{currency}": money("Open", currency),
        "is_disputed": Column("Disputed", "flag"),
    }


# --- Compare dates -------------------------------------------------------------------------

CHANGE_PCT = "(B − A) ÷ |A|; None when A is 0 or a figure is undefined"


def compare_headline(a_label: str, b_label: str, currency: str) -> Table:
    """Overview's headline figures at date A and date B, one row each (money rows in
    ``currency``, shares in %)."""
    value = "%,.1f"
    return {
        "figure": Column("Figure", "text"),
        "unit": Column(
            "Unit", "text", f"Money in {currency}; shares in %, their change in percentage points"
        ),
        "a_value": Column(a_label, "number", format=value),
        "b_value": Column(b_label, "number", format=value),
        "change": Column("Change", "number", "B − A, in the row's unit", format="%+,.1f"),
        "change_pct": Column("Change %", "percent", CHANGE_PCT),
    }


def compare_aging(a_label: str, b_label: str, currency: str) -> Table:
    """Open amount per aging bucket at date A and date B."""
    return {
        "bucket": Column("Days past due"),
        "a_amount": money(a_label, currency),
        "b_amount": money(b_label, currency),
        "change_amount": Column(f"Change ({currency})", "money", "B − A", format="%+,.0f"),
        "change_pct": Column("Change %", "percent", CHANGE_PCT),
    }


def compare_customers(a_label: str, b_label: str, currency: str) -> Table:
    """The largest balances at date B and at date A, with both dates' figures."""
    rank = "By balance, largest = 1; None: no positive balance that day"
    return {
        "customer_id": Column("Customer"),
        "name": Column("Name", "text", width="medium"),
        "a_balance_amount": money(f"Balance {a_label}", currency),
        "b_balance_amount": money(f"Balance {b_label}", currency),
        "change_amount": Column(f"Balance change ({currency})", "money", "B − A", format="%+,.0f"),
        "change_pct": Column("Change %", "percent", CHANGE_PCT),
        "a_overdue_amount": money(f"Overdue {a_label}", currency),
        "b_overdue_amount": money(f"Overdue {b_label}", currency),
        "a_rank": Column(f"Rank {a_label}", "count", rank),
        "b_rank": Column(f"Rank {b_label}", "count", rank),
    }


# --- Cash flow -----------------------------------------------------------------------------

EXPECTED = "Expected (mean of the draws)"


def cashflow_periods(currency: str, unit: str) -> Table:
    """Projected receipts per week or month."""
    return {
        "period": Column(unit.capitalize(), "count"),
        "start_date": Column("From", "date", format="DD MMM YYYY"),
        "end_date": Column("To", "date", format="DD MMM YYYY"),
        "open_ar_amount": money("From open AR", currency, EXPECTED),
        "new_sales_amount": money("From new sales", currency, EXPECTED),
        "mean_amount": money("Expected", currency),
        "p10_amount": money("P10", currency),
        "p50_amount": money("P50", currency),
        "p90_amount": money("P90", currency),
    }


def cashflow_funding(currency: str) -> Table:
    """The funding gap, week by week."""
    return {
        "period": Column("Week", "count"),
        "start_date": None,
        "end_date": Column("Week to", "date", format="DD MMM YYYY"),
        "receipts_p50_amount": money("Receipts P50", currency),
        "outflow_amount": money("Outflows", currency),
        "cash_p10_amount": money("Cash P10", currency),
        "cash_p50_amount": money("Cash P50", currency),
        "cash_p90_amount": money("Cash P90", currency),
        "shortfall_p50_amount": money(
            "Shortfall, median (P50 cash)", currency, "Buffer − cash in the median case, if above 0"
        ),
        "shortfall_p90_amount": money(
            "Shortfall, pessimistic (P10 cash)",
            currency,
            "Buffer − cash in the pessimistic case (one path in ten is worse), if above 0",
        ),
        "status": Column(
            "Status", "text", "short: P50 cash below the buffer; at risk: P10 cash below it"
        ),
    }


def cashflow_backtest() -> Table:
    """Method × horizon errors of the backtest."""
    error = "Mean absolute % error of the cumulative receipts over the past month-ends"
    return {
        "method": Column("Method", "text"),
        "error_4w": Column("Error, 4 weeks", "percent", error),
        "error_8w": Column("Error, 8 weeks", "percent", error),
        "error_13w": Column("Error, 13 weeks", "percent", error),
        "bias_13w": Column(
            "Bias, 13 weeks", "percent", "Mean signed error: > 0 = projected too much"
        ),
    }


# --- Concentration -------------------------------------------------------------------------

LEVEL_TITLES = {
    "customer": "Customers",
    "group": "Groups (group_id)",
    "industry": "Industries",
    "region": "Regions",
}
UNIT_TITLES = {"customer": "Customer", "group": "Group", "industry": "Industry", "region": "Region"}
MEASURE_TITLES = {"balance": "Balance", "uninsured": "Uninsured exposure"}


def concentration_top(level: str, measure: str, currency: str) -> Table:
    """The top-N table of one level and measure."""
    return {
        "rank": Column("Rank", "count"),
        "unit": Column(UNIT_TITLES[level]),
        "name": Column("Name"),
        "segment": Column("Segment"),
        "risk_rating": Column("Rating"),
        "n_customers": Column("Customers", "count"),
        "amount": money(MEASURE_TITLES[measure], currency),
        "share": Column("Share", "percent"),
        "cumulative_share": Column("Cumulative share", "percent"),
    }


def concentration_summary(top_n: int, currency: str) -> Table:
    """Every level × measure at a glance."""
    return {
        "level": Column("Level"),
        "measure": Column("Measure"),
        "n_units": Column("Units with a positive amount", "count"),
        "total_amount": money("Total", currency),
        "top_n_share": Column(f"Top-{top_n} share", "percent"),
        "hhi": Column("HHI", "number", format="%,.0f"),
        "reading": Column("Reading"),
    }


# --- DSO & collections ---------------------------------------------------------------------


def dso_bridge(currency: str) -> Table:
    """The DSO bridge, one row per month-end."""
    return {
        "month_end": Column("Month-end", "date", format="MMM YYYY"),
        "previous_month_end": None,
        "ar_previous": None,
        "ar": money("AR", currency),
        "sales_previous": None,
        "sales": money("Sales in window", currency),
        "dso_previous": Column("DSO before (days)", "days"),
        "dso": Column("DSO (days)", "days"),
        "dso_change": Column("Change (days)", "change"),
        "sales_effect": Column("Sales effect (days)", "change"),
        "collections_effect": Column("Collections effect (days)", "change"),
    }


def dso_behaviour(currency: str) -> Table:
    """Days to pay and days late per customer."""
    weighted = "amount-weighted average over the settled invoices"
    return {
        "customer_id": Column("Customer", "text"),
        "name": Column("Name", "text", width="medium"),
        "risk_rating": Column("Rating", "text", width="small"),
        "days_late": Column("Days late", "days", f"Due date → settlement, {weighted}; < 0 = early"),
        "days_to_pay": Column("Days to pay", "days", f"Invoice date → settlement, {weighted}"),
        "late_share": Column("Paid late", "percent", "Share of the settled amount paid after due"),
        "n_settled": Column("Invoices", "count", "Invoices settled"),
        "settled_amount": money("Settled", currency, "Invoice amounts settled"),
        "payment_terms_days": Column("Terms (days)", "count"),
        "n_late": None,  # in the downloads; the screen shows the share
    }


# --- Credit limits -------------------------------------------------------------------------


def limits_customers(currency: str) -> Table:
    """The over-limit and the no-limit lists."""
    return {
        "customer_id": Column("Customer", "text"),
        "name": Column("Name", "text"),
        "risk_rating": Column("Rating", "text"),
        "credit_limit": money("Limit", currency),
        "exposure_amount": money("Exposure", currency),
        "utilisation": Column("Utilisation", "percent"),
        "headroom_amount": money("Headroom", currency),
        "balance_amount": money("Balance", currency),
        "open_orders_amount": money("Open orders", currency),
    }


def limits_by_rating(currency: str) -> Table:
    return {
        "risk_rating": Column("Rating", "text"),
        "n_customers": Column("Customers", "count"),
        "n_limited": Column("With a limit", "count"),
        "n_over_limit": Column("Over limit", "count"),
        "limited_exposure_amount": money("Limited exposure", currency),
        "credit_limit": money("Limits", currency),
        "utilisation": Column("Utilisation", "percent"),
        "exposure_amount": None,  # total exposure: in the downloads and the chart
        "insured_amount": money("Insured", currency),
        "uninsured_amount": money("Uninsured", currency),
    }


# --- Customer (frames renamed to these headers, so the downloads carry them too) -----------


def customer_open_items(currency: str) -> Table:
    return {
        "invoice_id": Column("Document"),
        "invoice_date": Column("Invoice date"),
        "due_date": Column("Due date"),
        "days_past_due": Column("Days past due", "count"),
        "amount": Column("Amount", "amount", "Document amount, in its currency"),
        "currency": Column("Currency"),
        "open_amount": Column("Open", "amount", "Open amount in the document's currency"),
        "open_amount_rc": Column(
            f"Open ({currency})",
            "amount",
            f"Open amount in {currency} at the as-of date's closing rate",
        ),
        "is_disputed": Column("Disputed"),
        "applies_to": Column("Applies to", "text", "For a credit note: the invoice it reduces"),
    }


def customer_payments(reporting_currency: str) -> Table:
    return {
        "payment_id": Column("Payment"),
        "payment_date": Column("Date"),
        "amount": Column("Amount", "amount"),
        "currency": Column("Currency"),
        "amount_rc": Column(f"Amount ({reporting_currency}, rate on payment date)", "amount"),
        "applied_to": Column("Applied to"),
    }


def customer_credit_notes(currency: str) -> Table:
    return {
        "invoice_id": Column("Credit note"),
        "invoice_date": Column("Date"),
        "amount": Column("Amount", "amount"),
        "currency": Column("Currency"),
        "applies_to": Column("Applies to"),
        "applied_date": Column("Applied on"),
        "open_amount": Column("Still open (document currency)", "amount"),
        "open_amount_rc": Column(f"Still open ({currency})", "amount"),
    }


def customer_unapplied(currency: str) -> Table:
    return {
        "payment_id": Column("Payment"),
        "payment_date": Column("Date"),
        "amount": Column("Amount", "amount"),
        "currency": Column("Currency"),
        "amount_rc": Column(f"Amount ({currency}, closing rate)", "amount"),
    }


# --- Scenarios -----------------------------------------------------------------------------


def scenario_results(currency: str) -> Table:
    """Every figure, baseline against scenario (money rows in ``currency``)."""
    return {
        "figure": Column("Figure", "text"),
        "unit": Column("Unit", "text", f"money in {currency}"),
        "baseline": Column("Baseline", "number", format="%,.1f"),
        "scenario": Column("Scenario", "number", format="%,.1f"),
        "change": Column("Change", "number", format="%+,.1f"),
        "how": Column("How it is computed", "text", width="large"),
    }


def scenario_comparison(scenario_names: list[str], currency: str) -> Table:
    """Saved scenarios side by side: one number column per scenario."""
    return {
        "unit": Column("Unit", "text", f"money in {currency}"),
        **{name: Column(name, "number", format="%,.1f") for name in scenario_names},
    }


def scenario_customers(currency: str) -> Table:
    money_titles = {"proposed_limit": "Proposed limit", "balance_amount": "AR",
                    "scenario_balance_amount": "Scenario AR", "sales_amount": "Window sales",
                    "scenario_sales_amount": "Scenario window sales"}  # fmt: skip
    days = {"terms_days": "Terms (days)", "terms_change_days": "Terms change (days)",
            "late_cut_days": "Lateness cut (days)"}  # fmt: skip
    factors = {"sales_factor": "Sales factor", "block_factor": "Share not blocked"}
    return {
        **{c: money(t, currency) for c, t in money_titles.items()},
        **{c: Column(t, "days", format="%,.1f") for c, t in days.items()},
        **{c: Column(t, "number", format="%.3f") for c, t in factors.items()},
    }


def scenario_receipts(currency: str) -> Table:
    return {
        "period": Column("Period", "number"),
        **{c: money(c.split("_")[0].title(), currency)
           for c in ("baseline_amount", "scenario_amount", "change_amount")},
    }  # fmt: skip


def scenario_backtest(currency: str) -> Table:
    """The invoices the proposed limits would have blocked or flagged."""
    titles = {"amount": "Amount", "balance_before_amount": "Balance before",
              "exposure_amount": "Exposure with it", "cap_amount": "Cap",
              "defaulted_amount": "Open 91 days after due"}  # fmt: skip
    return {c: money(label, currency) for c, label in titles.items()}


def scenario_pd(currency: str) -> Table:
    """The simulator's PD by rating: the ledger's 90+ dpd history per rating (the fallback) and
    how many customers take the behavioural model's PD instead."""
    return {
        "rating": Column("Rating"),
        "defaulted_amount": money("Open 91 days after due", currency),
        "average_ar_amount": money("Average AR", currency),
        "pd": Column("Rating PD (history)", "percent", "Fallback for customers the model does not score."),
        "basis": Column("Basis of the rating PD"),
        "model_customers": Column("Customers on the model's PD", "count"),
        "rating_customers": Column("Customers on the rating PD", "count"),
        "used_pd": Column("12-month PD used", "percent", "Exposure-weighted over the rating's customers."),
    }  # fmt: skip


# --- Risk: expected credit loss -------------------------------------------------------------


def ecl_matrix(currency: str) -> Table:
    return {
        "bucket": Column("Aging bucket (days past due)", "text"),
        "open_amount": money("Open", currency, "Positive open amount of the documents in the bucket; credits and unapplied cash are not netted."),
        "loss_rate": Column("Loss rate", "percent", "Share of such amounts lost within a year on this ledger's month-ends (before the overlay)."),
        "rate_applied": Column("Rate applied", "percent", "Loss rate with the forward-looking overlay (capped at 100 %), or the given rate."),
        "ecl_amount": money("Expected loss", currency),
        "source": Column("Rate from", "text", "calibrated on this ledger, borrowed from a younger bucket with history, or given."),
    }  # fmt: skip


def ecl_calibration(currency: str) -> Table:
    return {
        "bucket": Column("Aging bucket (days past due)", "text"),
        "open_amount": money("Σ open at the month-ends", currency),
        "lost_amount": money("Σ of it lost within a year", currency, "Still open a year later, or written off by then."),
        "loss_rate": Column("Loss rate", "percent"),
        "source": Column("Rate from", "text"),
    }  # fmt: skip


def ecl_by(by_label: str, currency: str) -> Table:
    return {
        "customer_id": Column("Customer", "text"),
        "name": Column("Name", "text"),
        "segment": Column("Segment", "text"),
        "risk_rating": Column("Rating", "text"),
        "entity": Column("Entity", "text"),
        "grade": Column("Grade", "text"),
        "open_amount": money("Open", currency),
        "disputed_open_amount": money("Disputed open", currency),
        "ecl_amount": money("Expected loss, undisputed", currency),
        "disputed_ecl_amount": money("Disputed expected loss", currency),
        "gross_ecl_amount": money("Expected loss, gross", currency, "Undisputed + disputed."),
        "net_ecl_amount": money("Net of insurance", currency, "Gross × the uninsured share of the customer's exposure."),
        "exposure_amount": None,
        "uninsured_amount": None,
        "customer_key": None,
    }  # fmt: skip


def allowance_movement(currency: str) -> Table:
    return {
        "line": Column("Loss allowance", "text"),
        "amount": money("Amount", currency),
    }


# --- Risk: limits review -------------------------------------------------------------------


def limit_recommendations(currency: str) -> Table:
    return {
        "customer_id": Column("Customer", "text"),
        "name": Column("Name", "text"),
        "grade": Column("Grade", "text"),
        "grade_source": Column("Grade from", "text", "The behavioural grade when the model gives one, else the assigned rating."),
        "credit_limit": money("Current limit", currency),
        "recommended_limit": money("Recommended", currency),
        "gap_share": Column("Gap", "percent", "(current − recommended) ÷ recommended."),
        "monthly_sales_amount": money("Monthly sales (6 m avg)", currency),
        "terms_days": Column("Terms (days)", "count"),
        "multiplier": Column("Grade multiplier", "number", format="%.2f"),
        "raw_amount": money("Before rounding", currency),
        "full_amount": money("Full (rounded, insured floor)", currency),
        "insured_floor_applied": Column("Insured floor", "flag", "Raised to the insured limit (grades A–C)."),
        "staged_share": Column("Share granted", "percent", "50 % until six months in which nothing was paid more than 15 days late."),
        "step_up_date": Column("Stepped up", "date"),
        "first_invoice_date": Column("First invoice", "date"),
        "history_months": Column("History (months)", "count"),
        "credit_limit_date": Column("Limit set", "date"),
        "months_since_review": Column("Months since set", "number", format="%.0f"),
        "exposure_amount": money("Exposure", currency),
        "utilisation": Column("Utilisation", "percent"),
        "reasons": Column("Why review", "text"),
        "customer_key": None, "segment": None, "region": None, "country": None,
        "industry": None, "group_id": None, "risk_rating": None, "insured_limit": None,
        "payment_terms_days": None, "rounded_amount": None, "is_staged": None,
        "is_over_limit": None,
    }  # fmt: skip


# --- Risk: grades and PD -------------------------------------------------------------------


def graded_customers() -> Table:
    return {
        "customer_id": Column("Customer", "text"),
        "name": Column("Name", "text"),
        "risk_rating": Column("Assigned rating", "text", "The ledger's own rating: it stays; the behavioural grade shows beside it."),
        "grade": Column("Behavioural grade", "text", "From the PD: A under 0.5 %, B under 2 %, C under 5 %, D under 15 %, E 15 % or more."),
        "pd": Column("PD (6 months)", "percent", "Probability of an invoice 91+ days past due or a write-off in the next 6 months."),
        "is_in_default": Column("In default", "flag", "Already 91+ days past due: PD 100 %."),
        "max_dpd": Column("Max days past due", "number", format="%.0f"),
        "days_late_3m": Column("Days late (90 d)", "days"),
        "days_late_trend": Column("Trend (days)", "change"),
        "overdue_share": Column("Overdue share", "percent"),
        "utilisation": Column("Utilisation", "percent"),
        "customer_key": None,
    }  # fmt: skip


def model_coefficients() -> Table:
    return {
        "feature": Column("Feature", "text"),
        "coefficient": Column("Coefficient", "number", format="%.4f"),
        "std_error": Column("Std. error", "number", format="%.4f"),
        "p_value": Column("p-value", "number", format="%.4f"),
        "odds_ratio": Column("Odds ratio", "number", "The odds of default multiply by this for one unit more.", format="%.3f"),
        "meaning": Column("What it measures", "text", width="large"),
    }  # fmt: skip


def model_calibration() -> Table:
    return {
        "decile": Column("PD decile", "count"),
        "n_points": Column("Points", "count"),
        "mean_pd": Column("Mean PD", "percent"),
        "default_rate": Column("Defaulted", "percent"),
    }
