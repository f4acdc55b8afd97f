"""Scenario model: defaults mean "no change", JSON round-trips, bad files name the lever."""

import json

import pytest

from analytics.policy.scenario import (
    SCHEMA,
    Collection,
    Economics,
    Limits,
    Scenario,
    ScenarioError,
    Scope,
    Terms,
)
from core.errors import LedgerError

FULL = {
    "schema": SCHEMA,
    "name": "SMB to 60 days",
    "scope": {"segments": ["SMB"], "regions": ["Europe"], "ratings": [], "customers": ["C00007"]},
    "terms": {"mode": "set", "days": 60},
    "sales": {"elasticity_pct_per_10_days": 2.5},
    "collection": {"late_reduction_pct": 25, "exclude_disputed": False},
    "limits": {"rule": "months_of_sales", "months": 2, "multipliers": {"E": 0, "D": 0.5},
               "tolerance_pct": 10, "action": "block"},
    "economics": {"cost_of_capital_pct": 9.5, "gross_margin_pct": 30, "lgd_pct": 40,
                  "insurance_cover_pct": 80},
}  # fmt: skip


def test_the_default_scenario_changes_no_policy():
    assert not Scenario().changes_policy
    # economics are assumptions, scope alone changes nothing, neither does a name
    assert not Scenario(name="x", scope=Scope(segments=("SMB",)),
                        economics=Economics(cost_of_capital_pct=12)).changes_policy  # fmt: skip
    assert Scenario(terms=Terms(days=1)).changes_policy
    assert Scenario(limits=Limits(action="block")).changes_policy


def test_a_full_file_round_trips_through_json():
    s = Scenario.from_json(json.dumps(FULL))
    assert s.terms == Terms("set", 60)
    assert s.collection == Collection(25.0, False)
    assert s.limits.multipliers == (("D", 0.5), ("E", 0.0))  # sorted, floats
    assert s.limits.multiplier("D") == 0.5 and s.limits.multiplier("A") == 1.0
    assert s.scope.customers == ("C00007",)
    assert Scenario.from_json(s.to_json()) == s
    assert json.loads(s.to_json()) == {**FULL, "limits": {**FULL["limits"], "months": 2.0,
                                                           "multipliers": {"D": 0.5, "E": 0.0},
                                                           "tolerance_pct": 10.0}}  # fmt: skip


def test_missing_levers_take_their_defaults():
    s = Scenario.from_json('{"name": "only terms", "terms": {"days": 15}}')
    assert s == Scenario(name="only terms", terms=Terms("change", 15))
    assert Scenario.from_json("{}") == Scenario()


def test_scenarios_are_hashable_so_the_ui_can_cache_on_them():
    a, b = Scenario.from_json(json.dumps(FULL)), Scenario.from_json(json.dumps(FULL))
    assert hash(a) == hash(b) and len({a, b}) == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"terms": {"dayz": 3}}', "unknown lever terms.dayz (known in terms: days, mode)"),
        ('{"pricing": {}}', "unknown lever pricing"),
        ('{"terms": {"days": 120}}', "lever terms.days must be between -30 and 90 days, got 120"),
        ('{"terms": {"days": -31}}', "lever terms.days must be between -30 and 90 days"),
        ('{"terms": {"mode": "set", "days": 200}}', "terms.days must be between 0 and 180"),
        ('{"terms": {"mode": "extend"}}', "lever terms.mode must be one of change, set"),
        ('{"terms": {"days": 10.5}}', "lever terms.days must be a whole number, got 10.5"),
        ('{"sales": {"elasticity_pct_per_10_days": 80}}',
         "lever sales.elasticity_pct_per_10_days must be between -50 and 50 %"),
        ('{"collection": {"late_reduction_pct": 101}}', "collection.late_reduction_pct must be"),
        ('{"collection": {"exclude_disputed": "yes"}}',
         'lever collection.exclude_disputed must be true or false, got "yes"'),
        ('{"limits": {"multipliers": {"D": 6}}}', "lever limits.multipliers.D must be between 0"),
        ('{"limits": {"multipliers": {"D": true}}}', "limits.multipliers.D must be a number"),
        ('{"limits": {"multipliers": [0.5]}}', "limits.multipliers must be an object"),
        ('{"limits": {"action": "stop"}}', "lever limits.action must be one of flag, block"),
        ('{"limits": {"rule": "x"}}', "lever limits.rule must be one of current, months_of_sales"),
        ('{"limits": {"months": 0}}', "lever limits.months must be between 0.5 and 24 months"),
        ('{"limits": {"tolerance_pct": -5}}', "lever limits.tolerance_pct must be between 0"),
        ('{"economics": {"cost_of_capital_pct": 60}}', "economics.cost_of_capital_pct must be"),
        ('{"economics": {"gross_margin_pct": NaN}}', "economics.gross_margin_pct must be"),
        ('{"economics": {"lgd_pct": 101}}', "lever economics.lgd_pct must be between 0 and 100 %"),
        ('{"economics": {"insurance_cover_pct": "90"}}', "insurance_cover_pct must be a number"),
        ('{"scope": {"segments": "SMB"}}', "lever scope.segments must be a list"),
        ('{"scope": {"segments": [1]}}', "lever scope.segments must be text"),
        ('{"terms": 30}', "lever group 'terms' must be an object"),
        ('{"name": ""}', "lever name must be 1 to 80 characters"),
        ('{"schema": "other/2"}', "schema must be 'receivables-scenario/1'"),
        ("[1, 2]", "a scenario is a JSON object, got list"),
        ("{not json", "not valid JSON"),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_with_a_message_naming_the_lever(text, message):
    with pytest.raises(ScenarioError) as caught:
        Scenario.from_json(text, source="policy.json")
    assert str(caught.value).startswith("policy.json: ")
    assert message in str(caught.value)


def test_scenario_errors_are_ledger_errors_so_the_ui_shows_them_like_any_bad_input():
    with pytest.raises(LedgerError):
        Scenario(terms=Terms(days=500))


def test_construction_in_code_is_validated_too():
    with pytest.raises(ScenarioError, match="lever limits.multipliers.B must be between 0 and 5"):
        Scenario(limits=Limits(multipliers=(("B", -1.0),)))
