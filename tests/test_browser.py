"""The built book in a real browser (Debian's headless Chromium driven by Playwright), with every request to
another host blocked: pages load without console errors or failed requests, and lesson 00's widget shows its
controls and its default figure with no kernel and no internet. Screenshots are kept under _build/screenshots."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.book]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(built_book):
    handler = functools.partial(_Quiet, directory=str(built_book))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does this)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


def _open(browser, url):
    """Open url with other hosts blocked; return (page, console errors, failed or blocked requests)."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors, failed = [], []
    local = urlparse(url).netloc

    def route(r):
        target = urlparse(r.request.url)
        if target.scheme in ("data", "blob") or target.netloc == local:
            r.continue_()
        else:
            failed.append(f"blocked request to another host: {r.request.url}")
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(f"failed: {r.url}") if urlparse(r.url).netloc == local else None)
    page.on("response", lambda r: failed.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    page.goto(url, wait_until="networkidle")
    return page, errors, failed


def _shot(page, root, name):
    out = root / "_build" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def test_lesson00_widget_shows_controls_and_default_figure_offline(browser, site, root):
    page, errors, failed = _open(browser, f"{site}/notebooks/00_how_to_use.html")
    page.wait_for_selector(".widget-dropdown select", timeout=15000)
    selected = page.eval_on_selector(".widget-dropdown select", "s => s.options[s.selectedIndex].text")
    assert selected == "TAnDEM"
    img = page.wait_for_selector(".jupyter-widgets img[alt*='TAnDEM']", timeout=15000)
    assert img.is_visible()
    assert page.evaluate("i => i.naturalWidth", img) > 300, "the default figure did not decode"
    assert page.locator(".jupyter-widgets table.provenance-table").count() == 1
    assert page.locator(".widget-radio-box").count() == 3  # the three self-check questions
    _shot(page, root, "00_how_to_use")
    assert not errors, errors
    assert not failed, failed
    page.close()


def test_every_page_loads_cleanly_offline(browser, site, root, built_book):
    pages = sorted(p.relative_to(built_book).as_posix() for p in built_book.rglob("*.html")
                   if "_static" not in p.parts and p.name not in ("genindex.html", "search.html"))
    assert "index.html" in pages
    for rel in pages:
        page, errors, failed = _open(browser, f"{site}/{rel}")
        _shot(page, root, rel.replace("/", "__").removesuffix(".html"))
        assert not errors, (rel, errors)
        assert not failed, (rel, failed)
        page.close()
