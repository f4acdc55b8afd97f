"""Every page at a laptop's 1280×800 (and the widest at 1024×768), on the sample and on the IBM export
(issue 9): no exception, no JS error, and no headline figure or label cut off with "…"
(CSS ellipsis: an element narrower than its text). Screenshots go to screenshots/screens/
for a person to look at; the 1280 ones of the sample are the README's (docs/screenshots/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from data.loader import load_ledger
from tests.browser.helpers import full_screenshot, no_errors, wait_until_drawn

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots" / "screens"
IBM_CSV = ROOT.parent / "shared" / "data" / "ibm_ar_late_payments.csv"
IBM_MAPPING = ROOT / "mappings" / "ibm_ar_late_payments.toml"
PAGES = {  # url path -> heading
    "": "Portfolio overview", "aging": "Aging", "dso": "DSO & collections",
    "concentration": "Concentration", "limits": "Credit limits", "compare": "Compare dates",
    "risk_ecl": "Expected credit loss", "risk_limits": "Limits review", "risk_grades": "Grades and PD",
    "risk_application": "New customer application", "watchlist": "Watchlist",
    "collections": "Collections worklist", "disputes": "Disputes", "committee": "What changed",
    "customer": "Customer", "cashflow": "Cash flow", "scenarios": "Scenarios", "data": "Data",
    "audit": "Audit trail", "access": "Access",
}  # fmt: skip
SIZES = {"1280x800": (1280, 800), "1024x768": (1024, 768)}
CUT_OFF = r"""() => {
    const cut = [];
    for (const card of document.querySelectorAll('[data-testid="stMetric"]')) {
        for (const node of [card, ...card.querySelectorAll('*')]) {
            const style = getComputedStyle(node);
            if (node.clientWidth > 0 && node.scrollWidth > node.clientWidth + 1
                    || style.textOverflow === 'ellipsis' && style.overflow !== 'visible') {
                cut.push(card.innerText.trim().replace(/\s+/g, ' '));
                break;
            }
        }
    }
    return cut;
}"""


@pytest.fixture(scope="module")
def ledgers(browser_data_dir) -> list[str]:
    """The sample, and the IBM export loaded through its mapping as a second ledger."""
    if not IBM_CSV.exists():
        return ["ledger"]
    target = browser_data_dir / "ibm.duckdb"
    if not target.exists():
        load_ledger(IBM_CSV, target, mapping=IBM_MAPPING)
    return ["ledger", "ibm"]


# Every page at 1280×800 (the acceptance size); at 1024×768 the pages with the widest rows of
# cards and tables, where wrapping went wrong before (the whole sweep at both sizes took half
# of the suite's browser time).
NARROW = ("", "compare", "customer", "watchlist", "collections", "risk_ecl")
CASES = [(path, "1280x800") for path in PAGES] + [(path, "1024x768") for path in NARROW]


@pytest.mark.browser
@pytest.mark.parametrize(("path", "size"), CASES, ids=lambda v: v or "overview")
def test_no_page_cuts_off_a_figure(chromium_browser, st_server, ledgers, size, path):
    width, height = SIZES[size]
    context = chromium_browser.new_context(viewport={"width": width, "height": height})
    context.route(lambda url: not url.startswith(st_server), lambda route: route.abort())
    page = context.new_page()
    page.js_errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.js_errors.append(str(exc)))  # type: ignore[attr-defined]
    try:
        for ledger in ledgers:
            page.goto(f"{st_server}/{path}?ledger={ledger}", wait_until="domcontentloaded")
            expect(page.get_by_role("heading", name=PAGES[path]).first).to_be_visible(
                timeout=30_000
            )
            wait_until_drawn(page, timeout=120_000)
            no_errors(page)
            cut = page.evaluate(CUT_OFF)
            full_screenshot(page, SHOTS / f"{size}-{ledger}-{path or 'overview'}.png")
            assert not cut, f"{ledger}, {path or 'overview'} at {size}: cut off: {cut}"
    finally:
        context.close()
