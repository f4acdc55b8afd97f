"""Printing a page (issue 12, item 5): under print media the page leaves out the sidebar, the
header and its toolbar, the deploy button and the status widget, keeps captions and card
labels in whole words (no element of them a sliver holding a word), and prints to PDF.
Overview on the session's sample; What changed on a copy of it with two snapshots, so its
cards and tables are there. Screenshots under print media go to screenshots/print/ for a
person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cli.main import main
from tests.browser.conftest import run_streamlit
from tests.browser.helpers import full_screenshot, no_errors, wait_until_drawn

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots" / "print"
NARROW_PX = 40  # a label narrower than this holding a word breaks it one letter per line
HIDDEN = ("stSidebar", "stHeader", "stToolbar", "stAppDeployButton", "stStatusWidget",
          "stMainMenu", "stDecoration")  # fmt: skip
SLIVERS = r"""(narrow) => {
    // captions and card labels broken into slivers: an element narrower than `narrow` px
    // whose text of more than 3 characters runs over more than one line
    const labels = '[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] *,'
        + '[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] *,'
        + '[data-testid="stMetricDelta"], [data-testid="stMetricDeltaDescription"]';
    const out = [];
    for (const node of document.querySelectorAll(labels)) {
        const box = node.getBoundingClientRect();
        const text = (node.innerText || '').trim();
        if (box.width === 0 || text.length <= 3) continue;
        const style = getComputedStyle(node);
        const line = parseFloat(style.lineHeight) || 1.4 * parseFloat(style.fontSize);
        const lines = Math.round(box.height / line);
        if (box.width < narrow && lines > 1) {
            out.push(`${Math.round(box.width)}px, ${lines} lines: ${text.slice(0, 40)}`);
        }
    }
    return out;
}"""
SQUEEZE = """[data-testid="stCaptionContainer"] { width: 12px !important;
    word-break: break-all !important; }"""


@pytest.fixture(scope="module")
def committee_server(browser_data_dir, tmp_path_factory):
    """The sample in a folder of its own with snapshots on 24 and 31 Oct 2026 (the session's
    workspace stays as it was)."""
    folder = tmp_path_factory.mktemp("print-data")
    shutil.copy(browser_data_dir / "ledger.duckdb", folder / "ledger.duckdb")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("AR_DATA_DIR", str(folder))
        for day in ("2026-10-24", "2026-10-31"):
            argv = ["snapshot", "--ledger", str(folder / "ledger.duckdb"), "--as-of", day]
            assert main(argv) == 0
    with run_streamlit(folder, tmp_path_factory.mktemp("print-streamlit")) as url:
        yield url


@pytest.fixture
def print_page(chromium_browser):
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))  # type: ignore[attr-defined]
    try:
        yield page
    finally:
        context.close()


def printed(page, url: str, heading: str, name: str, tmp_path: Path) -> Path:
    """Open ``url``, wait until drawn, switch to print media, check what the brief asks and
    return the PDF the browser prints."""
    page.goto(url, wait_until="domcontentloaded")
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=120_000)
    wait_until_drawn(page, timeout=240_000)
    no_errors(page)
    assert page.get_by_test_id("stSidebar").is_visible()  # on screen it is there
    page.emulate_media(media="print")
    expect(page.get_by_test_id("stSidebar")).to_be_hidden()
    for testid in HIDDEN:  # those the page has (the status widget only while running)
        for element in page.get_by_test_id(testid).all():
            expect(element).to_be_hidden()
    expect(page.get_by_role("heading", name=heading).first).to_be_visible()
    assert page.evaluate(SLIVERS, NARROW_PX) == []
    full_screenshot(page, SHOTS / f"{name}.png")
    pdf = tmp_path / f"{name}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    return pdf


def test_the_overview_prints_without_the_sidebar_and_in_whole_words(
    print_page, st_server, tmp_path
):
    pdf = printed(print_page, f"{st_server}/", "Portfolio overview", "overview", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    print_page.add_style_tag(content=SQUEEZE)
    assert print_page.evaluate(SLIVERS, NARROW_PX)  # the check sees captions cut into slivers


def test_what_changed_prints_without_the_sidebar_and_in_whole_words(
    print_page, committee_server, tmp_path
):
    page = print_page
    pdf = printed(page, f"{committee_server}/committee", "What changed", "committee", tmp_path)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    expect(page.get_by_test_id("stMetric").first).to_be_visible()  # the change cards printed
