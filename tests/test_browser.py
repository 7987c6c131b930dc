"""The built book in a real browser (Debian's headless Chromium driven by Playwright), with every request to
another host blocked: pages load without console errors or failed requests, and lesson 00's widget shows its
controls and its default figure with no kernel and no internet. Screenshots are kept under _build/screenshots."""
from __future__ import annotations

from pathlib import Path

import pytest
from conftest import open_offline

pytestmark = [pytest.mark.browser, pytest.mark.book]


def _open(browser, url):
    return open_offline(browser, url)


def _shot(page, root, name):
    out = root / "_build" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)  # the whole page: for a page with a problem


def test_a_kernel_widget_shows_its_settings_and_default_figure_offline(browser, site, root):
    """The survival simulator (lesson 07) stays a kernel widget; the static page shows its default view."""
    page, errors, failed = _open(browser, f"{site}/notebooks/07_reading_trial_results.html")
    widget = page.locator(".static-widget")
    assert widget.count() == 1
    settings = widget.locator(".widget-settings").inner_text()
    assert "True hazard ratio: 0.7" in settings and "Seed (which patients): 1" in settings
    img = widget.locator("img[alt*='Kaplan–Meier']")
    img.scroll_into_view_if_needed()
    assert img.is_visible()
    # the page's figures after the first load lazily, as the reader nears them: wait until this one has decoded
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle(), timeout=10000)
    assert img.evaluate("i => i.naturalWidth") > 300, "the default figure did not decode"
    assert widget.locator("table.survival-summary").count() == 1
    from hrher2 import quiz
    expected = sum(q["lesson"] == "07" and q["set"] == "lesson" for q in quiz.load_bank().questions)
    assert page.locator(".hq-q fieldset").count() == expected  # the lesson's self-check questions
    _shot(page, root, "07_reading_trial_results")
    assert not errors, errors
    assert not failed, failed
    page.close()


def _pages(built_book):
    return sorted(p.relative_to(built_book).as_posix() for p in built_book.rglob("*.html")
                  if "_static" not in p.parts and "_sources" not in p.parts)


AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


def _axe(page) -> list[dict]:
    """Run axe-core (vendored from the npm registry) on the page; return the violations."""
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` (make test does)"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""")
    return result


def test_every_page_loads_cleanly_offline_and_passes_axe(browser, site, root, built_book):
    pages = _pages(built_book)
    assert "index.html" in pages and "search.html" in pages
    report = {}
    for rel in pages:
        page, errors, failed = _open(browser, f"{site}/{rel}")
        missing_alt = page.eval_on_selector_all("img", "imgs => imgs.filter(i => !i.hasAttribute('alt')).map(i => i.src.slice(0, 80))")
        violations = _axe(page)
        if errors or failed or missing_alt or violations:  # a screenshot of a page with a problem only
            _shot(page, root, rel.replace("/", "__").removesuffix(".html"))
        assert not errors, (rel, errors)
        assert not failed, (rel, failed)
        assert not missing_alt, (rel, "images without alt text", missing_alt)
        report[rel] = violations
        page.close()
    out = root / "_build" / "screenshots" / "axe-report.json"
    out.write_text(__import__("json").dumps(report, indent=1))
    # the issue asks for no critical or serious violation; the site has none of any impact, and keeps it that way
    # (moderate and minor ones were fixed: landmark for the title link, heading order, named table corners)
    found = {rel: [(v["id"], v["impact"]) for v in vs] for rel, vs in report.items() if vs}
    assert not found, found


def test_search_finds_a_lesson(browser, site):
    page, errors, failed = _open(browser, f"{site}/search.html?q=TAnDEM")
    page.wait_for_selector("#search-results li a", timeout=15000)
    hits = page.eval_on_selector_all("#search-results li a", "as => as.map(a => a.getAttribute('href'))")
    assert any("00_how_to_use" in h for h in hits), hits
    assert not errors and not failed
    page.close()


def test_navigation_next_link_leads_to_lesson_00(browser, site):
    page, errors, failed = _open(browser, f"{site}/book/intro.html")
    page.click("a.right-next")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("notebooks/00_how_to_use.html")
    assert page.locator("h1").first.inner_text().startswith("00 · How to use this course")
    assert not errors and not failed
    page.close()
