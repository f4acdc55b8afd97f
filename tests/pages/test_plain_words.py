"""What a user reads says what a figure means in plain words (issue 9, defect 13: help and
"How this is computed" texts cited "spec §4", and users do not have the spec). Every page of
the navigation is opened and every string it sends to the browser is read: markdown,
captions, labels, help tooltips, expander labels and bodies, chart titles. Links to the
definitions point at a heading docs/metrics.md has."""

from __future__ import annotations

import re

import pytest
from google.protobuf import text_format

from tests.pages.conftest import ROOT, open_page

PAGES = re.findall(r'st\.Page\(\s*"(app_pages/[^"]+\.py)"', (ROOT / "app.py").read_text())
METRICS_DOC = ROOT / "docs" / "metrics.md"


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces to
    hyphens ("## DSO & collections page" -> "dso--collections-page")."""
    titles = re.findall(r"^#{1,6}\s+(.+?)\s*$", markdown, flags=re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", t.lower()).replace(" ", "-") for t in titles}


def visible_texts(node) -> list[str]:
    """Every element and block below ``node`` (expanders, columns, the sidebar…) as text."""
    texts = []
    if getattr(node, "proto", None) is not None:
        texts.append(text_format.MessageToString(node.proto, as_utf8=True))
    for child in getattr(node, "children", {}).values():
        texts += visible_texts(child)
    return texts


def test_the_page_list_is_the_navigation():
    assert len(PAGES) >= 9 and "app_pages/overview.py" in PAGES


def test_github_anchors_as_github_writes_them():
    assert heading_anchors("# Metric definitions\n## DSO & collections page\n") == {
        "metric-definitions",
        "dso--collections-page",
    }


def page_texts(page: str) -> list[str]:
    at = open_page(page)
    return visible_texts(at.main) + visible_texts(at.sidebar)


def test_the_walk_reads_expander_bodies_help_and_the_sidebar():
    texts = "\n".join(page_texts("app_pages/aging.py"))
    assert "**Unapplied cash** is never aged" in texts  # inside "How this is computed"
    assert "Days past the due date (default)" in texts  # a radio's help tooltip
    assert "Every figure is computed as it stood" in texts  # the sidebar's as-of help


@pytest.mark.parametrize("page", PAGES)
def test_no_visible_text_cites_the_spec_and_links_reach_a_definition(page):
    texts = page_texts(page)
    cited = [line for t in texts for line in t.splitlines() if "§" in line]
    assert not cited, cited
    anchors = heading_anchors(METRICS_DOC.read_text())
    linked = {a for t in texts for a in re.findall(r"docs/metrics\.md#([\w\-]+)", t)}
    assert linked <= anchors, f"docs/metrics.md has no heading for {linked - anchors}"
