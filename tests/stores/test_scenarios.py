"""The scenarios database: save, rename, duplicate, delete, list and load by name."""

import json

import duckdb
import pytest

from core.errors import LedgerError
from stores.scenarios import ScenarioStore, store_path


def scenario(name: str = "x", days: int = 30) -> str:
    return json.dumps({"name": name, "terms": {"days": days}})


@pytest.fixture
def store(tmp_path):
    return ScenarioStore(store_path(tmp_path))


def test_the_store_is_the_workspace_file_in_a_folder_of_the_data_folder(tmp_path):
    # not *.duckdb in the data folder itself: the sidebar would list it as a ledger
    assert store_path(tmp_path) == tmp_path / "workspace" / "workspace.duckdb"
    ScenarioStore(store_path(tmp_path)).save("a", scenario())
    assert not list(tmp_path.glob("*.duckdb"))


def test_an_empty_store_lists_nothing_and_creates_no_file(store):
    assert store.names() == []
    assert not store.path.exists()
    with pytest.raises(LedgerError, match="no saved scenario named 'nope'"):
        store.load("nope")


def test_save_then_load_gives_the_scenario_back_under_its_name(store):
    store.save("SMB to 60 days", scenario("whatever", 30))
    assert store.names() == ["SMB to 60 days"]
    saved = json.loads(store.load("SMB to 60 days"))
    assert saved == {"name": "SMB to 60 days", "terms": {"days": 30}}  # name follows the key


def test_saving_again_overwrites_unless_told_not_to(store):
    store.save("a", scenario(days=30))
    store.save("a", scenario(days=45))
    assert json.loads(store.load("a"))["terms"]["days"] == 45
    with pytest.raises(LedgerError, match="a scenario named 'a' already exists"):
        store.save("a", scenario(days=60), overwrite=False)
    assert json.loads(store.load("a"))["terms"]["days"] == 45


def test_rename_duplicate_and_delete(store):
    store.save("b", scenario())
    store.save("a", scenario(days=10))
    store.rename("a", "Zeta")
    assert store.names() == ["b", "Zeta"]  # case-insensitive order
    assert json.loads(store.load("Zeta"))["name"] == "Zeta"
    assert store.duplicate("Zeta") == "Zeta (copy)"
    assert store.duplicate("Zeta") == "Zeta (copy 2)"
    assert store.duplicate("b", "c") == "c"
    assert json.loads(store.load("Zeta (copy)")) == {"name": "Zeta (copy)", "terms": {"days": 10}}
    store.delete("Zeta (copy 2)")
    assert store.names() == ["b", "c", "Zeta", "Zeta (copy)"]


def test_refusals_name_the_scenario_and_change_nothing(store):
    store.save("a", scenario())
    store.save("b", scenario())
    for action, message in [
        (lambda: store.rename("a", "b"), "a scenario named 'b' already exists"),
        (lambda: store.rename("zz", "y"), "no saved scenario named 'zz'"),
        (lambda: store.duplicate("a", "b"), "a scenario named 'b' already exists"),
        (lambda: store.delete("zz"), "no saved scenario named 'zz'"),
        (lambda: store.save("  ", scenario()), "a scenario name needs 1 to 80 characters"),
        (lambda: store.save("x" * 81, scenario()), "a scenario name needs 1 to 80 characters"),
        (lambda: store.save("c", "{not json"), "scenario 'c': not valid JSON"),
        (lambda: store.save("c", "[1]"), "scenario 'c': a scenario is a JSON object"),
    ]:
        with pytest.raises(LedgerError, match=message.replace("(", r"\(")):
            action()
    assert store.names() == ["a", "b"]


def test_the_file_is_closed_between_operations(store):
    store.save("a", scenario())
    con = duckdb.connect(str(store.path))  # another process could open it now
    assert con.execute("select name from scenarios").fetchall() == [("a",)]
    con.close()


def test_names_are_trimmed(store):
    store.save("  spaced  ", scenario())
    assert store.names() == ["spaced"]


def test_a_copy_of_a_longest_name_keeps_its_suffix_within_the_limit(store):
    name = "x" * 80
    store.save(name, scenario())
    assert store.duplicate(name) == "x" * 73 + " (copy)"
    assert store.duplicate(name) == "x" * 71 + " (copy 2)"
