"""The whole course as one PDF: _build/pdf/course.pdf (make pdf; needs the built book, which `make pdf` builds first).

Every page of the book, in the order of _toc.yml, is opened in Debian's headless Chromium (through Playwright) and
printed as the reader's own browser prints it: the print style sheet (book/_static/course-print.css) hides the
navigation and every control that does nothing on paper, wraps code at the margin, and the page's own "beforeprint"
handlers run first, so every answer block is open and each question set is followed by its answer key. The pages are
joined with pypdf, with one bookmark per page named by its title.

Usage: python scripts/build_pdf.py [--html DIR] [--out FILE]
"""
from __future__ import annotations

import argparse
import functools
import http.server
import io
import sys
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def page_order(root: Path = ROOT) -> list[str]:
    """The book's pages as _toc.yml orders them (paths without suffix)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        pages += [chapter["file"] for chapter in part.get("chapters", [])]
    return pages


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


PREPARE = """async () => {
  window.dispatchEvent(new Event('beforeprint'));   // the page's own print handlers: answer keys, open answers
  if (window.hrher2DrawLive) { await window.hrher2DrawLive(); }  // live charts are drawn when near: draw them all
  const lazy = Array.from(document.querySelectorAll('img[loading=lazy]'));  // so are the figures after the first
  lazy.forEach(img => { img.loading = 'eager'; });
  await Promise.all(lazy.map(img => img.decode().catch(() => null)));
  return document.title;
}"""


def build(html_dir: Path, out: Path, log=print, browser=None) -> dict:
    """Print every page and join them; returns {"pages": n_pdf_pages, "titles": [...], "seconds": s}. ``browser``: a
    Playwright browser already running (the tests' one); otherwise Debian's Chromium is started here."""
    from playwright.sync_api import sync_playwright
    from pypdf import PdfWriter

    if not (html_dir / "index.html").exists():
        raise SystemExit(f"pdf: no built book at {html_dir}; run `make book` first.")
    if not CHROMIUM.exists():
        raise SystemExit("pdf: Debian's chromium is needed (apt-get install -y chromium).")
    start, server, base = time.perf_counter(), *_serve(html_dir)
    writer, titles, pages = PdfWriter(), [], page_order()
    try:
        if browser is not None:
            titles = _print_pages(browser, base, html_dir, pages, writer, log)
        else:
            with sync_playwright() as pw:
                own = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
                titles = _print_pages(own, base, html_dir, pages, writer, log)
                own.close()
    finally:
        server.shutdown()
    writer.add_metadata({"/Title": titles[0] if titles else "Course"})
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("wb") as f:
        writer.write(f)
    took = time.perf_counter() - start
    log(f"pdf: {out} ({len(writer.pages)} pages, {len(titles)} book pages, {took:.0f} s)")
    return {"pages": len(writer.pages), "titles": titles, "seconds": took}


def _print_pages(browser, base: str, html_dir: Path, pages: list[str], writer, log) -> list[str]:
    from pypdf import PdfReader

    titles = []
    page = browser.new_page(viewport={"width": 1000, "height": 1400})
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith((base, "data:", "blob:")) else r.abort())
    for i, name in enumerate(pages, start=1):
        target = html_dir / f"{name}.html"
        if not target.exists():
            raise SystemExit(f"pdf: {target.relative_to(html_dir)} is in _toc.yml but not in the build.")
        page.goto(f"{base}/{name}.html", wait_until="networkidle")
        page.wait_for_timeout(300)  # the page's scripts start after load
        page.emulate_media(media="print")
        title = page.evaluate(PREPARE).split(" — ")[0].split(" | ")[0].strip()
        data = page.pdf(format="A4", print_background=True,
                        margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"},
                        display_header_footer=True, header_template="<span></span>",
                        footer_template='<div style="font-size:8px;width:100%;text-align:center;">'
                                        f'{_escape(title)} · <span class="pageNumber"></span></div>')
        page.emulate_media(media="screen")
        first = len(writer.pages)
        for p in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(p)
        writer.add_outline_item(title, first)
        titles.append(title)
        log(f"pdf: {i:2d}/{len(pages)} {name} ({len(writer.pages) - first} pages)")
    page.close()
    return titles


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--out", type=Path, default=ROOT / "_build" / "pdf" / "course.pdf")
    args = ap.parse_args(argv)
    build(args.html, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
