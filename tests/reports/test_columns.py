"""reports/columns.py: every table's headers, units and formats, and how the screen reads them."""

from __future__ import annotations

import pytest

from reports import columns
from reports.columns import Column


def test_money_columns_name_the_display_currency_and_show_whole_units():
    spec = columns.limits_customers("EUR")
    assert spec["credit_limit"] == Column("Limit (EUR)", "money")
    assert spec["credit_limit"].number_format == "%,.0f"
    assert spec["utilisation"].number_format == "percent"
    assert spec["customer_id"].kind == "text"


def test_a_column_kept_for_the_downloads_is_hidden_on_screen():
    assert columns.limits_by_rating("USD")["exposure_amount"] is None
    bridge = columns.dso_bridge("USD")
    assert [c for c, v in bridge.items() if v is None] == [
        "previous_month_end", "ar_previous", "sales_previous"
    ]  # fmt: skip
    assert bridge["dso_change"].number_format == "%+.1f"  # signed days
    assert bridge["month_end"].number_format == "MMM YYYY"


def test_the_aging_table_has_one_money_column_per_bucket_in_order():
    spec = columns.aging_groups(["Current", "1-30", "31+"], "GBP", "region")
    assert spec["group"].label == "Region"
    headers = [c.label for c in spec.values() if c is not None]
    assert headers[4:7] == ["Current (GBP)", "1-30 (GBP)", "31+ (GBP)"]
    # the disputed part of each bucket: in the downloads, not on screen
    assert [spec[f"disputed {b}"] for b in ("Current", "1-30", "31+")] == [None, None, None]
    assert columns.aging_open_items("GBP", "invoice")["bucket"].label == "Bucket (by invoice date)"
    assert columns.aging_open_items("GBP", "due")["open_amount_GBP"].label == "Open (GBP)"


def test_labels_map_frame_columns_to_headers_for_renaming():
    spec = columns.customer_unapplied("CHF")
    assert columns.labels(spec) == {
        "payment_id": "Payment", "payment_date": "Date", "amount": "Amount",
        "currency": "Currency", "amount_rc": "Amount (CHF, closing rate)",
    }  # fmt: skip
    payments = columns.customer_payments("USD")
    assert payments["amount_rc"].label == "Amount (USD, rate on payment date)"


def test_titles_follow_the_chosen_level_measure_and_n():
    top = columns.concentration_top("industry", "uninsured", "USD")
    assert (top["unit"].label, top["amount"].label) == ("Industry", "Uninsured exposure (USD)")
    assert columns.concentration_summary(7, "USD")["top_n_share"].label == "Top-7 share"
    assert columns.cashflow_periods("USD", "month")["period"].label == "Month"
    receipts = columns.scenario_receipts("EUR")
    assert [c.label for c in receipts.values()] == [
        "Period", "Baseline (EUR)", "Scenario (EUR)", "Change (EUR)"
    ]  # fmt: skip
    compared = columns.scenario_comparison(["baseline", "Plan A"], "EUR")
    assert list(compared) == ["unit", "baseline", "Plan A"]
    assert compared["Plan A"].number_format == "%,.1f"


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="unknown column kind 'currency'"):
        Column("Amount", "currency")


def test_the_screen_gets_the_same_headers_formats_and_hidden_columns():
    from ui.tables import column_config  # the one place a spec becomes Streamlit settings

    config = column_config(columns.cashflow_funding("EUR"))
    assert config["start_date"] is None
    assert config["end_date"]["label"] == "Week to"
    assert config["end_date"]["type_config"] == {"type": "date", "format": "DD MMM YYYY",
                                                 "min_value": None, "max_value": None,
                                                 "step": None}  # fmt: skip
    assert config["cash_p50_amount"]["type_config"]["format"] == "%,.0f"
    assert config["shortfall_p90_amount"]["help"].startswith(
        "Buffer − cash in the pessimistic case"
    )
    assert column_config(columns.largest_problems("EUR"))["name"] == "Name"  # a header only


def test_headers_already_in_the_frame_key_the_settings_by_label():
    from ui.tables import column_config

    config = column_config(columns.customer_open_items("EUR"), headers_in_frame=True)
    assert set(config) == {"Days past due", "Amount", "Open", "Open (EUR)", "Applies to"}
    assert config["Open (EUR)"]["label"] is None  # the frame's own header shows
    assert config["Open (EUR)"]["type_config"]["format"] == "%,.2f"


def test_the_funding_table_names_its_two_cases_as_the_page_does():
    spec = columns.cashflow_funding("USD")
    assert spec["shortfall_p50_amount"].label == "Shortfall, median (P50 cash) (USD)"
    assert spec["shortfall_p90_amount"].label == "Shortfall, pessimistic (P10 cash) (USD)"
