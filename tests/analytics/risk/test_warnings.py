"""Early warnings (spec §12): each rule at its threshold (does not fire) and one step past it
(fires), the windows' edges on a hand-worked ledger, concentration counting a customer once,
rules without their inputs reported as not available, first-seen dates, the JSON's shape.

As-of date D = 2025-06-30 throughout. Windows: last 30 days (2025-05-31, 2025-06-30], the
periods before (2025-05-01, 2025-05-31], (2025-04-01, 2025-05-01], (2025-03-02, 2025-04-01];
settlements of the last 90 days (2025-04-01, 2025-06-30] against (2024-04-01, 2025-04-01].
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from analytics.risk.warning_inputs import (
    OtherInputs,
    balance_shares,
    customer_inputs,
    with_other_inputs,
)
from analytics.risk.warning_rules import BY_NAME, RULE_NAMES
from analytics.risk.warning_settings import WarningSettings
from analytics.risk.warnings import (
    Warnings,
    available_rules,
    customer_warnings,
    evaluate,
    history_dates,
    rule_summary,
    selected,
    warning_rows,
    warnings_from,
    warnings_json,
    warnings_with_history,
    with_first_seen,
)
from core.errors import LedgerError
from tests.ledger_factory import inv, load, pay

D = date(2025, 6, 30)
DEFAULTS = WarningSettings()


# --- rules on hand-made input rows --------------------------------------------------------


def rows(*overrides: dict) -> pd.DataFrame:
    """An input frame (customer_inputs' columns), one row per dict, index customer_key 0..n-1;
    every figure undefined or 0 unless given."""
    base = {
        "customer_id": "", "name": "", "segment": "SMB", "region": "EU", "risk_rating": "B",
        "group_id": "", "credit_limit": np.nan, "insured_limit": np.nan, "balance_amount": 0.0,
        "exposure_amount": 0.0, "utilisation": np.nan, "headroom_amount": np.nan,
        "disputed_amount": 0.0, "late_item_id": None, "late_item_amount": np.nan,
        "late_item_days": np.nan, "n_late_items": 0, "late_amount": np.nan,
        "recent_late_days": np.nan, "norm_late_days": np.nan, "slower_by_days": np.nan,
        "last_30_sales_amount": 0.0, "prior_30_sales_amount": 0.0, "spike_ratio": np.nan,
        "late_item_share": np.nan, "disputed_share": np.nan, "customer_share": np.nan,
        "group_share": np.nan, "insured_ratio": np.nan,
    }  # fmt: skip
    out = pd.DataFrame([{**base, "customer_id": f"C{i}", "name": f"Customer {i}",
                         "group_id": f"C{i}", **o} for i, o in enumerate(overrides)])  # fmt: skip
    out.index.name = "customer_key"
    return out


def fires(rule: str, frame: pd.DataFrame, settings: WarningSettings = DEFAULTS) -> list[bool]:
    return BY_NAME[rule].test(frame, settings).tolist()


def test_late_15_needs_an_item_of_at_least_1_percent_of_the_balance():
    # the query keeps only items more than late_days past due (see the ledger tests); the
    # share is at least 1 %: exactly 1 % fires, 0.99 % does not, no late item never
    frame = rows({"late_item_share": 0.01}, {"late_item_share": 0.0099}, {})
    assert fires("late_15", frame) == [True, False, False]


def test_slower_fires_one_day_past_15_days_later_than_the_norm():
    # recent − norm: 25 − 10 = 15 (at the threshold), 26 − 10 = 16, no settlements: NaN
    frame = rows({"slower_by_days": 15.0}, {"slower_by_days": 16.0}, {})
    assert fires("slower", frame) == [False, True, False]
    assert fires("slower", frame, replace(DEFAULTS, slower_days=16)) == [False, False, False]


def test_purchase_spike_fires_above_1_3_times_a_positive_average():
    # 130 = 1.3 × 100 does not fire, 131 does; an average of 0 never fires
    frame = rows(
        {"last_30_sales_amount": 130.0, "prior_30_sales_amount": 100.0},
        {"last_30_sales_amount": 131.0, "prior_30_sales_amount": 100.0},
        {"last_30_sales_amount": 500.0, "prior_30_sales_amount": 0.0},
    )
    assert fires("purchase_spike", frame) == [False, True, False]


def test_over_and_near_limit_split_at_100_and_90_percent():
    # utilisation 0.90 nothing, 0.901 near, 1.00 near (at most 100 %), 1.001 over, no limit
    frame = rows(*({"utilisation": u} for u in (0.90, 0.901, 1.0, 1.001, np.nan)))
    assert fires("near_limit", frame) == [False, True, True, False, False]
    assert fires("over_limit", frame) == [False, False, False, True, False]


def test_a_utilisation_equal_to_the_threshold_within_rounding_does_not_fire():
    # 0.3 × 3 = 0.8999999999999999 and 0.7 + 0.2 = 0.8999999999999999: both "90 %"
    frame = rows({"utilisation": 0.1 * 9}, {"utilisation": 0.7 + 0.2})
    assert fires("near_limit", frame) == [False, False]


def test_disputes_fire_above_10_percent_of_the_balance():
    frame = balance_shares(rows(
        {"balance_amount": 1000.0, "disputed_amount": 100.0},  # 10 %: at the threshold
        {"balance_amount": 1000.0, "disputed_amount": 101.0},  # 10.1 %
        {"balance_amount": -50.0, "disputed_amount": 101.0},  # owes nothing: no share
    ))  # fmt: skip
    assert frame["disputed_share"].tolist()[:2] == pytest.approx([0.10, 0.101])
    assert fires("disputes", frame) == [False, True, False]


def test_uninsured_fires_when_an_insured_exposure_exceeds_its_insured_limit():
    frame = rows(
        {"insured_limit": 1000.0, "exposure_amount": 1000.0},  # at the limit
        {"insured_limit": 1000.0, "exposure_amount": 1001.0},
        {"insured_limit": np.nan, "exposure_amount": 5000.0},  # not insured
        {"insured_limit": 0.0, "exposure_amount": 5000.0},  # insured for nothing: not insured
    )
    assert fires("uninsured", frame) == [False, True, False, False]


def concentration_rows() -> pd.DataFrame:
    """Positive balances sum to 1,000 (the credit of N is left out of the total):
    A 80 + B 80 (group G: 16 %), C 160 (16 %, its own group), D 100 (10 %),
    E 100 + F 50 (group H: 15 %), five others 86 each (8.6 %), Z 0 in group G, N −500."""
    spec = [("A", "G", 80), ("B", "G", 80), ("C", "C", 160), ("D", "D", 100), ("E", "H", 100),
            ("F", "H", 50), *((f"O{i}", f"O{i}", 86) for i in range(5)), ("Z", "G", 0),
            ("N", "N", -500)]  # fmt: skip
    return balance_shares(rows(*({"customer_id": c, "group_id": g, "balance_amount": float(b)}
                                 for c, g, b in spec)))  # fmt: skip


def test_concentration_shares_are_of_positive_balances_by_customer_and_group():
    frame = concentration_rows().set_index("customer_id")
    assert frame.loc["C", "customer_share"] == pytest.approx(0.16)  # 160 / 1,000
    assert frame.loc["A", "group_share"] == pytest.approx(0.16)  # (80 + 80) / 1,000
    assert frame.loc["E", "group_share"] == pytest.approx(0.15)  # (100 + 50) / 1,000
    assert np.isnan(frame.loc["Z", "group_share"]) and np.isnan(frame.loc["N", "customer_share"])


def test_concentration_counts_a_customer_once_and_its_group_members_each_once():
    # A and B through group G (16 % > 15 %); C over both thresholds, one row; D at 10 % and
    # group H at 15 % are at their thresholds; Z has no balance in G
    frame = concentration_rows()
    w = warnings_from(D, DEFAULTS, frame, ("concentration",))
    fired = frame.loc[w.fired["customer_key"], "customer_id"].tolist()
    assert fired == ["A", "B", "C"]
    assert w.counts()["concentration"] == 3


def test_downgrade_compares_with_the_previous_month_end_grade():
    # B → B 0, B → C 1 grade worse, C → B better, a new customer (no previous grade)
    other = OtherInputs(grades={0: "B", 1: "C", 2: "B", 3: "D"},
                        previous_grades={0: "B", 1: "B", 2: "C"})  # fmt: skip
    frame = with_other_inputs(rows({}, {}, {}, {}), other)
    assert fires("downgrade", frame) == [False, True, False, False]
    two = replace(DEFAULTS, downgrade_grades=1)  # more than one grade: B → C no longer fires
    assert fires("downgrade", frame, two) == [False, False, False, False]


def test_broken_promise_reads_the_promises_by_customer_id():
    promises = pd.DataFrame({"customer_id": ["C1"], "n_broken": [2], "shortfall_amount": [750.0]})
    frame = with_other_inputs(rows({}, {}), OtherInputs(broken_promises=promises))
    assert frame["n_broken_promises"].tolist() == [0, 2]
    assert fires("broken_promise", frame) == [False, True]
    w = warnings_from(D, DEFAULTS, frame, available_rules(OtherInputs(broken_promises=promises)))
    reason = warning_rows(w, selected(w), "USD")["reason"].tolist()
    assert reason == ["2 promise(s) to pay passed their date unmet, USD 750 not paid"]


def test_rules_without_their_inputs_are_not_available_not_zero():
    frame = rows({"utilisation": 1.5})
    w = warnings_from(D, DEFAULTS, frame, available_rules(OtherInputs()))
    assert w.not_available == ("downgrade", "broken_promise")
    counts = warnings_json(w)
    assert counts["downgrade"] is None and counts["broken_promise"] is None
    assert counts["over_limit"] == 1 and counts["late_15"] == 0
    summary = rule_summary(w, w.fired).set_index("rule")
    assert np.isnan(summary.loc["downgrade", "customers"])
    assert summary.loc["downgrade", "note"].startswith("needs the behavioural grades")
    with_grades = OtherInputs(grades={0: "A"}, previous_grades={0: "A"})
    assert warnings_json(warnings_from(D, DEFAULTS, with_other_inputs(frame, with_grades),
                                       available_rules(with_grades)))["downgrade"] == 0  # fmt: skip


def test_the_json_has_the_spec_keys_in_order():
    w = warnings_from(D, DEFAULTS, rows({}), available_rules(OtherInputs()))
    assert list(warnings_json(w)) == [
        "late_15", "slower", "purchase_spike", "over_limit", "near_limit", "downgrade",
        "disputes", "concentration", "uninsured", "broken_promise",
    ]  # fmt: skip
    assert tuple(warnings_json(w)) == RULE_NAMES


def test_evaluation_does_not_change_its_input():
    frame = concentration_rows()
    before = frame.copy()
    warnings_from(D, DEFAULTS, frame, available_rules(OtherInputs()))
    balance_shares(frame)
    pd.testing.assert_frame_equal(frame, before)


# --- settings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("late_days", -1, "late_15 days: must be a whole number ≥ 0, got -1"),
        ("late_days", 1.5, "late_15 days: must be a whole number ≥ 0, got 1.5"),
        ("late_share", 1.5, "late_15 share of balance: must be from 0 to 100 %, got 1.5"),
        ("spike_factor", float("nan"), "purchase_spike factor: must be a number from 0 to 100"),
        ("downgrade_grades", 4, "downgrade grades: must be a whole number from 0 to 3, got 4"),
        ("disputes_share", True, "disputes share of balance: must be from 0 to 100 %"),
    ],
)
def test_a_threshold_out_of_range_is_one_message_naming_it(field, value, message):
    with pytest.raises(LedgerError, match="^" + message.replace("(", r"\(")):
        WarningSettings(**{field: value})


def test_near_limit_must_stay_below_over_limit():
    with pytest.raises(LedgerError, match="near_limit utilisation: must be below over_limit's"):
        WarningSettings(near_limit_utilisation=1.0)
    assert WarningSettings(late_days=20).changed() == {"late_days": 20}


# --- first seen ------------------------------------------------------------------------


def fired_at(day: date, pairs: list[tuple[int, str]], available=RULE_NAMES) -> Warnings:
    fired = pd.DataFrame(pairs, columns=["customer_key", "rule"])
    fired["first_seen_date"], fired["is_first_seen_bound"] = day, False
    return Warnings(day, DEFAULTS, rows({}, {}, {}, {}), fired, tuple(available))


def test_history_dates_are_the_month_ends_before_d_from_the_ledgers_start():
    assert history_dates(D, date(2025, 3, 15)) == [
        date(2025, 5, 31), date(2025, 4, 30), date(2025, 3, 31)]  # fmt: skip
    assert history_dates(date(2025, 6, 15), date(2025, 5, 1)) == [date(2025, 5, 31)]
    assert len(history_dates(D, date(2020, 1, 1))) == 12
    assert history_dates(D, None) == []


def test_first_seen_is_the_start_of_the_run_without_a_gap():
    # customer 0 fired at D and the 3 month-ends before: since 31 Mar (all of them: bound)
    # customer 1 fired at D, not at 31 May, at 30 Apr: the gap ends its run, since D
    # customer 2 fired at D and 31 May only: since 31 May
    current = fired_at(D, [(0, "late_15"), (1, "late_15"), (2, "over_limit")])
    earlier = [
        fired_at(date(2025, 5, 31), [(0, "late_15"), (2, "over_limit")]),
        fired_at(date(2025, 4, 30), [(0, "late_15"), (1, "late_15")]),
        fired_at(date(2025, 3, 31), [(0, "late_15"), (1, "late_15"), (2, "late_15")]),
    ]
    out = with_first_seen(current, earlier, months=3).fired
    assert out["first_seen_date"].tolist() == [date(2025, 3, 31), D, date(2025, 5, 31)]
    assert out["is_first_seen_bound"].tolist() == [True, False, False]
    # with 12 month-ends to look at, the same run is exact: the ledger started then
    assert not with_first_seen(current, earlier, months=12).fired["is_first_seen_bound"].any()


# --- on a hand-worked ledger ------------------------------------------------------------


def due(invoice_id, customer, due_date, amount, days=30):
    """An invoice due on ``due_date``, dated ``days`` before it."""
    dated = date.fromisoformat(due_date) - timedelta(days=days)
    return inv(invoice_id, customer, dated.isoformat(), due_date, amount)


def settled(invoice_id, customer, due_date, amount, paid_on):
    return [due(invoice_id, customer, due_date, amount),
            pay(f"P-{invoice_id}", customer, paid_on, amount, invoice_id)]  # fmt: skip


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    invoices, payments = [], []
    for i, p in [
        # S: the norm (100 × 10 + 300 × 10) / 400 = 10 days late, N0 settled on D − 455 is
        # out; recent (200 × 25 + 200 × 25) / 400 = 25 days late (R3 is paid after D): +15
        settled("N0", "S", "2024-03-01", 1000, "2024-04-01"),  # 31 days late, out
        settled("N1", "S", "2024-03-23", 100, "2024-04-02"),  # 10 late, first day of the norm
        settled("N2", "S", "2025-03-22", 300, "2025-04-01"),  # 10 late, last day of the norm
        settled("R1", "S", "2025-03-08", 200, "2025-04-02"),  # 25 late, first recent day
        settled("R2", "S", "2025-06-05", 200, "2025-06-30"),  # 25 late, on D
        settled("R3", "S", "2025-06-06", 500, "2025-07-01"),  # after D
        # T: norm 10 days late, recent 26: +16
        settled("T1", "T", "2025-01-01", 100, "2025-01-11"),
        settled("T2", "T", "2025-05-01", 100, "2025-05-27"),
    ]:
        invoices.append(i)
        payments.append(p)
    invoices += [
        # A: A1 15 days past due (not late), A2 16 days: the late item; balance 1,500
        due("A1", "A", "2025-06-15", 1000), due("A2", "A", "2025-06-14", 500),
        due("B1", "B", "2025-06-15", 1000),  # B: 15 days past due only
        # C: C1 2,000 less 1,500 paid = 500 (60 days), C2 800 (30), C4 600 (60, paid after D),
        # a credit note of −300: the largest late item is C2; 3 items, 1,900; balance 1,600
        due("C1", "C", "2025-05-01", 2000), due("C2", "C", "2025-05-31", 800),
        due("C4", "C", "2025-05-01", 600),
        inv("C3", "C", "2025-04-15", "2025-04-15", -300),
        # LS: a 10 late item of a 1,000 balance (1 %: fires); LT: 10 of 1,001 (0.999 %); the
        # current items are dated 2 Mar, before the sales periods
        due("LS1", "LS", "2025-05-31", 10), due("LS2", "LS", "2025-07-30", 990, days=150),
        due("LT1", "LT", "2025-05-31", 10), due("LT2", "LT", "2025-07-30", 991, days=150),
        # O: limit 1,000; 600 from 10 Jan (due 10 Apr), 500 more from 10 Mar: over limit
        # from 31 Mar; the 600 is 20 days past due at 30 Apr (late from then)
        inv("O1", "O", "2025-01-10", "2025-04-10", 600),
        inv("O2", "O", "2025-03-10", "2025-06-08", 500),
    ]  # fmt: skip
    payments += [
        pay("PC1", "C", "2025-05-20", 1500, "C1"),
        pay("PC4", "C", "2025-07-05", 600, "C4"),
    ]
    # P, Q: sales on D − 120 (out), D − 119 (period 3), D − 60 (2), D − 30 (1) and D (0);
    # Q's period 1 is 150 less a credit note of 50 (dated 20 May): 100 as well
    for customer, amounts in (("P", (999, 100, 100, 100, 130)), ("Q", (999, 100, 100, 150, 131))):
        for k, day in enumerate(
            ("2025-03-02", "2025-03-03", "2025-05-01", "2025-05-31", "2025-06-30")
        ):
            invoices.append(inv(f"{customer}{k}", customer, day, day, amounts[k]))
    invoices += [
        inv("Q-CN", "Q", "2025-05-20", "2025-05-20", -50),
        inv("Z1", "Z", "2025-06-10", "2025-07-10", 500),
    ]  # Z: no sales before
    customers = [
        {"customer_id": c, "name": f"Customer {c}", "credit_limit": 1000 if c == "O" else ""}
        for c in ("S", "T", "A", "B", "C", "LS", "LT", "O", "P", "Q", "Z")
    ]
    return load(tmp_path_factory.mktemp("warnings"), customers=customers, invoices=invoices,
                payments=payments)  # fmt: skip


def by_id(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index().set_index("customer_id")


def test_late_items_are_more_than_15_days_past_due(ledger):
    late = by_id(customer_inputs(ledger, D))
    assert late.loc["A", ["late_item_id", "late_item_amount", "late_item_days"]].tolist() == [
        "A2", 500.0, 16]  # fmt: skip
    assert late.loc["A", "late_item_share"] == pytest.approx(500 / 1500)
    assert np.isnan(late.loc["B", "late_item_amount"])  # exactly 15 days: not late
    assert late.loc["C", ["late_item_id", "late_item_days", "n_late_items"]].tolist() == [
        "C2",
        30,
        3,
    ]
    assert late.loc["C", "late_amount"] == pytest.approx(1900.0)  # 500 + 800 + 600
    assert late.loc["C", "balance_amount"] == pytest.approx(1600.0)
    assert late.loc["LS", "late_item_share"] == pytest.approx(0.01)


def test_settlement_windows_end_at_d_and_are_open_on_the_left(ledger):
    days = by_id(customer_inputs(ledger, D))
    assert days.loc["S", ["norm_late_days", "recent_late_days", "slower_by_days"]].tolist() == (
        pytest.approx([10.0, 25.0, 15.0])
    )
    assert days.loc["T", "slower_by_days"] == pytest.approx(16.0)


def test_sales_periods_are_30_days_back_from_d(ledger):
    sales = by_id(customer_inputs(ledger, D))
    # P: 130 against (100 + 100 + 100) / 3; the 999 of D − 120 is out
    assert sales.loc["P", ["last_30_sales_amount", "prior_30_sales_amount"]].tolist() == [
        130.0, 100.0]  # fmt: skip
    assert sales.loc["Q", "spike_ratio"] == pytest.approx(1.31)
    assert sales.loc["Z", "prior_30_sales_amount"] == 0 and np.isnan(sales.loc["Z", "spike_ratio"])


def fired_ids(w: Warnings, rule: str) -> list[str]:
    keys = w.fired.loc[w.fired["rule"] == rule, "customer_key"]
    return sorted(w.inputs.loc[keys, "customer_id"])


def test_each_rule_fires_one_step_past_its_threshold_on_the_ledger(ledger):
    w = evaluate(ledger, D)
    assert "A" in fired_ids(w, "late_15") and "B" not in fired_ids(w, "late_15")
    assert "LS" in fired_ids(w, "late_15") and "LT" not in fired_ids(w, "late_15")
    assert fired_ids(w, "slower") == ["T"]
    assert fired_ids(w, "purchase_spike") == ["Q"]
    assert fired_ids(w, "over_limit") == ["O"]  # 1,100 ÷ 1,000
    assert w.counts()["downgrade"] is None


def test_reasons_say_the_values_that_fired_the_rule(ledger):
    w = evaluate(ledger, D)
    reasons = customer_warnings(w, "T", "USD").set_index("rule")["reason"]
    assert reasons["slower"] == ("paid 16 days later than its 12-month norm of 10 days late: "
                                 "26 days late on average over the last 90 days")  # fmt: skip
    reasons = customer_warnings(w, "Q", "EUR", rate=2.0).set_index("rule")["reason"]
    assert reasons["purchase_spike"] == (  # 131 × 2, 100 × 2
        "bought EUR 262 in the last 30 days, 1.31 × its average of EUR 200 per 30 days over "
        "the 90 days before"
    )
    late = customer_warnings(w, "A", "USD").set_index("rule").loc["late_15"]
    assert late["reason"] == ("invoice A2 of USD 500 is 16 days past due, 33.3 % of the "
                              "balance of USD 1,500")  # fmt: skip
    assert (late["value"], late["threshold"]) == ("16 days past due, 33.3 % of balance",
                                                  "> 15 days, ≥ 1 %")  # fmt: skip


def test_a_longer_late_threshold_is_bound_into_the_query(ledger):
    # C's items are 30 and 60 days past due: at 30 days the largest more than 30 is C4's 600
    late = by_id(customer_inputs(ledger, D, late_days=30))
    assert late.loc["C", ["late_item_id", "late_item_days", "n_late_items"]].tolist() == [
        "C4",
        60,
        2,
    ]
    assert np.isnan(late.loc["A", "late_item_amount"])


def test_first_seen_on_the_ledger_follows_the_month_ends(ledger):
    # O: over its limit at 31 Mar, 30 Apr, 31 May and D, not at 28 Feb; late from 30 Apr
    w = warnings_with_history(ledger, D)
    rows_o = customer_warnings(w, "O", "USD").set_index("rule")
    assert rows_o.loc["over_limit", "first_seen_date"] == date(2025, 3, 31)
    assert rows_o.loc["late_15", "first_seen_date"] == date(2025, 4, 30)
    assert not rows_o["is_first_seen_bound"].any()


def test_filters_choose_rows_not_the_shares(ledger):
    w = evaluate(ledger, D)
    o = int(w.inputs.index[w.inputs["customer_id"] == "O"][0])
    only_o = selected(w, customer_keys=[o])
    assert set(only_o["customer_key"]) == {o}
    assert selected(w, rules=["over_limit"])["customer_key"].tolist() == [o]
    assert selected(w, min_balance_amount=1600.0)["customer_key"].nunique() == 1  # C: 1,600
    assert w.counts(customer_keys=[o])["over_limit"] == 1
