"""The deterministic sample ledger (data/sample.py) against spec §1 and its own promises."""

import hashlib
from datetime import date

import duckdb
import pyarrow.parquet as pq
import pytest

from data.sample import generate_sample
from data.schema import TABLES

END = date(2026, 10, 31)
SMALL = {"invoices": 2_000, "seed": 11}
ARROW_TYPE_NAMES = {
    "VARCHAR": "string",
    "DATE": "date32[day]",
    "DOUBLE": "double",
    "INTEGER": "int32",
    "BOOLEAN": "bool",
}


def _digests(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _connect(folder, file_format="parquet"):
    con = duckdb.connect()
    for table in TABLES:
        path = str(folder / f"{table.name}.{file_format}")
        relation = con.read_parquet(path) if file_format == "parquet" else con.read_csv(path)
        relation.create_view(table.name)
    return con


def _one(con, sql):
    return con.execute(sql).fetchone()


@pytest.fixture(scope="module")
def small_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    generate_sample(folder, **SMALL)
    return folder


@pytest.fixture(scope="module")
def ledger(small_dir):
    return _connect(small_dir)


# Determinism and sizes ------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_same_arguments_give_byte_identical_files(tmp_path, file_format):
    generate_sample(tmp_path / "a", file_format=file_format, **SMALL)
    generate_sample(tmp_path / "b", file_format=file_format, **SMALL)
    digests = _digests(tmp_path / "a")
    assert len(digests) == len(TABLES)
    assert digests == _digests(tmp_path / "b")


def test_another_seed_gives_other_files(tmp_path, small_dir):
    generate_sample(tmp_path, invoices=SMALL["invoices"], seed=SMALL["seed"] + 1)
    ours, theirs = _digests(small_dir), _digests(tmp_path)
    assert ours["invoices.parquet"] != theirs["invoices.parquet"]
    assert ours["payments.parquet"] != theirs["payments.parquet"]


@pytest.mark.parametrize("invoices", [1, 7, 2_000, 2_345])
def test_the_requested_number_of_invoice_rows_is_written_exactly(tmp_path, invoices):
    rows = generate_sample(tmp_path, invoices=invoices)
    assert rows["invoices"] == invoices
    assert pq.read_metadata(tmp_path / "invoices.parquet").num_rows == invoices


def test_returned_counts_are_the_rows_in_the_files(tmp_path):
    rows = generate_sample(tmp_path, **SMALL)
    assert set(rows) == {t.name for t in TABLES}
    for name, count in rows.items():
        assert pq.read_metadata(tmp_path / f"{name}.parquet").num_rows == count


def test_default_customer_count_is_one_per_200_invoices_but_at_least_20(tmp_path):
    assert generate_sample(tmp_path / "a", invoices=2_000)["customers"] == 20
    assert generate_sample(tmp_path / "b", invoices=9_000)["customers"] == 45
    assert generate_sample(tmp_path / "c", invoices=2_000, customers=33)["customers"] == 33


def test_progress_rises_from_zero_to_one(tmp_path):
    seen = []
    generate_sample(tmp_path, invoices=500, progress=lambda f, m: seen.append((f, m)))
    fractions = [f for f, _ in seen]
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert all(isinstance(m, str) and m for _, m in seen)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"invoices": 0}, "invoices must be at least 1"),
        ({"customers": 0}, "customers must be at least 1"),
        ({"years": 0}, "years must be at least 1"),
        ({"file_format": "xlsx"}, "file_format must be one of parquet, csv"),
    ],
)
def test_bad_arguments_are_rejected_before_writing(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        generate_sample(tmp_path / "out", **kwargs)
    assert not (tmp_path / "out").exists()


# Spec §1 columns and types ---------------------------------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_parquet_files_have_exactly_the_spec_columns_and_types(small_dir, table):
    schema = pq.read_schema(small_dir / f"{table.name}.parquet")
    assert schema.names == table.column_names
    assert [str(f.type) for f in schema] == [ARROW_TYPE_NAMES[c.type] for c in table.columns]


def test_csv_files_have_iso_dates_empty_cells_and_two_decimal_amounts(tmp_path):
    generate_sample(tmp_path, file_format="csv", **SMALL)
    header = (tmp_path / "invoices.csv").read_text().splitlines()[:2]
    assert header[0] == '"' + '","'.join(TABLES[1].column_names) + '"'
    # "INV0000001","C00013",2023-11-01,2023-12-01,1234.50,"USD",false,<empty applies_to>,false,"US01"
    fields = header[1].split(",")
    assert len(fields[2]) == 10 and fields[2][4] == "-" and fields[3][7] == "-"
    assert len(fields[4].split(".")[1]) == 2
    assert fields[-3] == "" and fields[-2] == "false" and fields[-1] in ('"US01"', '"EU01"')
    con = _connect(tmp_path, "csv")
    assert _one(con, "select typeof(invoice_date), typeof(disputed) from invoices limit 1") == (
        "DATE",
        "BOOLEAN",
    )
    assert _one(con, "select count(*) from customers where credit_limit is null")[0] > 0
    assert _one(con, "select count(*) from payments where invoice_id is null")[0] > 0


# Referential integrity --------------------------------------------------------------------


def test_keys_are_unique_and_ids_follow_the_house_format(ledger):
    for table, key, pattern in [
        ("customers", "customer_id", "^C[0-9]{5}$"),
        ("invoices", "invoice_id", "^INV[0-9]{7}$"),
        ("payments", "payment_id", "^PAY[0-9]{7}$"),
    ]:
        n, distinct, matching = _one(
            ledger,
            f"select count(*), count(distinct {key}), "
            f"count(*) filter (where regexp_matches({key}, '{pattern}')) from {table}",
        )
        assert n == distinct == matching


def test_every_reference_points_to_an_existing_row(ledger):
    assert _one(
        ledger,
        """select
            (select count(*) from invoices where customer_id not in (select customer_id from customers)),
            (select count(*) from payments where customer_id not in (select customer_id from customers)),
            (select count(*) from orders where customer_id not in (select customer_id from customers)),
            (select count(*) from customers where group_id not in (select customer_id from customers)),
            (select count(*) from payments where invoice_id not in (select invoice_id from invoices)),
            (select count(*) from invoices where applies_to not in (select invoice_id from invoices))
        """,
    ) == (0, 0, 0, 0, 0, 0)


def test_a_payment_matches_its_invoice_customer_and_currency(ledger):
    assert _one(
        ledger,
        """select count(*) from payments p join invoices i using (invoice_id)
           where p.customer_id <> i.customer_id or p.currency <> i.currency or p.amount <= 0""",
    ) == (0,)


def test_no_payment_before_its_invoice_or_after_the_end_date(ledger):
    early, late = _one(
        ledger,
        f"""select count(*) filter (where p.payment_date < i.invoice_date),
                   (select count(*) from payments where payment_date > date '{END}')
            from payments p join invoices i using (invoice_id)""",
    )
    assert (early, late) == (0, 0)


def test_credit_notes_reduce_an_earlier_invoice_of_the_same_customer_by_at_most_its_amount(
    ledger,
):
    bad = _one(
        ledger,
        """select count(*) from invoices c join invoices i on c.applies_to = i.invoice_id
           where c.amount >= 0 or i.amount <= 0 or c.customer_id <> i.customer_id
              or c.invoice_date < i.invoice_date or -c.amount > i.amount
              or c.currency <> i.currency""",
    )
    assert bad == (0,)
    assert _one(
        ledger, "select count(*) from invoices where applies_to is not null and amount > 0"
    ) == (0,)


def test_payments_never_exceed_the_invoice_net_of_credits_but_for_a_few_small_overpayments(
    ledger,
):
    n_over, worst = _one(
        ledger,
        """with paid as (select invoice_id, sum(amount) paid from payments
                         where invoice_id is not null group by 1),
                credit as (select applies_to as invoice_id, sum(amount) credit from invoices
                           where applies_to is not null group by 1)
           select count(*), coalesce(max(paid - amount - coalesce(credit, 0)), 0)
           from invoices join paid using (invoice_id) left join credit using (invoice_id)
           where paid > amount + coalesce(credit, 0) + 0.005""",
    )
    assert n_over <= 5
    assert worst <= 25.0


def test_fx_rates_cover_every_document_date_and_end_at_the_end_date(ledger):
    first_rate, last_rate, first_doc, n_currencies, low, high = _one(
        ledger,
        """select min(rate_date), max(rate_date),
                  (select min(invoice_date) from invoices), count(distinct currency),
                  min(rate), max(rate)
           from fx_rates""",
    )
    assert first_rate <= first_doc
    assert (END - last_rate).days <= 3 and last_rate <= END  # business-day rates
    assert n_currencies == 1
    assert 0.8 < low <= high < 1.4
    gaps = _one(
        ledger,
        "select max(gap) from (select rate_date - lag(rate_date) over (order by rate_date) gap from fx_rates)",
    )
    assert gaps == (3,)  # Friday to Monday


# Realism: the features later pages rely on -------------------------------------------------


def test_every_feature_a_credit_manager_looks_for_is_present(ledger):
    counts = _one(
        ledger,
        """select
            (select count(*) from invoices where amount < 0 and applies_to is not null),
            (select count(*) from invoices where amount < 0 and applies_to is null),
            (select count(*) from (select invoice_id from payments where invoice_id is not null
                                   group by 1 having count(*) > 1)),
            (select count(*) from payments where invoice_id is null),
            (select count(*) from invoices where disputed),
            (select count(*) from invoices where currency = 'EUR'),
            (select count(*) from customers where credit_limit is null),
            (select count(*) from customers where insured_limit is null),
            (select count(*) from customers where group_id <> customer_id),
            (select count(*) from orders where status = 'open'
                and order_date > date '2026-10-31' - interval 60 day)
        """,
    )
    assert all(c > 0 for c in counts), counts


def test_document_shares_are_near_their_targets(ledger):
    credit_notes, disputed, eur, instalments, unapplied = _one(
        ledger,
        """select avg((amount < 0)::int), avg(disputed::int), avg((currency = 'EUR')::int),
                  (select avg((n > 1)::int) from (select count(*) n from payments
                   where invoice_id is not null group by invoice_id)),
                  (select avg((invoice_id is null)::int) from payments)
           from invoices""",
    )
    assert credit_notes == pytest.approx(0.03, abs=0.001)  # round(3 % of 2,000) = 60 rows
    assert disputed == pytest.approx(0.025, abs=0.01)
    assert eur == pytest.approx(0.2, abs=0.12)  # per-customer currency: lumpy at 20 customers
    assert instalments == pytest.approx(0.15, abs=0.04)
    assert unapplied == pytest.approx(0.002, abs=0.0015)


def test_some_customers_are_over_their_limit_at_the_end_date(ledger):
    rate = _one(ledger, "select rate from fx_rates order by rate_date desc limit 1")[0]
    over, limited = _one(
        ledger,
        f"""with moves as (
                select customer_id, amount, currency from invoices
                union all select customer_id, -amount, currency from payments),
            balance as (select customer_id, sum(amount) b, any_value(currency) cur
                        from moves group by 1),
            ordered as (select customer_id, sum(amount) o from orders where status = 'open'
                        group by 1)
            select count(*) filter (where (greatest(b, 0) + coalesce(o, 0))
                                          * (case when cur = 'EUR' then {rate} else 1 end)
                                    > credit_limit),
                   count(credit_limit)
            from customers left join balance using (customer_id) left join ordered using (customer_id)""",
    )
    assert over >= 1
    assert over / limited <= 0.15


def test_groups_have_two_to_five_members_under_a_parent_that_is_its_own_group(ledger):
    sizes = ledger.execute(
        """select group_id, count(*) from customers group by 1 having count(*) > 1"""
    ).fetchall()
    assert sizes and all(2 <= n <= 5 for _, n in sizes)
    assert _one(
        ledger,
        """select count(*) from customers c join customers p on c.group_id = p.customer_id
           where p.group_id <> p.customer_id""",
    ) == (0,)


def test_orders_are_recent_and_open_shipped_or_cancelled(ledger):
    first, last, statuses = _one(
        ledger, "select min(order_date), max(order_date), list(distinct status) from orders"
    )
    assert (END - first).days < 60 and last <= END
    assert set(statuses) <= {"open", "shipped", "cancelled"}


def test_worse_ratings_pay_later(tmp_path):
    generate_sample(tmp_path, invoices=6_000, customers=100, seed=3)
    con = _connect(tmp_path)
    late = dict(
        con.execute(
            """with last_payment as (select invoice_id, max(payment_date) paid_date
                                     from payments where invoice_id is not null group by 1)
               select risk_rating, avg(paid_date - due_date)
               from invoices join last_payment using (invoice_id) join customers using (customer_id)
               where not disputed group by 1"""
        ).fetchall()
    )
    # the model's means are -3 (A) and 45 (E) days late before noise and clamping
    assert late["E"] - late["A"] > 30
    assert late["A"] < late["C"] < late["E"]


def test_some_e_rated_invoices_stay_unpaid_long_after_their_due_date(ledger):
    old_unpaid = _one(
        ledger,
        f"""select count(*) from invoices i join customers c using (customer_id)
            where c.risk_rating = 'E' and i.amount > 0 and i.due_date < date '{END}' - 120
              and invoice_id not in (select invoice_id from payments where invoice_id is not null)
              and invoice_id not in (select applies_to from invoices where applies_to is not null)""",
    )[0]
    assert old_unpaid > 0


def test_top_ten_of_300_customers_hold_a_third_to_a_half_of_sales(tmp_path):
    generate_sample(tmp_path, invoices=6_000, customers=300)
    share = _one(
        _connect(tmp_path),
        """with s as (select customer_id, sum(amount) sales from invoices group by 1)
           select sum(sales) filter (where rank <= 10) / sum(sales)
           from (select sales, row_number() over (order by sales desc) rank from s)""",
    )[0]
    assert 0.25 <= share <= 0.6


def test_invoicing_peaks_in_q4_and_grows_year_on_year(ledger):
    by_quarter = dict(
        ledger.execute(
            """select quarter(invoice_date), count(*) from invoices
               where year(invoice_date) = 2025 and amount > 0
               group by 1"""
        ).fetchall()
    )
    assert by_quarter[4] > by_quarter[3]
    first, last = _one(
        ledger,
        """select count(*) filter (where invoice_date <= '2024-10-31'),
                  count(*) filter (where invoice_date > '2025-10-31') from invoices""",
    )
    assert last > first


# Spec §8 additions ------------------------------------------------------------------------


def test_two_entities_in_two_currencies_and_limit_dates(ledger):
    # one entity per billing currency, on invoices and payments alike
    con = ledger
    for table in ("invoices", "payments"):
        pairs = con.execute(
            f"select distinct entity, currency from {table} order by 1"  # noqa: S608 (test)
        ).fetchall()
        assert pairs == [("EU01", "EUR"), ("US01", "USD")]
    # every limited customer has a credit_limit_date within 540 days of the end, none after
    rows = con.execute(
        "select count(*) filter (where credit_limit is not null and credit_limit_date is null),"
        " min(credit_limit_date), max(credit_limit_date) from customers"
    ).fetchone()
    assert rows[0] == 0
    assert rows[2] <= date(2026, 10, 31) and (date(2026, 10, 31) - rows[1]).days <= 540


# Deteriorating payers and write-offs (spec §8, §10) ----------------------------------------


@pytest.fixture(scope="module")
def hundred(tmp_path_factory):
    """100 customers over 3 years: enough for a few deteriorating and failing ones."""
    folder = tmp_path_factory.mktemp("hundred")
    generate_sample(folder, invoices=20_000, customers=100, seed=3)
    return _connect(folder)


def test_write_offs_clear_never_paid_invoices_180_to_300_days_after_their_due_date(hundred):
    n, first, last, elsewhere, paid, left_open = _one(
        hundred,
        """with credits as (select applies_to as invoice_id, sum(amount) credit from invoices
                            where applies_to is not null and not write_off group by 1)
           select count(*), min(w.invoice_date - i.due_date), max(w.invoice_date - i.due_date),
                  count(*) filter (where w.customer_id <> i.customer_id
                                   or w.currency <> i.currency or w.entity <> i.entity),
                  count(*) filter (where i.invoice_id in (select invoice_id from payments
                                                          where invoice_id is not null)),
                  count(*) filter (where abs(i.amount + coalesce(c.credit, 0) + w.amount) >= 0.005)
           from invoices w join invoices i on w.applies_to = i.invoice_id
           left join credits c on c.invoice_id = i.invoice_id
           where w.write_off""",
    )
    # 180-300 days after the due date, moved to a business day (at most 2 more)
    assert n > 0 and first >= 180 and last <= 302
    # same customer, currency and entity; never paid; the write-off clears what was owed
    assert (elsewhere, paid, left_open) == (0, 0, 0)
    assert _one(hundred, "select max(invoice_date) from invoices where write_off")[0] <= END
    assert _one(hundred, "select count(*) from invoices where write_off and amount >= 0") == (0,)


def test_what_better_customers_leave_unpaid_is_disputed_and_credited_not_written_off(hundred):
    # an A-C customer that leaves one invoice unpaid disputes it; the credit note is
    # commercial (write_off false) unless the customer is failing, which write-offs show
    disputed_credit, undisputed_credit, rated_d_or_e = _one(
        hundred,
        """select count(*) filter (where i.disputed), count(*) filter (where not i.disputed),
                  count(*) filter (where c.risk_rating in ('D', 'E'))
           from invoices w join invoices i on w.applies_to = i.invoice_id
           join customers c on c.customer_id = i.customer_id
           where not w.write_off and w.invoice_date - i.due_date >= 180
             and i.invoice_id not in (select invoice_id from payments where invoice_id is not null)
             and abs(i.amount + w.amount) < 0.005""",
    )
    # (only these credit notes come 180+ days after the due date and clear a whole invoice)
    assert disputed_credit > 0 and (undisputed_credit, rated_d_or_e) == (0, 0)


def test_some_customers_pay_later_and_later(hundred):
    rising, median_change = _one(
        hundred,
        """with paid as (select invoice_id, max(payment_date) paid_date from payments
                         where invoice_id is not null group by 1),
                late as (select customer_id, due_date, paid_date - due_date days_late, amount
                         from invoices join paid using (invoice_id)
                         where amount > 0 and not disputed),
                by_customer as (
                    select customer_id,
                           sum(days_late * amount) filter (where due_date < '2024-10-31')
                             / sum(amount) filter (where due_date < '2024-10-31') first_year,
                           sum(days_late * amount) filter (where due_date > '2026-03-31')
                             / sum(amount) filter (where due_date > '2026-03-31') last_months
                    from late group by 1)
           select count(*) filter (where last_months - first_year >= 30),
                  median(last_months - first_year)
           from by_customer where first_year is not null and last_months is not null""",
    )
    # 9 of the 83 customers with both periods pay 30+ days later than in their first year;
    # the typical customer pays as it did
    assert rising >= 5
    assert abs(median_change) < 3
