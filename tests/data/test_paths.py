"""The folders a load may read (issue 13): with `roots` (the dashboard), a ledger folder, a
mapping's ``file =`` or a file reached by a symlink outside them is refused with one message
naming the field; without (the command line, the operator) any path is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import LedgerError
from data.loader import load_ledger, validate_ledger
from data.paths import check_inside, outside_roots
from tests.data.conftest import GOOD, write_csv


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    """An allowed root holding a good ledger, and a secret ledger beside it, outside."""
    root, secret = tmp_path / "imports", tmp_path / "secret"
    for table, text in GOOD.items():
        write_csv(root / "good", f"{table}.csv", text)
        write_csv(secret, f"{table}.csv", text)
    return {"root": root, "secret": secret, "db": tmp_path / "db" / "ledger.duckdb"}


def test_a_folder_inside_a_root_is_read(places) -> None:
    report = load_ledger(places["root"] / "good", places["db"], roots=[places["root"]])
    assert report.counts["invoices"] == 3  # GOOD: I1, I2, CN1


@pytest.mark.parametrize(
    "typed", ["{secret}", "{root}/../secret", "{root}/good/../../secret"], ids=["abs", "up", "up2"]
)
def test_a_folder_outside_the_roots_is_refused_naming_the_field(places, typed: str) -> None:
    source = Path(typed.format(**places))
    with pytest.raises(LedgerError, match="the ledger folder: .* is outside the folders"):
        validate_ledger(source, roots=[places["root"]])
    assert not places["db"].exists()


def test_a_symlink_out_of_a_root_is_refused(places) -> None:
    link = places["root"] / "link"
    link.symlink_to(places["secret"], target_is_directory=True)
    with pytest.raises(LedgerError, match="is outside the folders"):
        validate_ledger(link, roots=[places["root"]])


def test_a_linked_ledger_file_leading_out_is_refused_naming_it(places) -> None:
    folder = places["root"] / "linked"
    write_csv(folder, "customers.csv", GOOD["customers"])
    (folder / "invoices.csv").symlink_to(places["secret"] / "invoices.csv")
    with pytest.raises(LedgerError, match="the ledger file invoices.csv: .* is outside"):
        validate_ledger(folder, roots=[places["root"]])


@pytest.mark.parametrize("named", ["../../secret/invoices.csv", "{secret}/invoices.csv"])
def test_a_mapping_file_outside_the_roots_is_refused_naming_the_key(places, named: str) -> None:
    mapping = {"invoices": {"file": named.format(**places)}}
    with pytest.raises(
        LedgerError, match=r"mapping <mapping dict>, key invoices\.file: .* is outside"
    ):
        validate_ledger(places["root"] / "good", mapping=mapping, roots=[places["root"]])


def test_the_message_does_not_say_whether_the_outside_path_exists(places) -> None:
    with pytest.raises(LedgerError) as there:
        validate_ledger(places["secret"], roots=[places["root"]])
    with pytest.raises(LedgerError) as absent:
        validate_ledger(places["secret"].with_name("nothing"), roots=[places["root"]])
    assert "no such" not in str(there.value) + str(absent.value)


def test_without_roots_the_command_line_reads_any_folder(places) -> None:
    report = load_ledger(places["root"] / ".." / "secret", places["db"])
    assert report.counts["invoices"] == 3


def test_outside_roots_resolves_dot_dot_and_none_allows_everything(tmp_path: Path) -> None:
    assert outside_roots(tmp_path / "a" / ".." / "..", [tmp_path])
    assert not outside_roots(tmp_path / "a" / ".." / "b", [tmp_path])
    assert not outside_roots(Path("/etc"), None)
    check_inside(Path("/etc"), None, "anything")  # the command line: no error
