"""The book as a reader uses it, in headless Chromium at a phone's width (390 px) and a laptop's (1280 px):
open the navigation and reach another lesson; nothing wider than the screen except inside a scroll box that says
so; tables that can be read. Screenshots only when a check fails, in _build/screenshots/reader/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import open_offline, widgets_the_book_shows

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


def _pages(built_book: Path) -> list[str]:
    return sorted(str(p.relative_to(built_book)) for p in built_book.rglob("*.html")
                  if not str(p.relative_to(built_book)).startswith(("_static", "_sources")))


# Every visible element whose box leaves the screen, unless a scroll box within the screen holds it; and every such
# scroll box that does not say what it is (role=region, an aria-label, tabindex=0, as axe's scrollable-region rule
# expects).
_WIDER_THAN_SCREEN = """(vw) => {
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || (r.right <= vw + 1 && r.left >= -1)) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    let box = el.parentElement, holder = null;
    for (; box && box !== document.body; box = box.parentElement) {
      const ox = getComputedStyle(box).overflowX, b = box.getBoundingClientRect();
      if (/(auto|scroll|hidden|clip)/.test(ox) && b.right <= vw + 1 && b.left >= -1) { holder = box; break; }
    }
    const name = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '');
    if (!holder) { bad.push(`${name} spans ${Math.round(r.left)}–${Math.round(r.right)} px`); continue; }
    if (/(auto|scroll)/.test(getComputedStyle(holder).overflowX) &&
        !(holder.getAttribute('role') === 'region' && holder.getAttribute('aria-label') && holder.tabIndex === 0)) {
      bad.push(`${name} scrolls sideways in an unnamed ${holder.tagName.toLowerCase()}.${holder.className}`);
    }
  }
  return [...new Set(bad)].slice(0, 5);
}"""


class _Readings:
    """Every page of the book opened ONCE per width (the page-wide checks below used to open each page once each:
    ~80 more page loads), with what those checks read from it; a screenshot only of a page a check will fail on."""

    def __init__(self, browser, site, root, built_book):
        self.browser, self.site, self.root, self.pages = browser, site, root, _pages(built_book)
        self.by_width: dict[int, dict[str, dict]] = {}

    def at(self, width: int) -> dict[str, dict]:
        if width not in self.by_width:
            self.by_width[width] = {name: self._read(name, width) for name in self.pages}
        return self.by_width[width]

    def _read(self, name: str, width: int) -> dict:
        page, errors, failed = open_offline(self.browser, f"{self.site}/{name}", width=width)
        try:
            # widgets render and the page names its scroll boxes after load; a slow machine takes longer, so look
            # again for up to 5 s: what is still wrong then is what a reader sees
            wide = None
            for _ in range(10):
                page.wait_for_timeout(500)
                wide = page.evaluate(_WIDER_THAN_SCREEN, width)
                if not wide:
                    break
            lesson = "notebooks/" in name
            got = {"wide": wide,
                   "settings": page.locator(".static-widget .widget-settings").count() if lesson else 0,
                   "cut": page.evaluate(_CUT_LABELS) if lesson else [],
                   "words": page.evaluate(_WORDS_A_LINE) if lesson else [],
                   "cells": page.eval_on_selector_all("main table td", "tds => tds.map(td => td.innerText.trim())")}
            slug = name.replace("/", "_")
            for problem, shot in ((got["wide"], "wide"), (got["cut"], "cut-label"),
                                  (_squeezed(got["words"]), "squeezed-table")):
                if problem:
                    _shot(page, self.root, f"{shot}-{width}-{slug}")
            return got
        finally:
            page.close()


@pytest.fixture(scope="module")
def readings(browser, site, root, built_book) -> _Readings:
    return _Readings(browser, site, root, built_book)


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_is_wider_than_the_screen_outside_a_named_scroll_box(readings, width):
    problems = {name: r["wide"] for name, r in readings.at(width).items() if r["wide"]}
    assert not problems, f"at {width} px: {problems}"


def test_data_dictionary_meaning_column_is_visible_at_1280_without_scrolling(browser, site, root):
    page, errors, failed = open_offline(browser, f"{site}/book/data.html", width=1280)
    try:
        cells = page.evaluate("""() => [...document.querySelectorAll('main table')].map(t => {
            const th = [...t.querySelectorAll('th')].find(h => h.textContent.trim() === 'Meaning');
            if (!th) return null;
            const r = th.getBoundingClientRect(), box = t.parentElement.getBoundingClientRect();
            return {right: r.right, boxRight: box.right, boxLeft: box.left, left: r.left};
        }).filter(x => x)""")
        assert len(cells) >= 5, cells
        hidden = [c for c in cells if c["right"] > c["boxRight"] + 1 or c["left"] < c["boxLeft"] - 1]
        _check(page, root, "data-dictionary-1280", not hidden,
               f"{len(hidden)} of {len(cells)} data-dictionary tables hide their Meaning column: {hidden[:3]}")
    finally:
        page.close()


def test_rendered_tables_show_no_na_and_no_six_decimal_numbers(readings):
    seen = {}
    for name, r in readings.at(1280).items():
        if "notebooks/" not in name and "book/" not in name:
            continue
        bad = [c for c in r["cells"] if c in ("<NA>", "NaN", "None", "NaT") or re.fullmatch(r"-?\d+\.\d{6}", c)]
        if bad:
            seen[name] = bad[:5]
    assert sum(len(r["cells"]) for r in readings.at(1280).values()) >= 200, "the pages' tables were not read"
    assert not seen, seen


def test_intro_course_plan_links_every_lesson_and_totals_their_times(browser, site, root):
    page, errors, failed = open_offline(browser, f"{site}/book/intro.html", width=1280)
    try:
        assert "as they are published" not in page.inner_text("main")
        plan = page.locator("section#the-course-plan table")
        links = plan.locator("a.reference")
        hrefs = links.evaluate_all("as => as.map(a => a.href)")
        total_text = plan.locator("tr").last.inner_text()
    finally:
        page.close()
    assert len(hrefs) >= 14, hrefs
    minutes = 0
    for href in hrefs:  # follow each link as a reader would and read the lesson's own "Time to learn" line
        lesson, _, _ = open_offline(browser, href, width=1280)
        try:
            found = re.search(r"Time to learn:\s*(\d+)\s*minutes", lesson.inner_text("main"))
            assert found, f"{href}: no Time to learn line"
            minutes += int(found.group(1))
        finally:
            lesson.close()
    assert f"{minutes} min" in total_text, (minutes, total_text)


# A widget's "Shown for" line (the settings of its default view, in words) that is cut off or runs past the screen:
# its text is wider than its box, or its box ends past the viewport. At both widths.
_CUT_LABELS = """() => [...document.querySelectorAll('.static-widget .widget-settings')]
    .filter(e => e.getClientRects().length && (e.scrollWidth > e.clientWidth + 1
                 || e.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
    .map(e => e.textContent.trim().slice(0, 40))"""


@pytest.mark.parametrize("width", WIDTHS)
def test_no_widget_settings_line_is_cut_short(readings, root, width):
    read = readings.at(width)
    seen = sum(r["settings"] for r in read.values())
    cut = {name: r["cut"] for name, r in read.items() if r["cut"]}
    shown = widgets_the_book_shows(root)
    assert seen == shown, f"{seen} widget settings lines on the pages, where the lessons have {shown} widgets the book shows"
    assert not cut, f"at {width} px, widget settings lines cut short: {cut}"


# Words a line in each long cell (twelve words or more) of a lesson's tables: its lines counted from the text's
# line boxes, as the reader sees them.
_WORDS_A_LINE = """() => {
  const out = [];
  for (const td of document.querySelectorAll('main .cell_output table td')) {
    if (!td.getClientRects().length) continue;
    const words = td.textContent.trim().split(/\\s+/).filter(Boolean).length;
    if (words < 12) continue;
    const r = document.createRange();
    r.selectNodeContents(td);
    const lines = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top))).size;
    out.push([Math.round(10 * words / Math.max(lines, 1)) / 10, td.textContent.trim().slice(0, 40)]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}"""


def _squeezed(words_a_line: list) -> list:
    """The long cells (from _WORDS_A_LINE) that read fewer than 2.5 words a line."""
    return [w for w in words_a_line if w[0] < 2.5]


@pytest.mark.parametrize("width", WIDTHS)
def test_no_lesson_table_wraps_to_a_word_or_two_a_line(readings, width):
    """A table of long text squeezed into the column wraps each cell to a word or two a line and grows screens long
    (lesson 09's case table was 5,900 px tall for 24 rows; lesson 03's pathway tables read 1.6 words a line): every
    cell of twelve words or more in a lesson's tables reads at least 2.5 words a line."""
    read = readings.at(width)
    cells = sum(len(r["words"]) for r in read.values())
    squeezed = {name: bad[:3] for name, r in read.items() if (bad := _squeezed(r["words"]))}
    assert cells >= 50, cells
    assert not squeezed, f"at {width} px, table cells of a word or two a line ([words a line, text]): {squeezed}"
