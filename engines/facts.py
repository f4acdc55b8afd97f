"""The fact queries, one keyword-only function each: the only way analytics reach the ledger.

Each function runs one file of `engines/sql/` (its grain is the docstring, taken from the
file's header) on an engine (`engines.base.Engine`) with its arguments as bound parameters.
Money is in the reporting currency unless a column says otherwise. Generated from the SQL
headers once, then kept by hand: a new query is a new file and a new function here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from engines.base import Engine


def aging_bucket_totals(
    engine: Engine, *, as_of: date, basis: str, customer_keys: list[int] | None, edges: list[int]
) -> pd.DataFrame:
    """Grain: aging bucket × disputed, as of $as_of (spec §3), over the customers in
    $customer_keys (NULL = every customer), reporting currency. Bucket numbering as in
    open_by_customer_bucket.sql; age counts from the invoice date when $basis = 'invoice'.
    """
    return engine.frame(
        "aging_bucket_totals",
        {"as_of": as_of, "basis": basis, "customer_keys": customer_keys, "edges": edges},
    )


def aging_open_items(
    engine: Engine, *, as_of: date, basis: str, customer_keys: list[int] | None, edges: list[int]
) -> pd.DataFrame:
    """Grain: document open at $as_of (spec §2) for the customers in $customer_keys (NULL =
    every customer), with its customer, days past due and aging bucket (spec §3), largest
    open amount in reporting currency first. Bucket numbering as in
    open_by_customer_bucket.sql: 0 = current, k = age above edge k-1 and up to edge k
    ($edges = [0, e1, e2, ...]); age counts from the due date, or from the invoice date when
    $basis = 'invoice'.
    """
    return engine.frame(
        "aging_open_items",
        {"as_of": as_of, "basis": basis, "customer_keys": customer_keys, "edges": edges},
    )


def ar_at_month_ends(
    engine: Engine, *, customer_keys: list[int] | None, first_month_end: date, n: int
) -> pd.DataFrame:
    """Grain: currency × month-end index i (0 = $first_month_end, n = $n month-ends): current
    and overdue open amounts (document currency) from the load-time month-end balances, and
    the changes in unapplied cash (to be cumulated), over the customers in $customer_keys
    (NULL = all) (spec §2-§3).
    """
    return engine.frame(
        "ar_at_month_ends",
        {"customer_keys": customer_keys, "first_month_end": first_month_end, "n": n},
    )


def ar_by_customer_at_month_end(engine: Engine, *, month_end: date) -> pd.DataFrame:
    """Grain: customer with a balance at the month-end $month_end: open amounts from the
    load-time month-end balances, translated at that day's closing rates, less unapplied
    cash (spec §2).
    """
    return engine.frame("ar_by_customer_at_month_end", {"month_end": month_end})


def cashflow_collection_lags(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, max_lag: int, start: date
) -> pd.DataFrame:
    """Grain: invoice date × days from invoice to payment: cash applied by payments (not credit
    notes) on or before $as_of to positive invoices dated in ($start, $as_of], in reporting
    currency at each invoice's invoice-date rate (the rate its credit sales are counted at,
    spec §4), over the customers in $customer_keys (NULL = every customer). Payments more
    than $max_lag days after the invoice are left out. The collection curve divides these by
    the credit sales of the same invoice dates (analytics/sales_forecast.py).
    """
    return engine.frame(
        "cashflow_collection_lags",
        {"as_of": as_of, "customer_keys": customer_keys, "max_lag": max_lag, "start": start},
    )


def cashflow_data_end(engine: Engine) -> dict[str, Any]:
    """Grain: one row: the last day a backtest reads actual receipts up to: the ledger's last
    document date. Payments after it are real, but weeks after it hold no new sales (an
    export cut there), so they would look like collections falling short.
    """
    return engine.row("cashflow_data_end", {})


def cashflow_invoice_size(
    engine: Engine,
    *,
    as_of: date,
    customer_keys: list[int] | None,
    max_amount: float | None,
    start: date,
) -> pd.DataFrame:
    """Grain: one row: Σ amount² ÷ Σ amount over the positive invoices dated in ($start,
    $as_of] (reporting currency at the invoice date), over the customers in $customer_keys
    (NULL = every customer), one-off invoices (at least $max_amount; NULL = none) left out:
    the amount-weighted mean invoice size, which sets the spread whole invoices paid on single
    days add to the smooth receipts from forecast sales.
    """
    return engine.frame(
        "cashflow_invoice_size",
        {"as_of": as_of, "customer_keys": customer_keys, "max_amount": max_amount, "start": start},
    )


def cashflow_lateness_history(
    engine: Engine,
    *,
    as_of: date,
    half_life_days: float,
    history_days: int,
    max_days: int,
    min_days: int,
) -> pd.DataFrame:
    """Grain: customer × is_disputed × due month × days-late bin: how late the cash for
    positive invoices came, as the ledger knew it at $as_of, over every customer (the pools
    need them all; Python keeps the filtered ones). Days late = payment date − due date
    (spec §4, per payment rather than per settled invoice, because a projection of cash
    needs the timing of each payment: instalments arrive before the invoice is settled).
    Observations: * each payment applied to the invoice on or before $as_of, at most
    $max_days days late, with its days late clipped below at $min_days, weighted by the
    amount paid; * what was still open $max_days days after the due date (that day on or
    before $as_of), in bin $max_days + 1 ("not paid within $max_days days"), weighted by
    that amount. Credit notes reduce what is open but are not cash: they are in neither.
    Amounts are in the reporting currency at the invoice date; each is weighted by 0.5 ^
    (age / $half_life_days), age = $as_of − the day it became known (payment date, or due
    date + $max_days), and only those known in the last $history_days days count. Open
    invoices less than $max_days days past due say nothing yet about their unpaid part
    (censored).
    """
    return engine.frame(
        "cashflow_lateness_history",
        {
            "as_of": as_of,
            "half_life_days": half_life_days,
            "history_days": history_days,
            "max_days": max_days,
            "min_days": min_days,
        },
    )


def cashflow_monthly_sales(
    engine: Engine, *, customer_keys: list[int] | None, end: date, start: date
) -> pd.DataFrame:
    """Grain: calendar month: credit sales (spec §4: invoices and credit notes at their
    invoice-date rate) of the months dated in ($start, $end], over the customers in
    $customer_keys (NULL = every customer). Months with no sales are absent (Python fills
    them with 0).
    """
    return engine.frame(
        "cashflow_monthly_sales", {"customer_keys": customer_keys, "end": end, "start": start}
    )


def cashflow_one_off_invoices(
    engine: Engine,
    *,
    customer_keys: list[int] | None,
    end: date,
    invoice_multiple: float,
    min_amount: float,
    start: date,
) -> pd.DataFrame:
    """Grain: positive invoice dated in ($start, $end] (reporting currency at its invoice date),
    over the customers in $customer_keys (NULL = every customer), worth at least $min_amount
    and at least $invoice_multiple × the median positive invoice of the same days: the one-off
    invoices the sales forecast leaves out of the history it fits.
    """
    return engine.frame(
        "cashflow_one_off_invoices",
        {
            "customer_keys": customer_keys,
            "end": end,
            "invoice_multiple": invoice_multiple,
            "min_amount": min_amount,
            "start": start,
        },
    )


def cashflow_open_items(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None
) -> pd.DataFrame:
    """Grain: customer × due_date × is_disputed × sign: documents open at $as_of (spec §2) over
    the customers in $customer_keys (NULL = every customer), in reporting currency at the
    closing rate. Documents of one customer due on one day are projected together (they are
    paid in the same payment run); credits (negative open amounts) come back as their own
    rows so that the projection can report them without treating them as receipts.
    """
    return engine.frame("cashflow_open_items", {"as_of": as_of, "customer_keys": customer_keys})


def cashflow_receipts(
    engine: Engine, *, customer_keys: list[int] | None, end: date, rate_date: date, start: date
) -> pd.DataFrame:
    """Grain: payment date: cash received in ($start, $end] (every payment, applied or not),
    over the customers in $customer_keys (NULL = every customer), translated into the
    reporting currency at the closing rates in force on $rate_date, so that a backtest
    compares receipts with a projection made at those rates (FX moves are not forecast
    errors).
    """
    return engine.frame(
        "cashflow_receipts",
        {"customer_keys": customer_keys, "end": end, "rate_date": rate_date, "start": start},
    )


def cashflow_recent_terms(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, start: date
) -> dict[str, Any]:
    """Grain: one row: the amount-weighted mean of (due_date − invoice_date) over the positive
    invoices dated in ($start, $as_of], over the customers in $customer_keys (NULL = every
    customer): the terms on which the naive "paid on the due date" method expects new sales.
    """
    return engine.row(
        "cashflow_recent_terms", {"as_of": as_of, "customer_keys": customer_keys, "start": start}
    )


def closing_rate(engine: Engine, *, as_of: date, currency: str) -> pd.DataFrame:
    """Grain: one row: the closing rate of $currency in force on $as_of (NULL when none)."""
    return engine.frame("closing_rate", {"as_of": as_of, "currency": currency})


def closing_rates_at(engine: Engine, *, days: list[date]) -> pd.DataFrame:
    """Grain: currency × date in $days: the closing rate in force on each date (spec §2)."""
    return engine.frame("closing_rates_at", {"days": days})


def collections_settled_by_customer(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, start: date
) -> pd.DataFrame:
    """Grain: customer with positive invoices settled in ($start, $as_of] (spec §4: days to pay
    = settled_date − invoice_date, days late = settled_date − due_date), over the customers
    in $customer_keys (NULL = every customer). The weight of an invoice is its amount in
    reporting currency at its invoice date (documents.sales_amount), so that currencies can
    be added up; Python divides the weighted sums by the weights (analytics/collections.py).
    """
    return engine.frame(
        "collections_settled_by_customer",
        {"as_of": as_of, "customer_keys": customer_keys, "start": start},
    )


def currencies(engine: Engine, *, as_of: date) -> pd.DataFrame:
    """Grain: currency with at least one rate on or before $as_of (display currencies)."""
    return engine.frame("currencies", {"as_of": as_of})


def customer_credit_notes(engine: Engine, *, as_of: date, customer_key: int) -> pd.DataFrame:
    """Grain: credit note (negative document) of one customer ($customer_key) dated on or
    before $as_of, newest first. Spec §2: a credit note with applies_to reduces that invoice
    from the later of the two documents' dates (applied_date, when that is on or before
    $as_of); until then, or when it is stand-alone, it is an open item of its own
    (open_amount, negative).
    """
    return engine.frame("customer_credit_notes", {"as_of": as_of, "customer_key": customer_key})


def customer_open_items(engine: Engine, *, as_of: date, customer_key: int) -> pd.DataFrame:
    """Grain: document of one customer ($customer_key) open at $as_of (spec §2), with its days
    past due (spec §3: $as_of − due_date) and its open amount in the document currency and
    in the reporting currency at the closing rate. Most overdue first.
    """
    return engine.frame("customer_open_items", {"as_of": as_of, "customer_key": customer_key})


def customer_payments(engine: Engine, *, as_of: date, customer_key: int) -> pd.DataFrame:
    """Grain: payment of one customer ($customer_key) dated on or before $as_of, newest first.
    amount_rc = amount in the reporting currency at the rate in force on the payment date
    (what the cash was worth when it arrived); applied_to = the invoice it paid, or
    'unapplied' for cash on account (spec §2).
    """
    return engine.frame("customer_payments", {"as_of": as_of, "customer_key": customer_key})


def customer_settlements_by_month(
    engine: Engine, *, as_of: date, customer_key: int, start: date
) -> pd.DataFrame:
    """Grain: calendar month in which invoices of one customer ($customer_key) were settled
    (spec §4: the date their open amount reached 0), for settled_date in [$start, $as_of].
    Weights are the invoice amount in the reporting currency at the invoice date
    (documents.sales_amount), so invoices in different currencies weigh alike.
    """
    return engine.frame(
        "customer_settlements_by_month",
        {"as_of": as_of, "customer_key": customer_key, "start": start},
    )


def customer_unapplied_cash(engine: Engine, *, as_of: date, customer_key: int) -> pd.DataFrame:
    """Grain: unapplied payment (cash on account, spec §2) of one customer ($customer_key)
    dated on or before $as_of, newest first, converted at the closing rate like
    unapplied_at($as_of), so the rows add up to the unapplied cash subtracted from the
    customer's balance.
    """
    return engine.frame("customer_unapplied_cash", {"as_of": as_of, "customer_key": customer_key})


def customers(engine: Engine) -> pd.DataFrame:
    """Grain: customer: the dimensions and limits every breakdown uses."""
    return engine.frame("customers", {})


def daily_sales_totals(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, start: date
) -> pd.DataFrame:
    """Grain: day with credit sales in ($start, $as_of], total over the customers in
    $customer_keys (NULL = every customer) (spec §4).
    """
    return engine.frame(
        "daily_sales_totals", {"as_of": as_of, "customer_keys": customer_keys, "start": start}
    )


def first_document_date(engine: Engine) -> dict[str, Any]:
    """Grain: one row: the date of the ledger's first document (trends start at its month-end)."""
    return engine.row("first_document_date", {})


def last_settled_date(engine: Engine) -> dict[str, Any]:
    """Grain: one row: the last day a positive document that had been open overnight was
    settled (reached 0): a ledger whose every invoice is paid opens the day before.
    """
    return engine.row("last_settled_date", {})


def entities(engine: Engine) -> pd.DataFrame:
    """Grain: legal entity (spec §8): its documents, customers and document currencies."""
    return engine.frame("entities", {})


def ledger_info(engine: Engine) -> dict[str, Any]:
    """Grain: one row: the ledger's reporting currency, date range and size."""
    return engine.row("ledger_info", {})


def month_end_coverage(engine: Engine) -> dict[str, Any]:
    """Grain: one row: the last month-end the load-time month_end_balances cover."""
    return engine.row("month_end_coverage", {})


def monthly_sales_by_dimension(
    engine: Engine, *, as_of: date, dimension: str, start: date
) -> pd.DataFrame:
    """Grain: dimension value × calendar month (through $as_of) from $start: credit sales per
    group for countback DSO of a breakdown (spec §4). $dimension is one of the customer
    columns below; 'customer' gives one group per customer.
    """
    return engine.frame(
        "monthly_sales_by_dimension", {"as_of": as_of, "dimension": dimension, "start": start}
    )


def open_by_customer_bucket(
    engine: Engine, *, as_of: date, basis: str, edges: list[int]
) -> pd.DataFrame:
    """Grain: customer × aging bucket × disputed, as of $as_of (spec §3). bucket 0 = current
    (age <= 0); bucket k = age above edge k-1 and up to edge k ($edges = [0, e1, e2, ...];
    the last bucket is open-ended). Age is counted from the due date, or from the invoice
    date when $basis = 'invoice'.
    """
    return engine.frame("open_by_customer_bucket", {"as_of": as_of, "basis": basis, "edges": edges})


def open_orders_by_customer(engine: Engine, *, as_of: date) -> pd.DataFrame:
    """Grain: customer with open orders dated on or before $as_of (spec §6), reporting
    currency.
    """
    return engine.frame("open_orders_by_customer", {"as_of": as_of})


def open_totals(engine: Engine, *, as_of: date, customer_keys: list[int] | None) -> dict[str, Any]:
    """Grain: one row, as of $as_of: AR parts for trends and CEI (spec §2-§4), over the
    customers in $customer_keys (NULL = every customer).
    """
    return engine.row("open_totals", {"as_of": as_of, "customer_keys": customer_keys})


def sales_by_customer(engine: Engine, *, as_of: date, start: date) -> pd.DataFrame:
    """Grain: customer with credit sales in ($start, $as_of] (spec §4), reporting currency."""
    return engine.frame("sales_by_customer", {"as_of": as_of, "start": start})


def scenario_backtest_applications(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, start: date
) -> pd.DataFrame:
    """Grain: application event (analytics/limit_backtest.py): what was applied, on or before
    $as_of, to the positive invoices dated in ($start, $as_of] of the customers in
    $customer_keys (NULL = every customer), at the invoice-date rate. A blocked invoice in
    the replay takes these out of the customer's balance along with its own amount.
    """
    return engine.frame(
        "scenario_backtest_applications",
        {"as_of": as_of, "customer_keys": customer_keys, "start": start},
    )


def scenario_backtest_invoices(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, start: date
) -> pd.DataFrame:
    """Grain: positive invoice dated in ($start, $as_of] of the customers in $customer_keys
    (NULL = every customer), with what the limit backtest (analytics/limit_backtest.py)
    replays it against. Every amount is at the document's invoice-date rate
    (documents.sales_amount / amount), so that exchange-rate moves do not change exposure in
    the replay. balance_before_amount: the customer's balance just before the invoice (spec
    §2: every document dated before it, or on its date with a smaller key, less what was
    applied to them and unapplied cash up to and including its date); is_matured: its due
    date + 91 days is on or before $as_of, so whether it went more than 90 days past due is
    known; defaulted_amount: for matured invoices, what was still open 91 days after the due
    date.
    """
    return engine.frame(
        "scenario_backtest_invoices",
        {"as_of": as_of, "customer_keys": customer_keys, "start": start},
    )


def scenario_countback_sales(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, periods: int
) -> pd.DataFrame:
    """Grain: customer × countback period (spec §4): credit sales of period k = 0 (first of
    $as_of's month to $as_of), 1, 2, … ($periods − 1): the k-th full calendar month before
    it. Over the customers in $customer_keys (NULL = every customer), reporting currency.
    """
    return engine.frame(
        "scenario_countback_sales",
        {"as_of": as_of, "customer_keys": customer_keys, "periods": periods},
    )


def scenario_customer_history(engine: Engine, *, as_of: date, start: date) -> pd.DataFrame:
    """Grain: customer with a document dated or settled in the year ($start, $as_of] (start =
    as_of − 365 days): what the policy levers act on, in reporting currency at invoice-date
    rates (documents.sales_amount). invoiced_amount, terms_amount_days: Σ amount and Σ
    amount × (due_date − invoice_date) over positive invoices dated in the year (their ratio
    is the terms in force); sales_year_amount: credit sales (spec §4, credit notes included)
    dated in the year; settled_<undisputed|disputed>_amount, late_<...>_amount_days:
    positive invoices settled (documents.settled_date) in the year: Σ amount and Σ amount ×
    max(days late, 0) (spec §4; paying early is not late, and no lever makes it earlier).
    """
    return engine.frame("scenario_customer_history", {"as_of": as_of, "start": start})


def scenario_default_history(engine: Engine, *, end: date, start: date) -> pd.DataFrame:
    """Grain: customer: the ledger's own 90+ days-past-due history for the PD table
    (analytics/economics.py pd_by_rating). Observation window: due dates in ($start, $end],
    with $end = as_of − 91 days so that every invoice in it has been observable for more
    than 90 days past its due date by as_of. defaulted_amount: undisputed positive invoices
    still open (≥ 0.005) at due_date + 91, i.e. more than 90 days past due, counting only
    applications dated by then; valued at the invoice-date rate (documents.sales_amount /
    amount). Disputes are a commercial matter, not a credit default, and are left out.
    month_end_ar_sum: the customer's open items summed over the calendar month-ends in
    ($start, $end] (load-time month_end_balances), each at that month-end's closing rate;
    n_month_ends: how many month-ends of the window the ledger spans (the same on every
    row).
    """
    return engine.frame("scenario_default_history", {"end": end, "start": start})


def unapplied_by_customer(engine: Engine, *, as_of: date) -> pd.DataFrame:
    """Grain: customer with unapplied cash at $as_of (spec §2), reporting currency."""
    return engine.frame("unapplied_by_customer", {"as_of": as_of})


def risk_calibration_outcomes(
    engine: Engine, *, days: list[date], edges: list[int], horizon_days: int
) -> pd.DataFrame:
    """Grain: calibration month-end × aging bucket at it × aging bucket at the next month-end
    (spec §9), read from the load-time month_end_outcomes: the rows of
    `risk_calibration_outcomes_full` for the month-ends ``days`` at horizon $horizon_days (the
    load's is 365; `month_end_outcomes_coverage` says which month-ends it covers).
    """
    return engine.frame(
        "risk_calibration_outcomes", {"days": days, "edges": edges, "horizon_days": horizon_days}
    )


def risk_calibration_outcomes_full(
    engine: Engine, *, edges: list[int], horizon_days: int, month_ends: list[date]
) -> pd.DataFrame:
    """Grain: calibration month-end × aging bucket at it × aging bucket at the next month-end
    (spec §9: loss rates and roll rates). The book at month-end m in $month_ends: positive,
    undisputed documents whose open amount at m is positive, aged by days past due at m
    ($edges = [0, e1, ...], numbered as in open_by_customer_bucket.sql). In reporting currency
    at m's closing rate: open_amount (open at m); lost_amount (still open at m +
    $horizon_days plus write-off credit notes applied in (m, m + $horizon_days], capped at
    open_amount); next_open_amount (the part still open at the next month-end, in
    next_bucket; NULL bucket: no longer open) and next_written_off_amount (written off by
    then); the rest was collected. Every document at every month-end, from the ledger's own
    tables: any horizon, any month-end.
    """
    return engine.frame(
        "risk_calibration_outcomes_full",
        {"edges": edges, "horizon_days": horizon_days, "month_ends": month_ends},
    )


def month_end_outcomes_coverage(engine: Engine) -> dict[str, Any]:
    """Grain: one row: whether the load built month_end_outcomes (is_built) and the last
    month-end it covers (last_month_end)."""
    return engine.row("month_end_outcomes_coverage", {})


def risk_open_exposure(engine: Engine, *, as_of: date, edges: list[int]) -> pd.DataFrame:
    """Grain: customer × entity × aging bucket × disputed, as of $as_of (spec §9): the
    positive open amount of positive documents (credits and unapplied cash left out, not
    netted), reporting currency at the closing rate, aged by days past due ($edges as in
    open_by_customer_bucket.sql), with n_documents and n_missing_rate.
    """
    return engine.frame("risk_open_exposure", {"as_of": as_of, "edges": edges})


def limit_history(engine: Engine, *, as_of: date, late_days: int, months: int) -> pd.DataFrame:
    """Grain: customer with an invoice on or before $as_of: first invoice date and the day its
    limit stepped up from the staged share (spec §11), null when not yet."""
    return engine.frame("limit_history", {"as_of": as_of, "late_days": late_days, "months": months})


def warning_late_items(engine: Engine, *, as_of: date, min_days_past_due: int) -> pd.DataFrame:
    """Grain: customer with a positive open item more than $min_days_past_due days past due
    at $as_of (spec §12 late_15), reporting currency at the closing rate: the largest such
    item (late_item_id, late_item_amount, late_item_days), n_late_items and late_amount.
    """
    return engine.frame(
        "warning_late_items", {"as_of": as_of, "min_days_past_due": min_days_past_due}
    )


def warning_settlements(
    engine: Engine, *, as_of: date, norm_start: date, recent_start: date
) -> pd.DataFrame:
    """Grain: customer with a positive invoice settled (documents.settled_date) in
    ($norm_start, $as_of] (spec §12 slower): Σ amount and Σ amount × days late, at
    invoice-date rates, of the settlements in ($recent_start, $as_of] (recent_*) and in
    ($norm_start, $recent_start] (norm_*).
    """
    return engine.frame(
        "warning_settlements",
        {"as_of": as_of, "norm_start": norm_start, "recent_start": recent_start},
    )


def warning_sales_periods(
    engine: Engine, *, as_of: date, n_periods: int, period_days: int
) -> pd.DataFrame:
    """Grain: customer × period k (0 = the $period_days days to $as_of, k = the k-th
    period before it, k < $n_periods) with credit sales (spec §4, §12 purchase_spike),
    reporting currency at invoice-date rates.
    """
    return engine.frame(
        "warning_sales_periods",
        {"as_of": as_of, "n_periods": n_periods, "period_days": period_days},
    )


def collections_customers(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None
) -> pd.DataFrame:
    """Grain: customer with a positive open document at $as_of (spec §13: the collection
    worklist) over the customers in $customer_keys (NULL = every customer): oldest_dpd (the
    largest days past due among its positive open documents, its stage), the oldest item, and
    the open, overdue (dpd >= 1) and disputed parts of their open amount in reporting currency
    at the closing rate. Credits and unapplied cash are not netted.
    """
    return engine.frame("collections_customers", {"as_of": as_of, "customer_keys": customer_keys})


def collections_cadence(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, days: int
) -> pd.DataFrame:
    """Grain: pre-due reminder step (spec §13, "3+2+1": statement on invoice_date + 3,
    reminders on invoice_date + term // 2 and + (3 × term) // 4, confirmation on due_date − 1)
    of a positive, undisputed document open at $as_of and not yet due, dated from $as_of to
    $as_of + $days, over the customers in $customer_keys (NULL = all). Only steps after the
    invoice date and before the due date; one step per document a day (the latest).
    """
    return engine.frame(
        "collections_cadence", {"as_of": as_of, "customer_keys": customer_keys, "days": days}
    )


def collections_payments(
    engine: Engine, *, as_of: date, customer_ids: list[str], start: date
) -> pd.DataFrame:
    """Grain: payment of a customer in $customer_ids dated in ($start, $as_of] (spec §13:
    promises and plans are judged on them), applied to an invoice or on account, amount_rc in
    reporting currency at the payment-date rate.
    """
    return engine.frame(
        "collections_payments", {"as_of": as_of, "customer_ids": customer_ids, "start": start}
    )


def collections_disputed_items(
    engine: Engine, *, as_of: date, customer_keys: list[int] | None, edges: list[int]
) -> pd.DataFrame:
    """Grain: disputed document open at $as_of (spec §13) over the customers in
    $customer_keys (NULL = all), with days past due, aging bucket by due date ($edges =
    [0, e1, ...], numbered as in open_by_customer_bucket.sql) and open amount in reporting
    currency at the closing rate, largest first.
    """
    return engine.frame(
        "collections_disputed_items",
        {"as_of": as_of, "customer_keys": customer_keys, "edges": edges},
    )


def collections_invoices(engine: Engine, *, as_of: date, invoice_ids: list[str]) -> pd.DataFrame:
    """Grain: document whose invoice_id is in $invoice_ids (ids the workspace's records name,
    spec §13): customer, dates, disputed flag and open amount at $as_of in reporting currency
    at the closing rate (0 when settled). An id missing from the result is not in this ledger.
    """
    return engine.frame("collections_invoices", {"as_of": as_of, "invoice_ids": invoice_ids})


def ledger_fingerprint(engine: Engine) -> dict[str, Any]:
    """Grain: one row: the loaded ledger's source, load time and reporting currency
    (ledger_settings), and per loaded table its row count, exact sum of amounts in cents,
    first and last dates and the XOR of a hash of every row (the snapshots' content hash).
    """
    return engine.row("ledger_fingerprint", {})


def risk_score_features(engine: Engine, *, dates: list[date]) -> pd.DataFrame:
    """Grain: customer × observation date in $dates (spec §10): what the behavioural score
    reads about a customer at a date, from documents dated and applications made on or
    before it only (a ledger cut at the date gives the same row); one row per customer with
    an open document, a non-zero balance or a credit-sales document in the 12 months to the
    date. Balances (at the date and 3 months before, each at its day's closing rates); open,
    overdue and disputed open amounts of positive documents and max_dpd of undisputed ones
    (open_items rules, closing rate); credit-sales documents and sales in the last 3 and 12
    months (daily_sales); undisputed settlements (documents.settled_date: Σ amount, Σ amount
    × days late) in the last 90 days, the 12 months before them and the last 365 days at
    invoice-date rates; first document date, credit limit and assigned risk rating.
    """
    return engine.frame("risk_score_features", {"dates": dates})


def risk_score_write_offs(engine: Engine, *, as_of: date) -> pd.DataFrame:
    """Grain: customer × day with write-off credit notes (spec §8) dated on or before $as_of:
    their number and amount written off, reporting currency at the invoice-date rate (a
    write-off counts as a default in the behavioural score's target, spec §10).
    """
    return engine.frame("risk_score_write_offs", {"as_of": as_of})
