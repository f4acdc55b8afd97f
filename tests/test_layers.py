"""House style: imports point one way, pages show and never compute (docs/architecture.md).

Each package may import only the first-party packages listed for it below; third-party
libraries that tie code to a layer (streamlit, plotly, duckdb, pyspark) are allowed only
where the table says. A test at the end shows the checks can fail.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OURS = {"core", "engines", "analytics", "reports", "stores", "data", "ui", "cli", "app_pages",
        "config", "app"}  # fmt: skip

# package -> first-party packages it may import (itself always allowed)
MAY_IMPORT = {
    "core": set(),
    "config": {"core"},
    "data": {"core"},
    "stores": {"core"},
    "engines": {"core", "data"},  # data: a ledger folder is loaded in memory (engines/duckdb)
    "analytics": {"core", "engines"},
    "reports": {"core", "analytics"},
    "ui": {"core", "config", "engines", "analytics", "reports", "stores", "data"},
    "cli": {"core", "config", "engines", "analytics", "reports", "data", "stores"},  # snapshot
    "app_pages": {"ui", "reports", "analytics", "core"},
}
# third-party modules bound to a layer -> the packages that may import them
ONLY_IN = {
    "streamlit": {"ui", "app_pages", "app"},
    "plotly": {"reports", "ui"},
    "duckdb": {"data", "stores", "engines"},  # engines: only engines/duckdb (checked below)
    "pyspark": {"engines"},
}
# entry shims: `python -m analytics` runs the command line, as documented since release one
ENTRY_SHIMS = {ROOT / "analytics" / "__main__.py"}


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


def package_of(path: Path) -> str:
    rel = path.relative_to(ROOT)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


CODE = [p for pkg in MAY_IMPORT for p in (files(pkg) if pkg != "config" else [ROOT / "config.py"])
        if p.exists() and p not in ENTRY_SHIMS]  # fmt: skip


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("path", CODE, ids=_id)
def test_each_package_imports_only_the_layers_below_it(path):
    package = package_of(path)
    ours = _top(imported_modules(path)) & OURS - {package}
    assert ours <= MAY_IMPORT[package], f"{package} may not import {ours - MAY_IMPORT[package]}"


@pytest.mark.parametrize("path", [*CODE, ROOT / "app.py"], ids=_id)
def test_layer_bound_libraries_stay_in_their_layer(path):
    package = package_of(path)
    for library in _top(imported_modules(path)) & set(ONLY_IN):
        assert package in ONLY_IN[library], f"{package} imports {library}"


@pytest.mark.parametrize("path", files("engines"), ids=_id)
def test_only_the_engine_implementations_name_their_library(path):
    folders = {"duckdb": "engines/duckdb/", "pyspark": "engines/spark/"}
    for library in _top(imported_modules(path)) & set(folders):
        assert folders[library] in path.as_posix(), f"{library} outside {folders[library]}"


@pytest.mark.parametrize("path", files("analytics"), ids=_id)
def test_analytics_reach_the_engine_only_through_the_fact_functions(path):
    engines = {n for n in imported_modules(path) if n.split(".")[0] == "engines"}
    # engines.memo: results kept per engine object (pure Python, no engine library), the seam's
    # cache for facts that do not depend on the view (issue 15)
    assert engines <= {"engines", "engines.facts", "engines.base", "engines.memo"}, engines


def test_nothing_imports_the_leaves():
    for path in [p for pkg in OURS - {"cli", "app_pages", "app"} for p in files(pkg)]:
        if path in ENTRY_SHIMS:
            continue
        assert not _top(imported_modules(path)) & {"cli", "app_pages", "app"}, _id(path)


@pytest.mark.parametrize("path", [ROOT / "app.py", *files("app_pages")], ids=lambda p: p.name)
def test_pages_do_not_talk_to_the_database_or_load_files(path):
    forbidden = {"duckdb", "data", "engines", "sqlite3", "pyarrow", "stores"}
    assert not _top(imported_modules(path)) & forbidden


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
    bad.write_text("import duckdb\nfrom engines.duckdb.engine import connect\nimport ui.cache\n")
    assert imported_modules(bad) == {"duckdb", "engines.duckdb.engine", "ui.cache"}
    assert not _top(imported_modules(bad)) & OURS <= MAY_IMPORT["analytics"]
    assert "analytics" not in ONLY_IN["duckdb"]
