"""What makes the book fast to open on a phone, kept by tests (the timings themselves are measured by `make bench`:
benchmarks/lighthouse.py, not tested):

- no lesson page (nor the intro) has a script that blocks the first paint, beyond the one the theme needs to draw
  the text (``fast_pages.RENDER_BLOCKING_ALLOWED``), and none loads the search index, which only the search page
  uses;
- each page makes one stylesheet request before its first paint: the theme's, the extensions' and the course's
  stylesheets in one bundle, without the rules no page can use, and nothing in it pointing at a missing file;
- every touch target on a phone is at least 24 × 24 CSS px or spaced as if it were (axe ``target-size``, WCAG 2.2
  2.5.8, which axe leaves off by default), with the live charts drawn and their controls showing.

That the widgets and live charts still draw after the deferred load is tested where they are: test_browser.py,
test_figures_browser.py and test_live_browser.py (which scroll to each chart, as a reader does).
"""
from __future__ import annotations

import importlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import open_offline, reveal_live_charts

ROOT = Path(__file__).resolve().parents[1]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def _ext():
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    try:
        return importlib.import_module("fast_pages")
    finally:
        sys.path.pop(0)


def _reader_pages(built_book) -> list[str]:
    return ["book/intro.html"] + sorted(f"notebooks/{p.name}" for p in (built_book / "notebooks").glob("[0-9][0-9]_*.html"))


class _Scripts(HTMLParser):
    """The page's <script src> tags that block parsing: neither async nor defer, nor a module."""

    def __init__(self):
        super().__init__()
        self.blocking, self.all, self.srcs = [], 0, []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag != "script" or "src" not in a:
            return
        self.all += 1
        self.srcs.append(a["src"].split("?")[0])
        if "async" not in a and "defer" not in a and a.get("type") != "module":
            self.blocking.append(a["src"].split("?")[0])


def test_defer_scripts_defers_what_would_block_and_keeps_the_rest():
    ext = _ext()
    from sphinx.builders.html._assets import _JavaScript

    scripts = [_JavaScript("_static/documentation_options.js"), _JavaScript("_static/doctools.js"),
               _JavaScript("_static/a.js", defer="defer"), _JavaScript("_static/b.js", **{"async": "async"}),
               _JavaScript(None, body="var x = 1;"), _JavaScript(None, type="application/json", body="{}"),
               _JavaScript("_static/c.js", priority=200, **{"data-x": "1"})]
    out = ext.defer_scripts(scripts)
    assert [js.filename for js in out] == [js.filename for js in scripts]  # same scripts, same order
    assert "defer" not in out[0].attributes  # the inline pagename script needs it at once
    assert out[1].attributes == {"defer": "defer"} and out[6].attributes == {"data-x": "1", "defer": "defer"}
    assert out[6].priority == 200
    assert out[2:6] == scripts[2:6]  # deferred, async and inline scripts are left as they are


@pytest.mark.book
def test_no_lesson_page_has_a_render_blocking_script_beyond_the_theme_s_one(built_book):
    allowed = _ext().RENDER_BLOCKING_ALLOWED
    offenders = {}
    for rel in _reader_pages(built_book):
        parser = _Scripts()
        parser.feed((built_book / rel).read_text(encoding="utf-8"))
        assert parser.all >= 10, (rel, parser.all)  # the theme's scripts are there, deferred
        extra = [src for src in parser.blocking if not src.endswith(allowed)]
        if extra:
            offenders[rel] = extra
        assert [s for s in parser.blocking if s.endswith(allowed)], f"{rel}: {allowed} should still load first"
        # the search index and Sphinx's search scripts are for the search page only (search-as-you-type is off)
        assert not [s for s in parser.srcs if s.endswith(("searchindex.js", "searchtools.js", "language_data.js"))], rel
    assert not offenders, f"scripts that block the first paint: {offenders}"
    # and the search page, which runs Sphinx's search at once, is left as Sphinx wrote it
    search = _Scripts()
    search.feed((built_book / "search.html").read_text(encoding="utf-8"))
    assert any(s.endswith("searchtools.js") for s in search.blocking)


def test_prune_css_drops_only_rules_no_page_can_use():
    ext = _ext()
    words = {"shown", "btn", "show"}
    css = (".shown{color:red}.gone{color:blue}.gone,.btn{margin:0}a:not(.gone){x:1}[class*=gone]{y:2}"
           "@media (max-width:10px){.gone{z:3}.show p{z:4}}@font-face{font-family:F}@keyframes k{from{a:1}}"
           ".btn.gone:hover{w:5}p{v:6}")
    out = ext.prune_css(css, words)
    assert ".shown {color:red}" in out and ".gone{" not in out and ".gone {" not in out
    assert ".btn {margin:0}" in out  # the selector list keeps the selector that can match
    assert "a:not(.gone)" in out and "[class*=gone]" in out and "p {v:6}" in out
    assert "@media (max-width:10px){.show p {z:4}}" in out
    assert "@font-face" in out and "@keyframes k" in out
    assert "btn.gone" not in out
    assert ext.selector_may_match(".a .b > .c", {"a", "b", "c"}) and not ext.selector_may_match(".a .x", {"a"})


def test_css_for_bundle_repoints_urls_and_inlines_imports(tmp_path):
    ext = _ext()
    static, styles = tmp_path / "_static", tmp_path / "_static" / "styles"
    styles.mkdir(parents=True)
    (static / "basic.css").write_text("p{background:url(file.png)}")
    (styles / "theme.css").write_text('@charset "UTF-8";\n@import "../basic.css";\n'
                                      ".i{src:url('../fonts/a.woff2')}.d{b:url(data:image/png;base64,AA)}"
                                      "/*# sourceMappingURL=theme.css.map */")
    out = ext.css_for_bundle(styles / "theme.css", styles)
    assert 'url("../file.png")' in out and 'url("../fonts/a.woff2")' in out and "url(data:image/png;base64,AA)" in out
    assert "@import" not in out and "@charset" not in out and "sourceMappingURL" not in out
    assert out.index("background") < out.index(".i{")  # the import is applied where it stood


@pytest.mark.book
def test_every_page_makes_one_stylesheet_request_and_the_bundle_is_whole(built_book):
    ext = _ext()
    bundles = set()
    for page in sorted(built_book.rglob("*.html")):
        if page.relative_to(built_book).parts[0] in ("_static", "_sources"):
            continue
        head = page.read_text(encoding="utf-8").split("</head>")[0]
        if "<link" not in head:
            continue  # a redirect page
        links = re.findall(r'<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"', head)
        assert len(links) == 1 and "course-bundle-" in links[0], (page.name, links)
        assert 'rel="preload" as="script"' not in head, page.name
        bundles.add((page.parent / links[0]).resolve())
    assert len(bundles) == 1, bundles
    (bundle,) = bundles
    text = bundle.read_text(encoding="utf-8")
    assert text.startswith('@charset "UTF-8";')  # the icons' characters are UTF-8, whatever the host says
    named = re.search(r"/\* course bundle of: (.*?) \*/", text).group(1).split(", ")
    files = [built_book / name for name in named]
    assert named[0].endswith("theme.css") and named[-1].endswith("course-print.css") and len(files) >= 10
    # made from the stylesheets as the build left them (the theme rewrites pygments.css at the very end)
    rebuilt = ext.bundle_text(files, bundle.parent, ext.class_vocabulary(built_book), built_book)
    assert rebuilt == text, "the bundle is stale: it was made before a stylesheet was last written"
    for url in re.findall(r'url\("([^"]+)"\)', text):
        if not url.startswith("data:"):
            assert (bundle.parent / url.split("?")[0].split("#")[0]).is_file(), url
    # the icon fonts hold the icons kept, and little else
    fonts = re.findall(r'url\("([^"]+\.subset-\w+\.woff)"\)', text)
    assert len(fonts) == 3, fonts
    from fontTools.ttLib import TTFont

    solid = next(bundle.parent / f for f in fonts if "solid" in f)
    assert (bundle.parent / fonts[0]).stat().st_size < 20_000 and ord("\uf0c9") in TTFont(solid).getBestCmap()  # ☰
    # what it keeps: the rules of the classes the pages use; what it drops: most of Font Awesome's icons
    assert ".fa-bars:before" in text or ".fa-bars::before" in text
    assert ".fa-bicycle" not in text and len(text) < 0.5 * sum(len(ext.css_for_bundle(f, bundle.parent)) for f in files)


def test_lazy_figures_keep_the_first_and_give_the_rest_their_size():
    ext = _ext()
    svg = "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%22648pt%22 height=%22396pt%22%3E"
    body = f'<img src="{svg}" alt="a"><p>text</p><img src="{svg}" alt="b"><img src="x.png" alt="c">'
    out = ext.lazy_figures(body)
    first, second, third = re.findall(r"<img [^>]*>", out)
    assert "loading" not in first  # the first figure may be what the reader sees first: it loads at once
    assert 'loading="lazy"' in second and 'decoding="async"' in second
    assert 'width="864" height="528"' in second  # 648 x 396 pt in CSS px: the box has its shape before loading
    assert third == '<img src="x.png" alt="c">' and ext.lazy_figures(out) == out


@pytest.mark.browser
@pytest.mark.book
def test_a_figure_further_down_loads_as_the_reader_nears_it_and_nothing_moves(browser, site):
    page, errors, failed = open_offline(browser, f"{site}/notebooks/03_crosstalk_resistance.html", width=390, height=844)
    last = page.locator("main img[loading=lazy]").last
    assert last.evaluate("i => i.getBoundingClientRect().top") > 5 * 844
    assert last.evaluate("i => i.complete && i.naturalWidth") == 0  # not fetched or drawn at the start
    box = last.bounding_box()
    assert box["height"] > 100 and abs(box["width"] / box["height"] - 648 / 396) < 0.02  # its place is kept
    last.scroll_into_view_if_needed()
    page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=last.element_handle(), timeout=10000)
    after = last.bounding_box()
    assert abs(after["height"] - box["height"]) <= 1 and abs(after["width"] - box["width"]) <= 1
    assert not errors and not failed
    page.close()


_TARGETS = """async () => {
    const r = await axe.run(document, {runOnly: {type: 'rule', values: ['target-size']}, resultTypes: ['violations']});
    return r.violations.flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary.split('\\n').pop()));
}"""


@pytest.mark.browser
@pytest.mark.book
def test_every_touch_target_on_a_phone_is_big_enough_or_spaced(browser, site, built_book):
    assert AXE.is_file(), f"{AXE} is missing: run `npm ci` (make test does)"
    small, checked = {}, 0
    for rel in _reader_pages(built_book):
        page, errors, failed = open_offline(browser, f"{site}/{rel}", width=390, height=844)
        reveal_live_charts(page)
        checked += page.locator("main a, main button, main input, main select").count()
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(_TARGETS)
        if found:
            small[rel] = found[:6]
        assert not errors and not failed, (rel, errors, failed)
        page.close()
    assert checked > 200, checked
    assert not small, f"touch targets under 24 x 24 px, too close to another: {small}"

