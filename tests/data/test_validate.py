"""Validation: one bad ledger per rule, each issue naming its file, data row and column.

Rows count as a spreadsheet does: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import LedgerError
from data.loader import load_ledger, validate_ledger
from tests.data.conftest import GOOD, header

INVOICES = header("invoices")
PAYMENTS = header("payments")


def where(issues) -> list[tuple]:
    """(severity, file, row, column) of each issue, to compare as a list."""
    return [(i.severity, i.file, i.row, i.column) for i in issues]


def replaced(table: str, old: str, new: str) -> str:
    """The GOOD CSV of `table` with one piece of text replaced (which must be there)."""
    assert old in GOOD[table]
    return GOOD[table].replace(old, new)


def test_the_good_ledger_has_no_issues(ledger) -> None:
    assert validate_ledger(ledger()) == []


# --- errors ----------------------------------------------------------------------------


def test_a_missing_required_column(ledger) -> None:
    text = INVOICES.replace(",due_date", "") + "I1,C1,2024-01-05,100,,,\n"
    issues = validate_ledger(ledger(invoices=text, payments=None))
    assert where(issues) == [("error", "invoices.csv", None, "due_date")]
    assert issues[0].message == "required column is missing"


def test_an_empty_value_in_a_required_column(ledger) -> None:
    text = replaced("invoices", "I2,C2,", "I2,,")
    issues = validate_ledger(ledger(invoices=text))
    assert where(issues) == [("error", "invoices.csv", 3, "customer_id")]
    assert issues[0].message == "required value is empty"


def test_an_unparsable_date(ledger) -> None:
    text = replaced("invoices", "I1,C1,2024-01-05", "I1,C1,2024-13-05")
    issues = validate_ledger(ledger(invoices=text))
    assert where(issues) == [("error", "invoices.csv", 2, "invoice_date")]
    assert issues[0].message == "'2024-13-05' is not a date (YYYY-MM-DD)"


@pytest.mark.parametrize("value", ["1,5", "abc", "nan", "inf"])
def test_an_unparsable_number(ledger, value: str) -> None:
    text = replaced("payments", "2024-01-21,10.00", f'2024-01-21,"{value}"')
    issues = validate_ledger(ledger(payments=text))
    assert where(issues) == [("error", "payments.csv", 3, "amount")]
    assert issues[0].message.startswith(f"'{value}' is not a number")  # 1,5: a hint follows


def test_an_unparsable_integer(ledger) -> None:
    text = replaced("customers", "1000,30", "1000,thirty")
    issues = validate_ledger(ledger(customers=text))
    assert where(issues) == [("error", "customers.csv", 2, "payment_terms_days")]
    assert issues[0].message == "'thirty' is not a whole number"


def test_an_unparsable_boolean(ledger) -> None:
    text = replaced("invoices", "EUR,true,", "EUR,maybe,")
    issues = validate_ledger(ledger(invoices=text))
    assert where(issues) == [("error", "invoices.csv", 3, "disputed")]
    assert issues[0].message == "'maybe' is not true/false"


@pytest.mark.parametrize(
    ("table", "extra_row", "column", "row", "message"),
    [
        (
            "customers",
            "C1,Acme again,,,,\n",
            "customer_id",
            4,
            "duplicate customer_id C1: 2 rows, first on row 2",
        ),
        (
            "invoices",
            "I1,C1,2024-01-04,2024-02-03,500,,,\n",
            "invoice_id",
            5,
            "duplicate invoice_id I1: 2 rows, first on row 2",
        ),
        (
            "payments",
            "P1,C1,2024-01-22,5,,\n",
            "payment_id",
            4,
            "duplicate payment_id P1: 2 rows, first on row 2",
        ),
        (
            "orders",
            "O1,C2,2024-01-16,5,,open\n",
            "order_id",
            3,
            "duplicate order_id O1: 2 rows, first on row 2",
        ),
        (
            "fx_rates",
            "EUR,2024-01-01,1.15\n",
            "rate_date",
            4,
            "duplicate currency and rate_date EUR 2024-01-01: 2 rows, first on row 2",
        ),
    ],
)
def test_a_duplicate_key(
    ledger, table: str, extra_row: str, column: str, row: int, message: str
) -> None:
    issues = validate_ledger(ledger(**{table: GOOD[table] + extra_row}))
    assert where(issues) == [("error", f"{table}.csv", row, column)]
    assert issues[0].message == message


@pytest.mark.parametrize(
    ("table", "old", "new", "row"),
    [
        ("invoices", "I2,C2,", "I2,C9,", 3),
        ("payments", "P2,C2,", "P2,C9,", 3),
        ("orders", "O1,C1,", "O1,C9,", 2),
    ],
)
def test_an_unknown_customer(ledger, table: str, old: str, new: str, row: int) -> None:
    issues = validate_ledger(ledger(**{table: replaced(table, old, new)}))
    assert where(issues) == [("error", f"{table}.csv", row, "customer_id")]
    assert issues[0].message == "customer_id C9 is not in customers"


def test_customers_are_implied_when_there_is_no_customers_file(ledger) -> None:
    text = replaced("invoices", "I2,C2,", "I2,C9,")
    assert validate_ledger(ledger(customers=None, invoices=text)) == []


def test_a_payment_for_an_unknown_invoice(ledger) -> None:
    text = replaced("payments", ",,I1", ",,I9")
    issues = validate_ledger(ledger(payments=text))
    assert where(issues) == [("error", "payments.csv", 2, "invoice_id")]
    assert issues[0].message == "invoice_id I9 is not in invoices"


def test_a_credit_note_for_an_unknown_invoice(ledger) -> None:
    text = replaced("invoices", ",,,I1", ",,,I9")
    issues = validate_ledger(ledger(invoices=text))
    assert where(issues) == [("error", "invoices.csv", 4, "applies_to")]
    assert issues[0].message == "applies_to I9 is not in invoices"


def test_a_negative_payment_amount(ledger) -> None:
    text = replaced("payments", "2024-01-21,10.00", "2024-01-21,-10.00")
    issues = validate_ledger(ledger(payments=text))
    assert where(issues) == [("error", "payments.csv", 3, "amount")]
    assert issues[0].message == "payment amount -10.0 is negative"


@pytest.mark.parametrize(
    ("table", "old", "new", "row", "message"),
    [
        (
            "invoices",
            "100.00,,false",
            "100.00,GBP,false",
            2,
            "no fx rate for GBP in force on 2024-01-05 (fx_rates has no rate for it)",
        ),
        (
            "invoices",
            "I2,C2,2024-01-03",
            "I2,C2,2023-12-31",
            3,
            "no fx rate for EUR in force on 2023-12-31 (its first rate is dated 2024-01-01)",
        ),
        (
            "payments",
            "80.00,,I1",
            "80.00,gbp,I1",
            2,
            "no fx rate for GBP in force on 2024-01-20 (fx_rates has no rate for it)",
        ),
        (
            "orders",
            "300.00,,Open",
            "300.00,CHF,Open",
            2,
            "no fx rate for CHF in force on 2024-01-15 (fx_rates has no rate for it)",
        ),
    ],
)
def test_a_currency_without_a_rate_in_force(
    ledger, table: str, old: str, new: str, row: int, message: str
) -> None:
    issues = validate_ledger(ledger(**{table: replaced(table, old, new)}))
    assert where(issues) == [("error", f"{table}.csv", row, "currency")]
    assert issues[0].message == message


def test_a_listed_rate_for_the_reporting_currency_must_be_1(ledger) -> None:
    fx = GOOD["fx_rates"] + "USD,2024-01-01,1\nUSD,2024-02-01,1.05\n"
    issues = validate_ledger(ledger(fx_rates=fx))
    # row 4 (rate 1) is fine, row 5 is not
    assert where(issues) == [("error", "fx_rates.csv", 5, "rate")]
    assert issues[0].message == "rate 1.05 of the reporting currency USD must be 1"


def test_the_reporting_currency_is_the_one_given(ledger) -> None:
    # with EUR reporting, the EUR rates 1.10 and 1.20 are wrong and the empty currencies are EUR
    issues = validate_ledger(ledger(), currency="eur")
    assert where(issues) == [
        ("error", "fx_rates.csv", 2, "rate"),
        ("error", "fx_rates.csv", 3, "rate"),
    ]


@pytest.mark.parametrize("rate", ["0", "-1.10"])
def test_a_non_positive_rate(ledger, rate: str) -> None:
    issues = validate_ledger(
        ledger(fx_rates=replaced("fx_rates", "2024-02-01,1.20", f"2024-02-01,{rate}"))
    )
    assert where(issues) == [("error", "fx_rates.csv", 3, "rate")]
    assert issues[0].message == f"rate {float(rate)} for EUR is not positive"


# --- every problem, not just the first -------------------------------------------------


def test_every_problem_in_every_file_is_reported(ledger) -> None:
    invoices = replaced("invoices", "I1,C1,2024-01-05", "I1,C1,05/01/2024")
    invoices = invoices.replace("50.00,EUR", "fifty,EUR")
    payments = replaced("payments", ",,I1", ",,I7")
    issues = validate_ledger(ledger(invoices=invoices, payments=payments))
    assert where(issues) == [
        ("error", "invoices.csv", 2, "invoice_date"),
        ("error", "invoices.csv", 3, "amount"),
        ("error", "payments.csv", 2, "invoice_id"),
    ]


def test_at_most_20_examples_per_rule_then_a_count(ledger) -> None:
    rows = "".join(f"X{n},C1,2024-01-05,2024-02-04,oops,,,\n" for n in range(1, 26))
    issues = validate_ledger(ledger(invoices=INVOICES + rows, payments=None))
    assert [i.row for i in issues] == [*range(2, 22), None]
    assert issues[-1].message == "25 rows in all have this problem; the first 20 are listed"


def test_a_failed_load_raises_one_error_naming_file_row_and_column(ledger, tmp_path: Path) -> None:
    text = replaced("invoices", "I1,C1,2024-01-05", "I1,C1,2024-01-32")
    with pytest.raises(LedgerError) as caught:
        load_ledger(ledger(invoices=text), tmp_path / "db.duckdb")
    assert str(caught.value) == (
        "1 error(s) in the ledger; nothing was loaded:\n"
        "invoices.csv, row 2, column invoice_date: '2024-01-32' is not a date (YYYY-MM-DD)"
    )
    assert len(caught.value.issues) == 1


# --- warnings ----------------------------------------------------------------------------


def test_a_due_date_before_the_invoice_date_warns(ledger) -> None:
    issues = validate_ledger(
        ledger(invoices=replaced("invoices", "2024-01-05,2024-02-04", "2024-01-05,2024-01-01"))
    )
    assert where(issues) == [("warning", "invoices.csv", 2, "due_date")]
    assert issues[0].message == "due date 2024-01-01 is before the invoice date 2024-01-05"


def test_a_payment_dated_before_its_invoice_warns(ledger) -> None:
    issues = validate_ledger(
        ledger(payments=replaced("payments", "P1,C1,2024-01-20", "P1,C1,2024-01-02"))
    )
    assert where(issues) == [("warning", "payments.csv", 2, "payment_date")]
    assert issues[0].message == "payment dated 2024-01-02 is before invoice I1 dated 2024-01-05"


def test_a_credit_note_larger_than_its_invoice_warns(ledger) -> None:
    issues = validate_ledger(ledger(invoices=replaced("invoices", "-20.00", "-120.00")))
    assert where(issues) == [("warning", "invoices.csv", 4, "amount")]
    assert issues[0].message == "credit note of 120.0 is larger than invoice I1 of 100.0"


def test_applies_to_on_a_positive_amount_warns(ledger) -> None:
    issues = validate_ledger(ledger(invoices=replaced("invoices", "EUR,true,", "EUR,true,I1")))
    assert where(issues) == [("warning", "invoices.csv", 3, "applies_to")]
    assert issues[0].message == "applies_to I1 is set on a positive amount 50.0"


def test_a_payment_from_another_customer_than_its_invoice_warns(ledger) -> None:
    issues = validate_ledger(ledger(payments=replaced("payments", "P1,C1,", "P1,C2,")))
    assert where(issues) == [("warning", "payments.csv", 2, "customer_id")]
    assert issues[0].message == "payment from customer C2 is applied to invoice I1 of customer C1"


def test_warnings_do_not_block_the_load(ledger, tmp_path: Path) -> None:
    folder = ledger(payments=replaced("payments", "P1,C1,", "P1,C2,"))
    report = load_ledger(folder, tmp_path / "db.duckdb")
    assert report.counts["payments"] == 2
    assert where(report.warnings) == [("warning", "payments.csv", 2, "customer_id")]
