"""The figures of the built book as a reader meets them, in Debian's headless Chromium (every request to another host
blocked), at a phone's width (390 px) and a laptop's (1280 px):

- every live (Vega) chart fits its column, none of its text cut off;
- every live chart's headline (its title) changes when its control changes, and an empty filter says so in words;
- the text of every figure, measured as rendered (an SVG's font size times the scale it is drawn at), is at least
  9 CSS px at 1280 px and 8 px at 390 px, or the figure opens enlarged on a click, where it is; the enlarged view
  closes with Escape and gives focus back.

Screenshots: _build/screenshots/figures.
"""
from __future__ import annotations

import pytest
from conftest import open_offline, reveal_live_charts, widgets_the_book_shows

from hrher2 import ongoing_trials

pytestmark = [pytest.mark.browser, pytest.mark.book]

LESSONS = ["00_how_to_use", "01_the_subtype", "02_her2_er_signaling", "03_crosstalk_resistance", "04_anti_her2_drugs",
           "05_endocrine_therapy", "06_newer_drug_classes", "07_reading_trial_results",
           "08_anti_her2_with_chemotherapy", "09_endocrine_with_anti_her2", "10_antibody_drug_conjugates",
           "11_cdk46_pi3k_pdl1", "12_ongoing_trials_capstone", "13_since_the_review"]
LIVE = ["03_crosstalk_resistance", "07_reading_trial_results", "08_anti_her2_with_chemotherapy",
        "09_endocrine_with_anti_her2", "12_ongoing_trials_capstone", "13_since_the_review"]
MIN_PX = {1280: 9.0, 390: 8.0}


def _shot(page, root, name, full_page=False):
    """What the reader sees (the screen, ~50 ms); the whole page (~1 s for a lesson) only where a check failed."""
    out = root / "_build" / "screenshots" / "figures"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"{name}.png"), full_page=full_page)


def _open(browser, site, lesson, width):
    page, errors, failed = open_offline(browser, f"{site}/notebooks/{lesson}.html", width=width, height=900)
    return page, errors, failed


def _live_ready(page):
    boxes = reveal_live_charts(page)
    # course-figures.js gives each chart its Enlarge button once the chart says it is drawn
    for i in range(boxes.count()):
        page.wait_for_function("b => b.getAttribute('data-zoom') === 'ready'", arg=boxes.nth(i).element_handle(),
                               timeout=5000)
    return boxes


def _settle(box):
    box.evaluate("b => window.hrher2Live[b.id].runAsync().then(() => true)")


def _headline(box) -> str:
    return box.evaluate("b => Array.from(b.querySelectorAll('svg .role-title-text text'))"
                        ".map(t => t.textContent).join(' ')")


# ------------------------------------------------------------------------------- kernel-only controls, static
_OPERABLE = """() => Array.from(document.querySelectorAll(
    '.static-widget select, .static-widget input, .static-widget button, .static-widget textarea, '
    + '.static-widget [role=slider]'))
    .filter(e => e.getClientRects().length && !e.classList.contains('hrher2-enlarge'))  // Enlarge needs no kernel
    .map(e => (e.closest('label, .static-widget') || e).textContent.trim().slice(0, 40) || e.tagName)"""


def test_no_kernel_only_control_is_operable_on_a_static_page(browser, site, root):
    """A widget's controls need a kernel: on the static page the widget is its default view, with no control at all,
    under one line, above the widget, that says the widget runs in JupyterLab, and one line that names the settings
    the view is for (lesson 00: Trial TAnDEM, and its figure is TAnDEM's)."""
    operable, widgets = {}, 0
    for lesson in LESSONS:
        page, errors, failed = _open(browser, site, lesson, 1280)
        views = page.locator(".static-widget").count()
        found = page.evaluate(_OPERABLE)
        if found:
            operable[lesson] = found
        text = page.inner_text("main")
        assert "launch button" not in text, f"{lesson}: the page points to a launch button the build does not have"
        notes = page.locator(".cell_output > p.hrher2-kernel-note")
        assert notes.count() == views, f"{lesson}: {views} widgets but {notes.count()} 'Runs in JupyterLab' lines"
        for i in range(views):
            note = notes.nth(i)
            assert note.inner_text().startswith("Runs in JupyterLab:") and "make lab" in note.inner_text()
            # the widget is drawn in the same cell's output, below the line
            widget = note.locator("xpath=..").locator(".static-widget").first
            assert widget.count() == 1, f"{lesson}: widget {i} is not in the output its line stands in"
            line, box = note.bounding_box(), widget.bounding_box()
            assert line["y"] + line["height"] <= box["y"] + 1, f"{lesson}: the line is not above widget {i}"
        widgets += views
        if lesson == "07_reading_trial_results":
            assert page.get_by_role("button", name="Run again (next seed)").count() == 0
            assert "seed" in page.locator(".static-widget .widget-settings").inner_text().lower()
            _shot(page, root, "07_static_simulator_1280")
        assert not errors, (lesson, errors)
        page.close()
    assert widgets == widgets_the_book_shows(root), widgets
    assert not operable, f"controls a reader can operate that do nothing without a kernel: {operable}"


# -------------------------------------------------------------------------------------- live charts: fit
_FIT = """b => {
    const col = (b.closest('article') || document.querySelector('main')).getBoundingClientRect();
    const svg = b.querySelector('svg.marks');
    const s = svg.getBoundingClientRect();
    const cut = Array.from(svg.querySelectorAll('text')).filter(t => t.textContent.trim()).filter(t => {
        const r = t.getBoundingClientRect();
        return r.width && (r.left < s.left - 2 || r.right > s.right + 2 || r.left < col.left - 2
                           || r.right > col.right + 2);
    }).map(t => t.textContent.slice(0, 40));
    return {col: [col.left, col.right], svg: [s.left, s.right], cut: cut};
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_every_live_chart_fits_its_column(browser, site, root, width):
    problems = []
    for lesson in LIVE:
        page, errors, failed = _open(browser, site, lesson, width)
        boxes = _live_ready(page)
        assert boxes.count() >= 1, lesson
        for i in range(boxes.count()):
            got = boxes.nth(i).evaluate(_FIT)
            (cl, cr), (sl, sr) = got["col"], got["svg"]
            if sl < cl - 1 or sr > cr + 1:
                problems.append(f"{lesson} chart {i}: {sr - sl:.0f} px wide in a {cr - cl:.0f} px column")
            if got["cut"]:
                problems.append(f"{lesson} chart {i}: text cut off: {got['cut'][:4]}")
        _shot(page, root, f"{lesson}_live_{width}")
        assert not errors, (lesson, errors)
        page.close()
    assert not problems, problems


# ----------------------------------------------------------------------------- live charts: their headline
def _select(name, value):
    return lambda box: box.locator(f"select[name='{name}']").select_option(value)


def _radio(name, value):
    return lambda box: box.locator(f"input[name='{name}'][value='{value}']").check()


def _keys(name, key, times):
    def act(box):
        box.locator(f"input[name='{name}']").focus()
        for _ in range(times):
            box.page.keyboard.press(key)
    return act


HEADLINE_CASES = [
    ("03_crosstalk_resistance", "xt_meno", _radio("xt_meno", "premenopausal"), "premenopausal"),
    ("07_reading_trial_results", "ec_control", _keys("ec_control", "ArrowRight", 4),
     f"at HR 0.75 a 14-month median becomes {14 / 0.75:.1f} months"),
    ("08_anti_her2_with_chemotherapy", "fp_trial", _select("fp_trial", "SYSUCC-002"), "SYSUCC-002's crosses 1"),
    ("08_anti_her2_with_chemotherapy", "cp_endpoint", _radio("cp_endpoint", "mos"), "median OS"),
    ("09_endocrine_with_anti_her2", "cp_source", _radio("cp_source", "text"), "as the text prints it"),
    ("09_endocrine_with_anti_her2", "bh_trial", None, None),  # the first trial of the select, named in the headline
    ("09_endocrine_with_anti_her2", "ce_prior_anti_her2", _select("ce_prior_anti_her2", "one anti-HER2 regimen"),
     "Cannot show this case"),
    ("09_endocrine_with_anti_her2", "ce_menopause", _select("ce_menopause", "premenopausal"), "premenopausal"),
    ("12_ongoing_trials_capstone", "og_status", _select("og_status", "Recruiting"), "ongoing trials match"),
    ("13_since_the_review", "lf_family", _radio("lf_family", "OS"), "overall survival"),
]


@pytest.mark.parametrize("lesson,control,act,expect", HEADLINE_CASES,
                         ids=[f"{c[0][:2]}-{c[1]}" for c in HEADLINE_CASES])
def test_live_headline_follows_its_control(browser, site, lesson, control, act, expect):
    page, errors, failed = _open(browser, site, lesson, 1280)
    _live_ready(page)
    box = page.locator(f"div.hrher2-live:has([name='{control}'])")
    assert box.count() == 1
    before = _headline(box)
    assert before.strip()
    if act is None:  # the benefit-harm highlight: pick the first trial
        select = box.locator(f"select[name='{control}']")
        expect = select.evaluate("s => s.options[1].value")
        select.select_option(expect)
    else:
        act(box)
    _settle(box)
    after = _headline(box)
    assert after != before, f"{lesson}: the headline stayed {before!r} after {control} changed"
    assert expect in after, (expect, after)
    assert not errors, errors
    page.close()


def test_an_empty_filter_says_no_trial_matches(browser, site, root, tables):
    table = tables["ongoing_trials"]
    # every class ticked (the default) and "all ticked classes": no trial combines all eight
    assert ongoing_trials.filter_trials(table, classes=list(ongoing_trials.CLASSES), match="all").empty
    page, errors, failed = _open(browser, site, "12_ongoing_trials_capstone", 1280)
    _live_ready(page)
    box = page.locator("div.hrher2-live:has([name='og_match'])")
    box.locator("input[name='og_match'][value='all']").check()
    _settle(box)
    assert box.evaluate("b => b.querySelectorAll('g.mark-symbol > path').length") == 0  # nothing to draw
    words = _headline(box) + " " + box.inner_text()
    assert "no trial matches" in words.lower(), f"an empty map, and the chart says only: {words[:200]!r}"
    _shot(page, root, "12_no_match")
    page.close()


# ------------------------------------------------------------------------------------- legible or enlarge
_SIZES = """(el) => {
    // smallest rendered font size (CSS px) of the SVG text of a static figure (an <img>) or a live chart (<svg>)
    function fromSvg(svg, shownWidth) {
        const vb = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width
                   ? svg.viewBox.baseVal.width : parseFloat(svg.getAttribute('width'));
        const scale = shownWidth / vb;
        let min = Infinity;
        svg.querySelectorAll('text').forEach(t => {
            if (!t.textContent.trim()) { return; }
            const style = t.getAttribute('style') || '';
            const m = style.match(/(\\d+(?:\\.\\d+)?)px/) || [null, t.getAttribute('font-size')];
            let px = parseFloat(m[1]);
            if (!px && t.isConnected) { px = parseFloat(getComputedStyle(t).fontSize); }
            if (px) { min = Math.min(min, px * scale); }
        });
        return min;
    }
    const w = el.getBoundingClientRect().width;
    if (!w) { return null; }
    if (el.tagName === 'IMG') {
        const src = el.getAttribute('src');
        const doc = new DOMParser().parseFromString(decodeURIComponent(src.slice(src.indexOf(',') + 1)),
                                                    'image/svg+xml');
        return fromSvg(doc.documentElement, w);
    }
    return fromSvg(el, w);
}"""


@pytest.mark.parametrize("width", [390, 1280])
def test_figure_text_is_legible_or_the_figure_enlarges(browser, site, root, width):
    need, small, checked = MIN_PX[width], [], 0
    for lesson in LESSONS:
        page, errors, failed = _open(browser, site, lesson, width)
        _live_ready(page)
        figures = page.locator("main figure:has(img[src^='data:image/svg+xml']), main div.hrher2-live")
        for i in range(figures.count()):
            fig = figures.nth(i)
            live = "hrher2-live" in (fig.get_attribute("class") or "")
            shown = fig.locator("svg.marks" if live else "img").first
            size = shown.evaluate(_SIZES)
            if size is None:  # not shown (inside a closed answer block)
                continue
            checked += 1
            if size >= need:
                continue
            # too small where it stands: it must open enlarged, on a click, with its text legible there
            name = f"{lesson} figure {i} ({size:.1f} px)"
            button = fig.locator("button.hrher2-enlarge")
            if button.count() != 1:
                small.append(f"{name}: too small and cannot be enlarged")
                continue
            if live:
                button.click()
            else:
                shown.click()  # a click on the figure itself opens it
            dialog = page.locator("dialog.hrher2-zoom[open]")
            dialog.wait_for(timeout=5000)
            big = dialog.locator("svg.marks" if live else "img").first.evaluate(_SIZES)
            if big is None or big < need:
                small.append(f"{name}: enlarged, still {big} px")
            if checked < 40 and (lesson.startswith(("02", "07")) or live):
                _shot(page, root, f"{lesson}_enlarged_{i}_{width}")
            page.keyboard.press("Escape")
            page.wait_for_function("() => !document.querySelector('dialog.hrher2-zoom[open]')", timeout=5000)
            # the dialog's close event, which hands focus back, fires a moment after the dialog shuts
            try:
                page.wait_for_function("b => document.activeElement === b", arg=button.element_handle(), timeout=3000)
            except Exception:
                small.append(f"{name}: focus did not come back to the Enlarge button")
            if live:  # the chart goes back to its place, still live (redrawn there: give a loaded machine a moment)
                fig.locator("svg.marks").first.wait_for(state="attached", timeout=5000)
                assert fig.locator("svg.marks").count() == 1
        assert not errors, (lesson, errors)
        page.close()
    assert checked >= 20, checked
    assert not small, small


def test_enlarge_works_from_the_keyboard(browser, site, root):
    page, errors, failed = _open(browser, site, "02_her2_er_signaling", 390)
    button = page.locator("main figure button.hrher2-enlarge").first
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.hrher2-zoom[open]")
    dialog.wait_for(timeout=5000)
    assert page.evaluate("() => document.querySelector('dialog.hrher2-zoom').contains(document.activeElement)")
    _shot(page, root, "02_enlarged_keyboard_390")
    page.keyboard.press("Escape")
    page.wait_for_function("() => !document.querySelector('dialog.hrher2-zoom[open]')", timeout=5000)
    page.wait_for_function("b => document.activeElement === b", arg=button.element_handle(), timeout=3000)
    page.close()
