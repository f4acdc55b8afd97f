"""`python -m analytics risk`: the spec §15 JSON object, and one message for each bad flag."""

import json

import pytest

from cli.main import main
from tests.analytics.risk.test_loss_rates import risk_ledger  # noqa: F401
from tests.ledger_factory import inv, load

KEYS = ["as_of", "currency", "ecl", "score", "warnings", "collections"]
ECL_KEYS = ["buckets", "loss_rates", "open", "ecl", "disputed_ecl", "total",
            "total_net_of_insurance", "calibration_month_ends", "overlay"]  # fmt: skip
# The IFRS 9 illustrative provision matrix, as of 2025-06-30 with --buckets 30,60,90:
#   current 15.0M × 0.3 % =  45,000   (due 2025-07-30)
#   1-30     7.5M × 1.6 % = 120,000   (due 06-15, 15 dpd)
#   31-60    4.0M × 3.6 % = 144,000   (due 05-16, 45 dpd)
#   61-90    2.5M × 6.6 % = 165,000   (due 04-16, 75 dpd)
#   90+      1.0M × 10.6 % = 106,000  (due 03-01, 121 dpd)
#   ECL 580,000 (no insurance: the same net)
MATRIX = [
    inv("A", "C1", "2025-06-30", "2025-07-30", 15_000_000),
    inv("B", "C1", "2025-05-16", "2025-06-15", 7_500_000),
    inv("C", "C1", "2025-04-16", "2025-05-16", 4_000_000),
    inv("D", "C1", "2025-03-17", "2025-04-16", 2_500_000),
    inv("E", "C1", "2025-01-30", "2025-03-01", 1_000_000),
]
MATRIX_RATES = "0.003,0.016,0.036,0.066,0.106"


@pytest.fixture(scope="module")
def matrix_db(tmp_path_factory) -> str:
    engine = load(tmp_path_factory.mktemp("matrix"), customers=[{"customer_id": "C1"}],
                  invoices=MATRIX)  # fmt: skip
    engine.close()
    return str(engine.path)


@pytest.fixture(scope="module")
def risk_db(risk_ledger) -> str:  # noqa: F811
    return str(risk_ledger.path)


def risk(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["risk", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_ifrs_9_provision_matrix_through_given_rates(matrix_db, capsys):
    args = ["--ledger", matrix_db, "--as-of", "2025-06-30", "--buckets", "30,60,90"]
    code, out, err = risk(capsys, *args, "--loss-rates", MATRIX_RATES)
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == KEYS and list(data["ecl"]) == ECL_KEYS
    ecl = data["ecl"]
    assert ecl["buckets"] == ["current", "1-30", "31-60", "61-90", "90+"]
    assert ecl["loss_rates"] == [0.003, 0.016, 0.036, 0.066, 0.106]  # echoed
    assert ecl["open"] == [15_000_000, 7_500_000, 4_000_000, 2_500_000, 1_000_000]
    assert ecl["ecl"] == pytest.approx([45_000, 120_000, 144_000, 165_000, 106_000])
    assert ecl["total"] == pytest.approx(580_000) and ecl["disputed_ecl"] == 0
    assert ecl["total_net_of_insurance"] == pytest.approx(580_000)
    assert ecl["calibration_month_ends"] == 0 and ecl["overlay"] == 0.0


def test_a_ledger_without_defaults_has_no_score_figures_and_no_grades(
    matrix_db, capsys, tmp_path, monkeypatch
):
    monkeypatch.setenv("AR_DATA_DIR", str(tmp_path))  # no workspace: no promises to judge
    # the matrix ledger has no default in its history to fit on: no model and no figures;
    # its one customer has an invoice 121 days past due, so it is in default: grade E
    _, out, _ = risk(capsys, "--ledger", matrix_db, "--loss-rates", "0,0,0,0,0,0")
    data = json.loads(out)
    assert data["as_of"] == "2025-06-30" and data["currency"] == "USD"
    assert data["score"] == {"auc_out_of_time": None, "auc_benchmark_max_dpd": None,
                             "brier": None, "grades": {"A": 0, "B": 0, "C": 0, "D": 0, "E": 1}}  # fmt: skip
    # warnings: one count per rule in the spec's order
    assert list(data["warnings"]) == ["late_15", "slower", "purchase_spike", "over_limit",
                                      "near_limit", "downgrade", "disputes", "concentration",
                                      "uninsured", "broken_promise"]  # fmt: skip
    assert data["warnings"]["late_15"] == 1  # C1's items are more than 15 days past due
    assert data["warnings"]["broken_promise"] is None
    # collections: C1's oldest item is 121 days past due: one customer at 91+, all 30M open
    assert data["collections"]["91+"] == {"customers": 1, "amount": 30_000_000.0}
    assert data["collections"]["pre-due"] == {"customers": 0, "amount": 0.0}


def test_calibrated_rates_with_their_warnings_on_stderr(risk_db, capsys):
    # test_ecl: 1,250 gross, 793.75 net; three month-ends and a borrowed rate
    code, out, err = risk(
        capsys, "--ledger", risk_db, "--as-of", "2025-03-31", "--buckets", "30,60"
    )
    ecl = json.loads(out)["ecl"]
    assert code == 0 and ecl["calibration_month_ends"] == 3
    assert ecl["loss_rates"] == pytest.approx([0.3125, 0.5, 0.75, 0.75])
    assert ecl["disputed_ecl"] == pytest.approx(600.0)
    assert (ecl["total"], ecl["total_net_of_insurance"]) == pytest.approx((1250.0, 793.75))
    assert err.splitlines() == [
        "warning: only 3 calibration month-end(s), fewer than 6: the loss rates rest on little"
        " history",
        "warning: bucket 60+: no calibration amount, rate borrowed from 31-60",
    ]


def test_the_overlay_is_capped_at_one(risk_db, capsys):
    # 0.3125 × 1.5, 0.5 × 1.5, 0.75 × 1.5 = 1.125 → 1, 1: 1,000 × 0.46875 + 450 + 800
    args = ["--ledger", risk_db, "--as-of", "2025-03-31", "--buckets", "30,60", "--overlay", "0.5"]
    ecl = json.loads(risk(capsys, *args)[1])["ecl"]
    assert ecl["loss_rates"] == pytest.approx([0.46875, 0.75, 1.0, 1.0])
    assert ecl["total"] == pytest.approx(1718.75) and ecl["overlay"] == 0.5


def test_no_calibration_month_end_prints_nulls_not_an_error(risk_db, capsys):
    code, out, err = risk(
        capsys, "--ledger", risk_db, "--as-of", "2024-12-31", "--buckets", "30,60"
    )
    ecl = json.loads(out)["ecl"]
    assert code == 0 and "expected credit loss undefined" in err
    assert ecl["loss_rates"] == [None] * 4 and ecl["ecl"] == [None] * 4
    assert ecl["total"] is None and ecl["total_net_of_insurance"] is None
    assert ecl["open"] == [0.0, 0.0, 0.0, 450.0] and ecl["calibration_month_ends"] == 0


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--loss-rates", "0.003,0.016"],
         "error: --loss-rates: expected 5 rates, one per bucket (current, 1-30, 31-60, 61-90,"
         " 90+), got 2"),
        (["--loss-rates", "0.003,0.016,1.2,0.066,0.106"],
         "error: --loss-rates: the rate for bucket 31-60 must be between 0 and 1 (0.016 = 1.6 %),"
         " got 1.2"),
        (["--loss-rates", "0.003,1.6%,0.036,0.066,0.106"],
         "error: --loss-rates: expected numbers between 0 and 1 separated by commas, one per"
         " bucket (e.g. 0.003,0.016,0.036,0.066,0.106), got '0.003,1.6%,0.036,0.066,0.106'"),
        (["--overlay", "ten"],
         "error: --overlay: expected a number such as 0.1 (= rates 10 % higher), got 'ten'"),
        (["--overlay", "-2"],
         "error: --overlay: expected a number of at least -1 (0.1 = rates 10 % higher), got -2.0"),
        (["--overlay", "0.1", "--loss-rates", MATRIX_RATES],
         "error: --overlay: given loss rates (--loss-rates) are used as given; scale the rates"
         " themselves instead of adding an overlay"),
    ],
)  # fmt: skip
def test_a_bad_flag_is_one_message_and_nothing_on_stdout(matrix_db, capsys, flags, message):
    code, out, err = risk(capsys, "--ledger", matrix_db, "--buckets", "30,60,90", *flags)
    assert code != 0 and out == ""
    assert err.splitlines() == [message]
