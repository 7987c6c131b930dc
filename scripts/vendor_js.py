"""Copy the front-end files the book serves from node_modules (installed by `npm ci`) into book/_static/vendor.

Only files the site really loads are copied: the Vega stack of the live charts (vega, vega-lite, vega-embed:
`vendor_vega()`). The book draws its ipywidgets widgets from their saved state at build time, with no script
(book/_ext/course_site.py), so it ships no widget manager.

`vendor_slides(target)` copies what the reveal.js slide decks load (scripts/build_slides.py calls it): reveal.js
(its core, the "white" theme, whose fonts are embedded, and the speaker-notes plugin), require.js, and the AMD build
of the ipywidgets HTML manager with its fonts. Nothing in a deck is fetched from another host.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "book" / "_static" / "vendor"
HTML_MANAGER = ROOT / "node_modules" / "@jupyter-widgets" / "html-manager" / "dist"
FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".eot", ".svg"}
REVEAL = ROOT / "node_modules" / "reveal.js"
REQUIREJS = ROOT / "node_modules" / "requirejs" / "require.js"
# The reveal.js theme of the decks: "white" embeds its fonts (data: URLs); several other themes @import web fonts.
REVEAL_THEME = "white"


def main() -> None:
    stale = VENDOR / "html-manager"  # the widget manager the book once loaded: not served any more
    if stale.exists():
        shutil.rmtree(stale)
    vendor_vega()


#: The Vega stack of the live charts (hrher2.live; book/_ext/live_charts.py adds it to pages that have one):
#: the UMD builds pinned in package-lock.json to the versions the installed Altair writes specs for.
VEGA_FILES = {"vega": "vega.min.js", "vega-lite": "vega-lite.min.js", "vega-embed": "vega-embed.min.js"}


def vendor_vega() -> None:
    """Copy vega, vega-lite and vega-embed (build/*.min.js and their licences) into book/_static/vendor/vega."""
    target = VENDOR / "vega"
    sources = {ROOT / "node_modules" / pkg / "build" / name: name for pkg, name in VEGA_FILES.items()}
    sources.update({ROOT / "node_modules" / pkg / "LICENSE": f"{pkg}.LICENSE.txt" for pkg in VEGA_FILES})
    missing = [str(src.relative_to(ROOT)) for src in sources if not src.is_file()]
    if missing:
        raise SystemExit(f"missing front-end files {missing}: run `npm ci` in {ROOT} first.")
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for src, name in sources.items():
        shutil.copy2(src, target / name)
    print(f"vendored {len(sources)} files into {target.relative_to(ROOT)}")


def vendor_slides(target: Path) -> list[Path]:
    """Copy the files the slide decks load into `target` (e.g. _build/slides/vendor); return the files copied.

    Layout (what scripts/build_slides.py points nbconvert at):
      reveal.js/dist/reveal.js, reveal.js/dist/reveal.css, reveal.js/dist/theme/<REVEAL_THEME>.css,
      reveal.js/plugin/notes/notes.js, require.js, html-manager/embed-amd.js (+ its fonts), and the licences.
    """
    target = Path(target)
    sources = {
        REVEAL / "dist" / "reveal.js": "reveal.js/dist/reveal.js",
        REVEAL / "dist" / "reveal.css": "reveal.js/dist/reveal.css",
        REVEAL / "dist" / "theme" / f"{REVEAL_THEME}.css": f"reveal.js/dist/theme/{REVEAL_THEME}.css",
        REVEAL / "dist" / "plugin" / "notes.js": "reveal.js/plugin/notes/notes.js",
        REVEAL / "LICENSE": "reveal.js/LICENSE",
        REQUIREJS: "require.js",
        HTML_MANAGER / "embed-amd.js": "html-manager/embed-amd.js",
        HTML_MANAGER / "embed.js.LICENSE.txt": "html-manager/embed.js.LICENSE.txt",
    }
    sources.update({f: f"html-manager/{f.name}" for f in sorted(HTML_MANAGER.glob("*")) if f.suffix in FONT_SUFFIXES})
    missing = [str(src.relative_to(ROOT)) for src in sources if not src.is_file()]
    if missing:
        raise SystemExit(f"missing front-end files {missing}: run `npm ci` in {ROOT} first (make setup does).")
    if target.exists():
        shutil.rmtree(target)
    copied = []
    for src, rel in sources.items():
        dest = target / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
        copied.append(dest)
    return copied


if __name__ == "__main__":
    main()
