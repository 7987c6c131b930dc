"""Shared fixtures. Paths are resolved from this file, so tests run from any working directory."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# The source review sits beside the repository (../shared/source/review.md) on the course's machines and in CI.
REVIEW = ROOT.parent / "shared" / "source" / "review.md"


@pytest.fixture(autouse=True, scope="session")
def _private_validation_cache(tmp_path_factory):
    """Tests never rely on (or fill) the user's validation cache: they get a fresh one."""
    import os

    old = os.environ.get("HRHER2_CACHE")
    os.environ["HRHER2_CACHE"] = str(tmp_path_factory.mktemp("hrher2-cache"))
    yield
    if old is None:
        os.environ.pop("HRHER2_CACHE", None)
    else:
        os.environ["HRHER2_CACHE"] = old


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def tables():
    from hrher2 import data
    return data.load_all(DATA)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture(scope="session")
def review_text() -> str:
    if not REVIEW.is_file():
        pytest.skip(f"the source review is not beside this clone ({REVIEW}); these checks compare data/ with it")
    return REVIEW.read_text(encoding="utf-8")


def _build_book_once(root: Path) -> str:
    """Build the book the way `make book` does (scripts/build_book.py), from clean (Sphinx does not notice template
    changes), and return what went wrong ("" when nothing did). Executed notebooks stay cached in _build/.jupyter_cache."""
    for stale in ("html", ".doctrees"):
        shutil.rmtree(root / "_build" / stale, ignore_errors=True)
    proc = subprocess.run([sys.executable, str(root / "scripts" / "build_book.py"), str(root)],
                          capture_output=True, text=True, cwd=root, timeout=1800)
    log = proc.stdout[-6000:] + proc.stderr[-6000:]
    if proc.returncode != 0:
        return f"jupyter-book build failed:\n{log}"
    if "WARNING:" in proc.stdout + proc.stderr:
        return f"the build printed Sphinx warnings:\n{log}"
    return ""


@pytest.fixture(scope="session")
def built_book(root) -> Path:
    """One clean book build per test run, shared by every parallel worker (`make test` runs pytest-xdist): the first
    worker to get the lock builds and leaves a marker named for this run, holding what went wrong, if anything; the
    others wait on the lock and read the marker, so the book is built once and a failed build fails everywhere."""
    import fcntl
    import os

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")  # set in every worker of one xdist run; None without xdist
    if run is None:
        problem = _build_book_once(root)
    else:
        (root / "_build").mkdir(exist_ok=True)
        with open(root / "_build" / ".book-build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
            marker = root / "_build" / f".book-built-{run}"
            if marker.exists():
                problem = marker.read_text(encoding="utf-8")
            else:
                for old in (root / "_build").glob(".book-built-*"):
                    old.unlink()
                problem = _build_book_once(root)
                marker.write_text(problem, encoding="utf-8")
    assert not problem, problem
    return root / "_build" / "html"


# ---- the headless browser and the local site server, shared by the browser, live-chart and JupyterLab tests ----
CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def site(built_book):
    """The built book served on a free local port."""
    import functools
    import http.server
    import threading

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built_book)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (never a downloaded browser)."""
    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install -y chromium (.ci/run does this)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield b
        b.close()


def reveal_live_charts(page, timeout: int = 30000):
    """Scroll to each live chart, as a reader does, and wait until it is drawn (a chart is drawn when it comes near
    the view); charts the reader cannot see yet (inside a closed answer block) are drawn as for printing. Asserts
    that every chart was drawn; returns the chart boxes, with the page scrolled back to the top."""
    boxes = page.locator("div.hrher2-live")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if box.is_visible():
            box.scroll_into_view_if_needed()
        else:
            page.evaluate("() => window.hrher2DrawLive()")
        page.wait_for_function("b => ['ready', 'failed'].includes(b.getAttribute('data-state'))",
                               arg=box.element_handle(), timeout=timeout)
        assert box.get_attribute("data-state") == "ready", box.inner_text()[:200]
    page.evaluate("() => window.scrollTo(0, 0)")
    return boxes


def open_offline(browser, url: str, width: int = 1280, height: int = 900):
    """Open url in a new page with every request to another host blocked; return (page, console errors, failed or
    blocked requests). Shared by the site and live-chart browser tests."""
    from urllib.parse import urlparse

    page = browser.new_page(viewport={"width": width, "height": height})
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


def widgets_the_book_shows(root) -> int:
    """How many widgets the book pages show: widget outputs in the committed lessons, but for cells tagged remove-cell."""
    n = 0
    for nb in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code" or "remove-cell" in cell.get("metadata", {}).get("tags", []):
                continue
            n += sum("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in cell.get("outputs", []))
    return n
