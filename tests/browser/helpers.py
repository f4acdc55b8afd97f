"""What a browser test does again and again: wait for Streamlit to settle, take full shots."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect


def wait_for_app_idle(page: Page, timeout: float = 60_000) -> None:
    """Connected and no script running (the status widget alone is not a reliable signal)."""
    page.locator(
        '[data-testid="stApp"][data-test-connection-state="CONNECTED"]'
        '[data-test-script-state="notRunning"]'
    ).wait_for(timeout=timeout)


def wait_until_drawn(page: Page, timeout: float = 60_000) -> None:
    """Idle, and no element still a grey placeholder (a skeleton) waiting for its value."""
    wait_for_app_idle(page, timeout)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)


def full_screenshot(page: Page, path: Path) -> None:
    """Streamlit scrolls inside stMain: grow the viewport to the content height, shoot, restore."""
    height = page.evaluate(
        """() => {
        const m = document.querySelector('[data-testid="stMain"]');
        return Math.ceil(Math.max(m ? m.scrollHeight : 0, document.documentElement.scrollHeight));
    }"""
    )
    viewport = page.viewport_size
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=60_000)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)


def no_errors(page: Page) -> None:
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert not page.js_errors, page.js_errors  # type: ignore[attr-defined]


def open_nav(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    expect(page.get_by_role("heading", name=title).first).to_be_visible()
    wait_for_app_idle(page)
