"""Mappings: parsing, every kind of bad mapping, and exports loaded through a mapping."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from core.errors import LedgerError
from data.loader import load_ledger, read_to_connection, validate_ledger
from data.mapping import ColumnRule, load_mapping
from tests.data.conftest import write_csv

REPO = Path(__file__).resolve().parents[2]
IBM_CSV = REPO.parent / "shared" / "data" / "ibm_ar_late_payments.csv"
IBM_MAPPING = REPO / "mappings" / "ibm_ar_late_payments.toml"

EXPORT = """\
    Doc No,Client,Doc Date,Due,Value,Paid On,In Dispute
    007,K1,31/01/2024,01/03/2024,10.50,15/02/2024,Y
    008,K2,01/02/2024,02/03/2024,20.00,,N
    009,K1,02/02/2024,03/03/2024,30.25,01/03/2024,N
    """
EXPORT_MAPPING = {
    "date_format": "%d/%m/%Y",
    "invoices": {
        "invoice_id": "Doc No",
        "customer_id": "Client",
        "invoice_date": "Doc Date",
        "due_date": "Due",
        "amount": "Value",
        "disputed": {"from": "In Dispute", "true": ["y"], "false": ["n"]},
        "currency": {"value": "eur"},
    },
    "payments": {"settled_date": "Paid On"},
}


def fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_no_mapping_is_the_identity() -> None:
    mapping = load_mapping(None)
    assert mapping.tables == {}
    assert mapping.table("invoices").columns == {}


def test_ibm_mapping_parses_into_rules() -> None:
    mapping = load_mapping(IBM_MAPPING)
    invoices = mapping.table("invoices")
    assert mapping.name == "ibm_ar_late_payments.toml"
    assert mapping.date_format == "%m/%d/%Y"
    assert invoices.columns["invoice_id"] == ColumnRule(source="invoiceNumber")
    assert invoices.columns["disputed"].true_words == ("yes",)
    assert invoices.columns["disputed"].false_words == ("no",)
    assert mapping.table("customers").distinct is True
    assert mapping.table("payments").settled_date == ColumnRule(source="SettledDate")


def test_a_dict_mapping_is_the_same_as_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('[invoices]\ninvoice_id = "Doc No"\ncurrency = { value = "EUR" }\n')
    from_file = load_mapping(path)
    from_dict = load_mapping({"invoices": {"invoice_id": "Doc No", "currency": {"value": "EUR"}}})
    assert from_file.tables == from_dict.tables


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[invoice]\ninvoice_id = "x"\n', "key invoice:"),
        ('[invoices]\ninvoice_no = "x"\n', "key invoices.invoice_no:"),
        (
            '[invoices]\ninvoice_date = { from = "d", format = "MM/DD/YYYY" }\n',
            "invoice_date.format",
        ),
        ('[invoices]\ninvoice_date = { from = "d", format = "%Q/%d" }\n', "invoice_date.format"),
        ('date_format = "%m/%d/%"\n', "key date_format:"),
        ('[invoices]\namount = { from = "a", format = "%d" }\n', "key invoices.amount:"),
        ('[invoices]\namount = { from = "a", true = ["y"], false = ["n"] }\n', "invoices.amount:"),
        ('[invoices]\ndisputed = { from = "d", true = ["y"] }\n', "invoices.disputed.false"),
        ('[invoices]\ncurrency = { from = "c", value = "USD" }\n', "key invoices.currency:"),
        ('[invoices]\ncurrency = { form = "c" }\n', "key invoices.currency:"),
        ("[invoices]\ncurrency = 3\n", "key invoices.currency:"),
        ('[invoices]\ndistinct = "yes"\n', "key invoices.distinct:"),
        ('[payments]\nsettled_date = "S"\namount = "A"\n', "key payments.settled_date:"),
        ("invoices = 1\n", "key invoices:"),
    ],
)
def test_a_bad_mapping_names_the_file_and_the_key(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(LedgerError, match="mapping bad.toml") as caught:
        load_mapping(path)
    assert key in str(caught.value)


def test_a_mapping_that_is_not_toml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("[invoices\n")
    with pytest.raises(LedgerError, match="mapping broken.toml: not valid TOML"):
        load_mapping(path)


def test_a_missing_mapping_file_is_a_ledger_error(tmp_path: Path) -> None:
    with pytest.raises(LedgerError, match="mapping nowhere.toml: cannot read it"):
        load_mapping(tmp_path / "nowhere.toml")


def test_a_source_column_not_in_the_file_names_mapping_key_and_file(tmp_path: Path) -> None:
    export = write_csv(tmp_path, "export.csv", EXPORT)
    mapping = {**EXPORT_MAPPING, "invoices": {**EXPORT_MAPPING["invoices"], "amount": "Amount"}}
    with pytest.raises(LedgerError) as caught:
        validate_ledger(export, mapping=mapping)
    message = str(caught.value)
    assert "mapping <mapping dict>, key invoices.amount" in message
    assert "'Amount' is not in export.csv" in message


def test_an_export_loads_through_a_mapping(tmp_path: Path) -> None:
    export = write_csv(tmp_path, "export.csv", EXPORT)
    con, warnings = read_to_connection(export, mapping=EXPORT_MAPPING, currency="EUR")
    assert warnings == []
    invoices = fetch(
        con,
        "select invoice_id, customer_id, invoice_date, due_date, amount, currency, disputed"
        " from invoices order by invoice_key",
    )
    assert invoices == [
        ("007", "K1", date(2024, 1, 31), date(2024, 3, 1), 10.50, "EUR", True),
        ("008", "K2", date(2024, 2, 1), date(2024, 3, 2), 20.00, "EUR", False),
        ("009", "K1", date(2024, 2, 2), date(2024, 3, 3), 30.25, "EUR", False),
    ]


def test_settled_dates_become_one_full_payment_per_settled_invoice(tmp_path: Path) -> None:
    export = write_csv(tmp_path, "export.csv", EXPORT)
    con, _ = read_to_connection(export, mapping=EXPORT_MAPPING, currency="EUR")
    payments = fetch(
        con,
        "select payment_id, customer_id, payment_date, amount, currency, invoice_id"
        " from payments order by payment_key",
    )
    # 008 has no "Paid On": no payment. Ordered by payment_date.
    assert payments == [
        ("PAY-007", "K1", date(2024, 2, 15), 10.50, "EUR", "007"),
        ("PAY-009", "K1", date(2024, 3, 1), 30.25, "EUR", "009"),
    ]


def test_an_unparsable_settled_date_names_the_export_row_and_column(tmp_path: Path) -> None:
    text = EXPORT.replace("01/03/2024,N", "1st March,N")
    export = write_csv(tmp_path, "export.csv", text)
    issues = validate_ledger(export, mapping=EXPORT_MAPPING, currency="EUR")
    assert [(i.file, i.row, i.column) for i in issues] == [("export.csv", 4, "Paid On")]
    assert "'1st March' is not a date in format %d/%m/%Y" in issues[0].message


def test_distinct_customers_come_from_the_invoice_rows(tmp_path: Path) -> None:
    export = write_csv(
        tmp_path,
        "export.csv",
        EXPORT.replace("Client,", "Client,Region,")
        .replace(",K1,", ",K1,North,")
        .replace(",K2,", ",K2,South,"),
    )
    mapping = {
        **EXPORT_MAPPING,
        "customers": {"distinct": True, "customer_id": "Client", "region": "Region"},
    }
    con, _ = read_to_connection(export, mapping=mapping, currency="EUR")
    assert fetch(con, "select customer_key, customer_id, region from customers order by 1") == [
        (0, "K1", "North"),
        (1, "K2", "South"),
    ]


def test_a_customer_with_two_different_rows_is_a_duplicate(tmp_path: Path) -> None:
    text = EXPORT.replace("Client,", "Client,Region,").replace(",K2,", ",K2,South,")
    text = text.replace("007,K1,", "007,K1,North,").replace("009,K1,", "009,K1,East,")
    export = write_csv(tmp_path, "export.csv", text)
    mapping = {
        **EXPORT_MAPPING,
        "customers": {"distinct": True, "customer_id": "Client", "region": "Region"},
    }
    issues = validate_ledger(export, mapping=mapping, currency="EUR")
    assert [(i.file, i.row, i.column) for i in issues] == [("export.csv", 4, "Client")]
    assert "duplicate customer_id K1: 2 rows, first on row 2" in issues[0].message


def test_a_folder_mapping_can_name_the_file_of_a_table(tmp_path: Path) -> None:
    write_csv(tmp_path / "erp", "open_items.csv", EXPORT)
    mapping = {
        **EXPORT_MAPPING,
        "invoices": {**EXPORT_MAPPING["invoices"], "file": "open_items.csv"},
    }
    con, _ = read_to_connection(tmp_path / "erp", mapping=mapping, currency="EUR")
    assert fetch(con, "select count(*) from invoices") == [(3,)]


def test_a_mapping_file_naming_a_missing_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "erp").mkdir()
    with pytest.raises(LedgerError, match="key invoices.file: no file 'x.csv'"):
        validate_ledger(tmp_path / "erp", mapping={"invoices": {"file": "x.csv"}})


def test_a_single_file_needs_a_mapping(tmp_path: Path) -> None:
    export = write_csv(tmp_path, "export.csv", EXPORT)
    with pytest.raises(LedgerError, match="export.csv: a single file needs a mapping"):
        validate_ledger(export)


def test_the_ibm_sample_loads_end_to_end(tmp_path: Path) -> None:
    report = load_ledger(IBM_CSV, tmp_path / "ibm.duckdb", mapping=IBM_MAPPING)
    # data README: 2466 rows, 100 customers, every invoice settled once in full
    assert report.counts["invoices"] == 2466
    assert report.counts["customers"] == 100
    assert report.counts["payments"] == 2466
    assert report.warnings == []
    with duckdb.connect(str(report.db_path), read_only=True) as con:
        # data README: InvoiceAmount total 147,703.18; Disputed Yes 561
        assert fetch(
            con, "select round(sum(amount), 2), count(*) filter (where disputed) from invoices"
        ) == [(147703.18, 561)]
        # every invoice has exactly one payment of its full amount
        settled = fetch(
            con,
            "select count(*) from invoices i join payments p on p.invoice_key = i.invoice_key"
            " where p.amount = i.amount and p.payment_id = 'PAY-' || i.invoice_id",
        )
        assert settled == [(2466,)]
        # first data row: 391,0379-NEVHP,4/6/2013,0000611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,...
        first = fetch(
            con,
            "select i.customer_id, i.invoice_date, i.due_date, i.amount, i.disputed, p.payment_date, c.country"
            " from invoices i join payments p on p.invoice_key = i.invoice_key"
            " join customers c on c.customer_key = i.customer_key"
            " where i.invoice_id = '0000611365'",
        )
        assert first == [
            (
                "0379-NEVHP",
                date(2013, 1, 2),
                date(2013, 2, 1),
                55.94,
                False,
                date(2013, 1, 15),
                "391",
            )
        ]


def test_an_unreadable_export_is_one_issue_even_with_settled_payments(tmp_path: Path) -> None:
    # row 3 (file line 3) has one value too many
    text = EXPORT.replace("20.00,,N", "20.00,,N,extra")
    export = write_csv(tmp_path, "export.csv", text)
    issues = validate_ledger(export, mapping=EXPORT_MAPPING, currency="EUR")
    assert [(i.file, i.row) for i in issues] == [("export.csv", 3)]
    assert (
        issues[0].message
        == "cannot read the file at line 3: Expected Number of Columns: 7 Found: 8"
    )
