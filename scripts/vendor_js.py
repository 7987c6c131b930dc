"""Copy the front-end files the book serves from node_modules (installed by `npm ci`) into book/_static/vendor.

Only files the site really loads are copied: the standalone ipywidgets HTML manager (embed.js) and its fonts.
"""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "book" / "_static" / "vendor"
HTML_MANAGER = ROOT / "node_modules" / "@jupyter-widgets" / "html-manager" / "dist"
FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".eot", ".svg"}


def main() -> None:
    if not (HTML_MANAGER / "embed.js").is_file():
        raise SystemExit(f"{HTML_MANAGER / 'embed.js'} is missing: run `npm ci` in {ROOT} first.")
    target = VENDOR / "html-manager"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copy2(HTML_MANAGER / "embed.js", target / "embed.js")
    shutil.copy2(HTML_MANAGER / "embed.js.LICENSE.txt", target / "embed.js.LICENSE.txt")
    for f in HTML_MANAGER.iterdir():
        if f.suffix in FONT_SUFFIXES:
            shutil.copy2(f, target / f.name)
    print(f"vendored {sum(1 for _ in target.iterdir())} files into {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
