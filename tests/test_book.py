"""Book tests: the Jupyter Book builds cleanly (-W -n --keep-going), every _toc.yml entry becomes a page, and no
built page loads anything from another host (the site must work with no internet)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

pytestmark = pytest.mark.book


def _toc_files(root: Path) -> list[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(items):
        for item in items or []:
            if "file" in item:
                files.append(item["file"])
            walk(item.get("sections"))
            walk(item.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def test_every_toc_entry_became_a_page(root, built_book):
    for entry in _toc_files(root):
        page = built_book / (Path(entry).with_suffix("").as_posix() + ".html")
        assert page.is_file(), f"{entry} in _toc.yml did not become {page}"
    assert (built_book / "index.html").is_file()


class _Loads(HTMLParser):
    """Collect every URL a page *loads* (scripts, styles, images, frames, media), not the links a reader may follow."""

    LOADING = {"script": ["src"], "img": ["src", "srcset"], "iframe": ["src"], "source": ["src", "srcset"],
               "video": ["src", "poster"], "audio": ["src"], "embed": ["src"], "object": ["data"]}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name in self.LOADING.get(tag, []):
            if a.get(name):
                self.urls.append(a[name])
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if any(r in rel for r in ("stylesheet", "preload", "icon", "modulepreload", "prefetch", "manifest")):
                self.urls.append(a["href"])


def _external(url: str) -> bool:
    parsed = urlparse(url.strip())
    return parsed.scheme in ("http", "https") or url.strip().startswith("//")


def test_no_page_loads_anything_from_another_host(built_book):
    pages = sorted(built_book.rglob("*.html"))
    assert pages
    offenders = []
    for page in pages:
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [(page.name, u) for u in parser.urls if _external(u)]
    for css in built_book.rglob("*.css"):
        for url in re.findall(r"@import\s+url\(['\"]?(https?://[^'\")]+)", css.read_text(encoding="utf-8", errors="ignore")):
            offenders.append((css.name, url))
    assert not offenders, offenders


def test_widgets_are_drawn_in_the_page_with_no_script(built_book):
    """A widget's default view (its figure, its table, its settings) is HTML in the page: it shows offline, with
    JavaScript off and on paper, and the page loads no widget manager."""
    page = (built_book / "notebooks" / "07_reading_trial_results.html").read_text(encoding="utf-8")
    assert not re.search(r'<script[^>]+src="[^"]*(html-manager|embed(-amd)?\.js)', page)
    widget = page[page.index('<div class="static-widget">'):]
    widget = widget[:widget.index("</table>")]  # the survival simulator: settings, figure, summary table
    assert widget.index("Shown for: Preset: Your settings") < widget.index("data:image/svg+xml,")  # settings, then figure
    assert "True hazard ratio: 0.7" in widget and "Seed (which patients): 1" in widget
    assert re.search(r'alt="Kaplan–Meier plot of a simulated trial', widget)
    assert "survival-summary" in widget


def test_generated_pages_are_up_to_date(root):
    """book/generated/* and data/README.md are made from data/ by scripts/gen_docs.py; the committed copies must match."""
    import gen_docs

    for path, text in gen_docs.render().items():
        assert (root / path).read_text(encoding="utf-8") == text, f"{path} is stale: run `make book` (scripts/gen_docs.py)"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.hrefs.append(a["href"])


def test_internal_links_resolve(built_book):
    """Every link from one page of the site to another (and to an anchor on it) points at something that exists."""
    parsed = {}
    for page in built_book.rglob("*.html"):
        if "_static" in page.parts:
            continue
        p = _Links()
        p.feed(page.read_text(encoding="utf-8"))
        parsed[page.resolve()] = p
    broken = []
    for page, p in parsed.items():
        for href in p.hrefs:
            url = urlparse(href)
            if url.scheme or href.startswith(("//", "mailto:", "javascript:")):
                continue
            target = (page.parent / url.path).resolve() if url.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append((page.name, href))
            elif url.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else set()
                if url.fragment not in ids:
                    broken.append((page.name, href))
    assert not broken, broken[:20]


def test_theme_macro_override_differs_from_the_theme_only_by_the_icon_script(root):
    """book/_templates/static/webpack-macros.html drops pydata-sphinx-theme's fontawesome.js (1.5 MB on every page);
    if the pinned theme changes this file, the copy must be refreshed rather than silently serving old asset digests."""
    import pydata_sphinx_theme

    theme = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
             / "webpack-macros.html").read_text()
    ours = (root / "book" / "_templates" / "static" / "webpack-macros.html").read_text()
    ours = re.sub(r"^\{#-.*?-#\}\n", "", ours, flags=re.S)
    dropped = [line for line in theme.splitlines(keepends=True) if line not in ours]
    assert [d.strip() for d in dropped] == [
        "<!-- So that users can add custom icons -->",
        "<script defer src=\"{{ pathto('_static/scripts/fontawesome.js', 1) }}?digest=55c26ed414f5f8a31ebb\"></script>"]
    assert ours == "".join(line for line in theme.splitlines(keepends=True) if line not in dropped)


def test_pages_do_not_load_the_icon_script_and_icons_have_their_font(built_book):
    page = (built_book / "notebooks" / "00_how_to_use.html").read_text(encoding="utf-8")
    assert "fontawesome.js" not in page
    assert 'class="fa-solid fa-magnifying-glass"' in page or "fa-magnifying-glass" in page
    css = (built_book / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert ".fa-magnifying-glass:before" in css or ".fa-search:before" in css
    assert (built_book / "_static" / "vendor" / "fontawesome" / "webfonts" / "fa-solid-900.woff2").is_file()
