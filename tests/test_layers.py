"""House style: imports point one way, pages show and never compute (docs/architecture.md)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


@pytest.mark.parametrize("path", files("analytics") + files("data"), ids=lambda p: p.name)
def test_analytics_and_data_never_import_the_ui(path):
    assert not _top(imported_modules(path)) & {"streamlit", "ui", "app_pages", "plotly"}


@pytest.mark.parametrize("path", files("data"), ids=lambda p: p.name)
def test_data_never_imports_analytics(path):
    assert "analytics" not in _top(imported_modules(path))


@pytest.mark.parametrize("path", [ROOT / "app.py", *files("app_pages")], ids=lambda p: p.name)
def test_pages_do_not_talk_to_the_database_or_load_files(path):
    forbidden = {"duckdb", "data", "engines.duckdb.engine", "sqlite3", "pyarrow"}
    assert not (imported_modules(path) & forbidden) and "data" not in _top(imported_modules(path))


@pytest.mark.parametrize("path", [ROOT / "app.py", *files("app_pages")], ids=lambda p: p.name)
def test_pages_hold_no_sql_and_no_aggregation(path):
    text = path.read_text()
    assert not re.search(
        r"\b(select|from|where|group by)\b[^\n]*\b(from|where|by)\b", text.lower()
    ), "SQL in a page"
    for call in (".groupby(", ".pivot_table(", ".agg(", ".sum(", ".mean(", ".execute("):
        assert call not in text, f"{path.name} computes ({call}): move it to analytics/"


def test_the_layer_rules_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import duckdb\nfrom engines.duckdb.engine import query\n")
    assert imported_modules(bad) == {"duckdb", "engines.duckdb.engine"}
