"""The book as a reader uses it, in headless Chromium at a phone's width (390 px) and a laptop's (1280 px):
open the navigation and reach another lesson; nothing wider than the screen except inside a scroll box that says
so; tables that can be read. Screenshots only when a check fails, in _build/screenshots/reader/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import open_offline

WIDTHS = (390, 1280)


def _shot(page, root: Path, name: str) -> str:
    out = root / "_build" / "screenshots" / "reader"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return str(path.relative_to(root))


def _check(page, root, name, ok: bool, message: str):
    if not ok:
        pytest.fail(f"{message} (screenshot: {_shot(page, root, name)})")


@pytest.mark.parametrize("width", WIDTHS)
def test_reader_opens_the_navigation_and_reaches_another_lesson(browser, site, root, width):
    page, errors, failed = open_offline(browser, f"{site}/notebooks/01_the_subtype.html", width=width)
    try:
        toggle = page.get_by_role("button", name="Toggle primary sidebar")
        _check(page, root, f"nav-{width}-no-toggle", toggle.count() == 1 and toggle.is_visible(),
               "one visible 'Toggle primary sidebar' button")
        link = page.locator("#pst-primary-sidebar a.reference", has_text="02 · ")
        if width < 992:
            # a phone: the navigation is off screen until the reader opens it
            _check(page, root, f"nav-{width}-hidden", not link.is_visible(), "the navigation starts closed on a phone")
            toggle.click()
            link = page.locator("dialog[open] a.reference", has_text="02 · ")
            page.wait_for_timeout(400)
            _check(page, root, f"nav-{width}-not-opened", link.count() == 1 and link.is_visible(),
                   "clicking 'Toggle primary sidebar' opens the navigation with the lesson list")
        else:
            # a laptop: the navigation is shown; the button hides it (more room) and brings it back
            _check(page, root, f"nav-{width}-hidden", link.is_visible(), "the navigation is shown at 1280 px")
            toggle.click()
            page.wait_for_timeout(600)
            _check(page, root, f"nav-{width}-not-hidden", not link.is_visible(),
                   "clicking 'Toggle primary sidebar' hides the navigation")
            toggle.click()
            page.wait_for_timeout(600)
            _check(page, root, f"nav-{width}-not-back", link.is_visible(),
                   "clicking 'Toggle primary sidebar' again brings the navigation back")
        box = link.bounding_box()
        _check(page, root, f"nav-{width}-small-link", box["height"] >= 24, "the lesson link is at least 24 px tall")
        link.click()
        page.wait_for_load_state("networkidle")
        assert page.title().startswith("02 · "), page.title()
        assert page.locator("h1").first.inner_text().startswith("02 · ")
        assert not errors, errors
    finally:
        page.close()


def test_reader_on_a_phone_opens_the_page_contents(browser, site, root):
    page, errors, failed = open_offline(browser, f"{site}/notebooks/01_the_subtype.html", width=390)
    try:
        toggle = page.get_by_role("button", name="Toggle secondary sidebar")
        toggle.click()
        page.wait_for_timeout(400)
        entries = page.locator("dialog[open] nav a.nav-link")
        _check(page, root, "toc-390-not-opened", entries.count() >= 3 and entries.first.is_visible(),
               "clicking 'Toggle secondary sidebar' opens this page's contents")
    finally:
        page.close()
