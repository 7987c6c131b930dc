"""`make bench`: measure how fast the course builds, tests and responds. Measurements, not tests: nothing fails on time.

Writes benchmarks/results.json and the table in benchmarks/README.md (between the markers). Each timing is the
median of several runs with min and max. Run from the repository root with the course venv.

    python benchmarks/run.py            # everything (several minutes)
    python benchmarks/run.py --quick    # one run of each build step, fewer widget changes
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
RESULTS = ROOT / "benchmarks" / "results.json"
README = ROOT / "benchmarks" / "README.md"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def stats(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed in {cwd}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return took


def copy_repo(dest: Path) -> Path:
    """A scratch copy of the course (no .git, .venv or _build) so builds never touch the working tree."""
    ignore = shutil.ignore_patterns(".git", ".venv", "_build", "node_modules", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


def lessons() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# ---------------------------------------------------------------- 1. book build
def bench_build(repeats: int) -> dict:
    clean, nochange, edit = [], [], []
    for i in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            work = copy_repo(Path(tmp) / "course")
            # exactly what `make book` runs after set-up: cache guard, parallel pre-execution, jupyter-book build
            cmd = [sys.executable, str(work / "scripts" / "build_book.py"), str(work)]
            log(f"book: clean build {i + 1}/{repeats}")
            clean.append(run(cmd, work))
            log(f"book: rebuild with nothing changed {i + 1}/{repeats}")
            nochange.append(run(cmd, work))
            nb = sorted((work / "notebooks").glob("[0-9][0-9]_*.ipynb"))[-1]
            data = json.loads(nb.read_text())
            # a code cell, so the lesson's cached outputs no longer match and it is executed again
            code = [c for c in data["cells"] if c["cell_type"] == "code"][-1]
            code["source"] = (code["source"] if isinstance(code["source"], str) else "".join(code["source"])) + "\n# edited"
            nb.write_text(json.dumps(data, indent=1))
            log(f"book: rebuild after a one-cell edit of {nb.name} {i + 1}/{repeats}")
            edit.append(run(cmd, work))
    return {"clean": stats(clean), "no_change": stats(nochange), "one_cell_edit": stats(edit)}


# ---------------------------------------------------------------- 2. plain execution, memory, nbval
# the kernel's own peak resident set (VmHWM); ru_maxrss would inherit the parent's peak across fork and exec
MEMORY_CELL = "print('PEAK_RSS_KB', int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:'))))"


def bench_notebooks(repeats: int) -> dict:
    import nbformat
    from nbclient import NotebookClient

    out = {}
    for nb_path in lessons():
        times, peaks = [], []
        for _ in range(repeats):
            nb = nbformat.read(nb_path, as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell(MEMORY_CELL))
            client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(nb_path.parent)}})
            start = time.perf_counter()
            client.execute()
            times.append(time.perf_counter() - start)
            text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
            peaks.append(int(re.search(r"PEAK_RSS_KB (\d+)", text).group(1)) / 1024)
        out[nb_path.name] = {"execute_s": stats(times), "peak_rss_mb": max(peaks)}
        log(f"notebook {nb_path.name}: {statistics.median(times):.2f} s, peak {max(peaks):.0f} MB")
    return out


def bench_nbval(repeats: int) -> dict:
    times = []
    for i in range(repeats):
        log(f"nbval run {i + 1}/{repeats}")
        times.append(run([sys.executable, "-m", "pytest", "notebooks", "-q", "-p", "no:cacheprovider"], ROOT))
    return stats(times)


# ---------------------------------------------------------------- 3. widget response
def bench_widgets(changes: int) -> dict:
    import drive  # tests/support (on PYTHONPATH: the Makefile's bench target sets it, as pyproject.toml does for pytest)
    from hrher2 import data
    from widget_registry import WIDGETS  # the registry: one entry per widget

    tables = data.load_all()
    out = {}
    for name, spec in WIDGETS.items():
        widget = spec["build"](tables)
        records = drive.exercise(widget, changes=changes)
        ms = sorted(r["seconds"] * 1000 for r in records)
        bare = []
        for _ in range(max(10, changes // 3)):
            start = time.perf_counter()
            spec["bare"](tables)
            bare.append((time.perf_counter() - start) * 1000)
        p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))] if ms else None
        out[name] = {"lesson": spec["lesson"], "changes": len(records), "controls": sorted({r["control"] for r in records}),
                     "median_ms": statistics.median(ms) if ms else None, "p95_ms": p95,
                     "bare_plot_median_ms": statistics.median(bare),
                     "overhead_ratio": (statistics.median(ms) / statistics.median(bare)) if ms else None,
                     "redrawn_every_change": all(r["changed"] for r in records),
                     "alerts": sum(1 for r in records if r["alert"])}
        log(f"widget {name}: median {out[name]['median_ms']:.1f} ms, p95 {p95:.1f} ms over {len(records)} changes")
    return out


# ---------------------------------------------------------------- 4. import time
def bench_import(repeats: int) -> dict:
    code = ("import time; t = time.perf_counter(); import hrher2; from hrher2 import data, plots, widgets, quiz; "
            "print(time.perf_counter() - t)")
    values = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
              for _ in range(repeats)]
    return stats(values)


# ---------------------------------------------------------------- 5. the site
def _built_book(part: str) -> Path:
    """The built book (_build/html), built first if it is not there."""
    html = ROOT / "_build" / "html"
    if not (html / "index.html").exists():
        log(f"{part}: building the book first")
        run([sys.executable, str(ROOT / "scripts" / "build_book.py"), str(ROOT)], ROOT)
    return html


def bench_site() -> dict:
    html = _built_book("site")
    total = sum(f.stat().st_size for f in html.rglob("*") if f.is_file())
    bundle = html / "_static" / "vendor" / "html-manager" / "embed.js"
    bundle_size = bundle.stat().st_size if bundle.exists() else 0
    pages = {}
    try:
        pages = _page_weights(html)
    except Exception as exc:  # the browser is optional for this measurement
        log(f"site: page weights need Chromium ({exc}); sizes of HTML files only")
        pages = {p.relative_to(html).as_posix(): {"html_bytes": p.stat().st_size} for p in html.rglob("*.html")
                 if "_static" not in p.parts}
    largest = max(pages.items(), key=lambda kv: kv[1].get("bytes_excluding_widget_bundle", kv[1]["html_bytes"]))
    largest_own = max(pages.items(), key=lambda kv: kv[1].get("bytes_excluding_shared_bundles", kv[1]["html_bytes"]))
    return {"total_bytes": total, "widget_bundle_bytes": bundle_size, "pages": pages,
            "largest_page": {"page": largest[0], **largest[1]},
            "largest_page_own": {"page": largest_own[0], **largest_own[1]},
            "max_requests": max(v.get("requests", 0) for v in pages.values())}


class _Served:
    """The built book on 127.0.0.1 (a plain static server, as for the page weights), for Playwright."""

    def __init__(self, html: Path):
        import functools
        import http.server
        import threading

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html)))
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        return self.base

    def __exit__(self, *exc):
        self.server.shutdown()


def _chromium(pw):
    return pw.chromium.launch(executable_path="/usr/bin/chromium",
                              args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])


def _page_weights(html: Path) -> dict:
    import gzip

    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw, _Served(html) as base:
        browser = _chromium(pw)
        for page_file in sorted(html.rglob("*.html")):
            if "_static" in page_file.parts:
                continue
            rel = page_file.relative_to(html).as_posix()
            page = browser.new_page()
            sizes, finished = [], []
            page.on("requestfinished", lambda r, sizes=sizes: sizes.append((r.url, (r.sizes() or {}).get("responseBodySize", 0))))
            page.on("requestfinished", lambda r, finished=finished: finished.append(r))
            page.goto(f"{base}/{rel}", wait_until="networkidle")
            # a page's live charts (and Vega) load as the reader scrolls to them: count them too, as if read through
            if page.evaluate("() => typeof window.hrher2DrawLive === 'function'"):
                page.evaluate("() => window.hrher2DrawLive()")
                page.wait_for_load_state("networkidle")
            # what a static host that compresses text (GitHub Pages does, with gzip) would send: fonts are already
            # compressed and are counted as they are
            gz = 0
            for r in finished:
                try:
                    body = r.response().body()
                except Exception:  # a request with no body to read (e.g. a redirect)
                    continue
                gz += len(body) if r.url.split("?")[0].endswith((".woff2", ".woff", ".png")) else len(gzip.compress(body, 6))
            page.close()
            total = sum(s for _, s in sizes)
            bundle = sum(s for u, s in sizes if u.split("?")[0].endswith("html-manager/embed.js"))
            # the vendored Vega runtime is, like the widget bundle, one set of files shared by every page with a
            # live chart and cached after the first
            vega = sum(s for u, s in sizes if "/_static/vendor/vega/" in u.split("?")[0])
            out[rel] = {"requests": len(sizes), "bytes_with_assets": total, "bytes_excluding_widget_bundle": total - bundle,
                        "bytes_excluding_shared_bundles": total - bundle - vega, "gzip_bytes_with_assets": gz,
                        "html_bytes": page_file.stat().st_size}
        browser.close()
    return out


# ---------------------------------------------------------------- 5b. live charts in the browser
# In the page: change one bound control of a drawn chart (round robin over its controls: the next menu option, the next
# radio button, a checkbox flipped, a slider moved between a quarter and three quarters of its range), then wait for
# Vega's dataflow to finish (the SVG is redrawn inside it: "work") and for the next animation frame (the response the
# reader sees, so it cannot be under one frame, ~16.7 ms at 60 Hz). Both are timed from the input event.
_LIVE_JS = """async ([id, changes]) => {
  const box = document.getElementById(id), view = window.hrher2Live[id];
  const binds = Array.from(box.querySelectorAll('.vega-bind'));
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  const times = [], work = [], kinds = [];
  for (let i = 0; i < changes; i++) {
    const bind = binds[i % binds.length];
    const radios = Array.from(bind.querySelectorAll('input[type=radio]'));
    const el = bind.querySelector('select, input');
    let target, type = 'change';
    if (radios.length) {
      const k = radios.findIndex(r => r.checked);
      target = radios[(k + 1) % radios.length]; target.checked = true;
    } else if (el.tagName === 'SELECT') {
      el.selectedIndex = (el.selectedIndex + 1) % el.options.length; target = el;
    } else if (el.type === 'checkbox') {
      el.checked = !el.checked; target = el;
    } else {
      const lo = +el.min, hi = +el.max, at = (i / binds.length) % 2 < 1 ? 0.25 : 0.75;
      el.value = String(lo + (hi - lo) * at); target = el; type = 'input';
    }
    const t0 = performance.now();
    target.dispatchEvent(new Event(type, {bubbles: true}));
    await view.runAsync();
    work.push(performance.now() - t0);
    await frame();
    times.push(performance.now() - t0);
    kinds.push(radios.length ? 'radio' : el.tagName === 'SELECT' ? 'select' : el.type);
  }
  return {times, work, kinds, controls: binds.length};
}"""


def bench_live(changes: int) -> dict:
    """Every live chart of the built book, in headless Chromium at 1280 px: the response to each control change."""
    from playwright.sync_api import sync_playwright

    html = _built_book("live")
    out = {}
    with sync_playwright() as pw, _Served(html) as base:
        browser = _chromium(pw)
        for page_file in sorted((html / "notebooks").glob("[0-9][0-9]_*.html")):
            if "hrher2-live" not in page_file.read_text(encoding="utf-8"):
                continue
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/notebooks/{page_file.name}", wait_until="networkidle")
            page.evaluate("() => window.hrher2DrawLive()")
            for n, box in enumerate(page.query_selector_all("div.hrher2-live[data-state=ready]"), 1):
                got = page.evaluate(_LIVE_JS, [box.get_attribute("id"), changes])
                ms = sorted(got["times"])
                p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
                name = f"{page_file.stem[:2]} chart {n}"
                out[name] = {"page": page_file.name, "controls": got["controls"], "kinds": sorted(set(got["kinds"])),
                             "changes": len(ms), "median_ms": statistics.median(ms), "p95_ms": p95, "max_ms": ms[-1],
                             "work_median_ms": statistics.median(got["work"])}
                log(f"live {name}: median {out[name]['median_ms']:.1f} ms, p95 {p95:.1f} ms over {len(ms)} changes")
            page.close()
        browser.close()
    return out


# ---------------------------------------------------------------- 6. make test and a fresh set-up
def bench_make_test() -> dict:
    log("make test (end to end)")
    return {"seconds": run(["make", "test"], ROOT)}


def bench_fresh_setup() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        dest = Path(tmp) / "fresh"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
        log("fresh clone: make setup (pip cache may be warm)")
        seconds = run(["make", "setup"], dest, env={k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"})
        again = run(["make", "setup"], dest)
    return {"first_setup_s": seconds, "second_setup_s": again}


# ---------------------------------------------------------------- report
TARGETS = [
    ("Clean build of all lessons", lambda r: r["build"]["clean"]["median"], "s", 45),
    ("Rebuild, nothing changed", lambda r: r["build"]["no_change"]["median"], "s", 10),
    ("Rebuild after a one-cell edit", lambda r: r["build"]["one_cell_edit"]["median"], "s", 20),
    ("Build overhead (clean build ÷ summed notebook execution)", lambda r: r["ratios"]["build_overhead"], "×", 1.5),
    ("nbval overhead (nbval ÷ summed notebook execution)", lambda r: r["ratios"]["nbval_overhead"], "×", 1.5),
    ("Package import in a fresh process", lambda r: r["import_s"]["median"], "s", 1.0),
    ("Worst kernel widget median response", lambda r: max(w["median_ms"] or 0 for w in r["widgets"].values()), "ms", 50),
    ("Worst kernel widget p95 response", lambda r: max(w["p95_ms"] or 0 for w in r["widgets"].values()), "ms", 120),
    ("Worst live chart median response, input to redrawn chart in Chromium",
     lambda r: max(c["median_ms"] for c in r["live"].values()), "ms", 50),
    ("Peak kernel memory, worst lesson", lambda r: max(n["peak_rss_mb"] for n in r["notebooks"].values()), "MB", 300),
    ("Largest page with its assets (widget bundle excluded)", lambda r: r["site"]["largest_page"].get(
        "bytes_excluding_widget_bundle", r["site"]["largest_page"]["html_bytes"]) / 1e6, "MB", 2.0),
    ("Largest page, widget and Vega bundles both counted once for the site",
     lambda r: r["site"]["largest_page_own"]["bytes_excluding_shared_bundles"] / 1e6, "MB", 2.0),
    ("Largest page with every asset (both bundles too), gzip-compressed as a static host sends it",
     lambda r: max(v.get("gzip_bytes_with_assets", 0) for v in r["site"]["pages"].values()) / 1e6, "MB", 2.0),
    ("make test, end to end", lambda r: r["make_test"]["seconds"], "s", 300),
]


# ---------------------------------------------------------------- 7. Lighthouse on a phone
def bench_lighthouse(results: dict, runs: int) -> dict:
    """Every lesson page and the intro of the built book (benchmarks/lighthouse.py); a ``before`` set already in
    results.json (measured on an older build) is kept beside this run's ``after``."""
    import lighthouse

    html = ROOT / "_build" / "html"
    if not (html / "notebooks").is_dir():
        run([sys.executable, str(ROOT / "scripts" / "build_book.py"), str(ROOT)], ROOT)
    kept = results.get("lighthouse", {})
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    meta = {**kept.get("meta", {}), "after_runs": runs, "after_note": f"{commit}, this checkout's build"}
    return {**kept, "after": lighthouse.measure(html, runs), "meta": meta}


#: "Before" for issue 16 (one implementation per figure, fast everywhere): the figures the issue states, from the
#: benchmarks/results.json of its day; "—" where it states none.
BEFORE = {
    "Worst kernel widget median response": "248 ms",
    "Worst kernel widget p95 response": "467 ms",
    "Largest page with its assets (widget bundle excluded)": "2.67 MB",
    "make test, end to end": "~600 s",
}


def write_readme(results: dict) -> None:
    lines = ["| Measure | Before (issue 16) | Value | Target | Met |", "| --- | --- | --- | --- | --- |"]
    for label, get, unit, target in TARGETS:
        before = BEFORE.get(label, "—")
        try:
            value = get(results)
        except (KeyError, TypeError, ValueError):
            lines.append(f"| {label} | {before} | not measured | ≤ {target} {unit} | — |")
            continue
        lines.append(f"| {label} | {before} | {value:.2f} {unit} | ≤ {target} {unit} | "
                     f"{'yes' if value <= target else '**no**'} |")
    w = results.get("widgets", {})
    if w:
        lines += ["", "| Widget (lesson) | Changes | Median ms | p95 ms | Bare plot ms | Ratio |", "| --- | --- | --- | --- | --- | --- |"]
        for name, v in w.items():
            lines.append(f"| {name} ({v['lesson']}) | {v['changes']} | {v['median_ms']:.1f} | {v['p95_ms']:.1f} | "
                         f"{v['bare_plot_median_ms']:.1f} | {v['overhead_ratio']:.2f} |")
    live = results.get("live", {})
    if live:
        lines += ["", "| Live chart (page) | Controls | Changes | Median ms to the next frame | p95 ms | Max ms | "
                      "Median ms of Vega's work |", "| --- | --- | --- | --- | --- | --- | --- |"]
        for name, v in live.items():
            lines.append(f"| {name} ({v['page']}) | {v['controls']} ({', '.join(v['kinds'])}) | {v['changes']} | "
                         f"{v['median_ms']:.1f} | {v['p95_ms']:.1f} | {v['max_ms']:.1f} | "
                         f"{v.get('work_median_ms', float('nan')):.1f} |")
    nbs = results.get("notebooks", {})
    if nbs:
        lines += ["", "| Lesson | Execution s (median) | Peak kernel MB |", "| --- | --- | --- |"]
        for name, v in nbs.items():
            lines.append(f"| {name} | {v['execute_s']['median']:.2f} | {v['peak_rss_mb']:.0f} |")
    site = results.get("site", {})
    if site.get("pages"):
        bundle = (f"the widget bundle (`html-manager/embed.js`, {site['widget_bundle_bytes'] / 1e6:.2f} MB) and the "
                  "Vega runtime are loaded once and cached" if site.get("widget_bundle_bytes") else
                  "no widget bundle (widgets are drawn into the pages when the book is built); the Vega runtime is "
                  "loaded once, when a live chart is first scrolled to, and cached. A page's weight counts every chart "
                  "drawn")
        lines += ["", f"The site: {site['total_bytes'] / 1e6:.1f} MB on disk in all, {len(site['pages'])} pages; "
                      f"{bundle}.", "",
                  "| Page | Requests | kB with assets | kB without the shared bundles | kB of HTML |",
                  "| --- | --- | --- | --- | --- |"]
        for name, v in sorted(site["pages"].items()):
            if "bytes_with_assets" in v:
                lines.append(f"| {name} | {v['requests']} | {v['bytes_with_assets'] / 1e3:.0f} | "
                             f"{v.get('bytes_excluding_shared_bundles', v['bytes_excluding_widget_bundle']) / 1e3:.0f} | "
                             f"{v['html_bytes'] / 1e3:.0f} |")
    import lighthouse  # benchmarks/lighthouse.py, beside this script

    lines += lighthouse.table(results.get("lighthouse", {}))
    m = results["machine"]
    lines += ["", f"Measured {results['date']} on {m['cpus']} cores, {m['python']}, {m['platform']}."]
    measured = results.get("measured", {})
    parts = [k for k in ("build", "notebooks", "nbval", "widgets", "import_s", "site", "live", "make_test",
                         "fresh_setup", "lighthouse") if k in results]
    if any(measured.get(k) != results["date"] for k in parts):  # a run that skipped parts: say which figures are older
        lines += ["", "Parts of this table from earlier runs (`--skip`): " + ", ".join(
            f"{k.removesuffix('_s')} ({measured.get(k, 'before per-part dates were kept')})" for k in parts
            if measured.get(k) != results["date"]) + "."]
    table = "\n".join(lines)
    text = README.read_text() if README.exists() else "# Benchmarks\n\n<!-- results:start -->\n<!-- results:end -->\n"
    text = re.sub(r"<!-- results:start -->.*<!-- results:end -->",
                  f"<!-- results:start -->\n{table}\n<!-- results:end -->", text, flags=re.S)
    README.write_text(text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one run per build step and fewer widget changes")
    ap.add_argument("--skip", nargs="*", default=[], help="parts to skip: build notebooks nbval widgets import site live make_test fresh_setup "
                                                          "lighthouse")
    args = ap.parse_args()
    repeats = 1 if args.quick else 3
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    results["date"] = time.strftime("%Y-%m-%d %H:%M")
    parts = {
        "build": lambda: bench_build(repeats),
        "notebooks": lambda: bench_notebooks(repeats),
        "nbval": lambda: bench_nbval(repeats),
        "widgets": lambda: bench_widgets(30 if args.quick else 40),
        "import_s": lambda: bench_import(5),
        "site": bench_site,
        "live": lambda: bench_live(30 if args.quick else 60),
        "make_test": bench_make_test,
        "fresh_setup": bench_fresh_setup,
        "lighthouse": lambda: bench_lighthouse(results, 1 if args.quick else 3),
    }
    for key, fn in parts.items():
        if key in args.skip or key.removesuffix("_s") in args.skip:
            continue
        results[key] = fn()
        results.setdefault("measured", {})[key] = results["date"]  # when each part was last measured
        RESULTS.write_text(json.dumps(results, indent=1))
    if "notebooks" in results:
        summed = sum(v["execute_s"]["median"] for v in results["notebooks"].values())
        results["ratios"] = {"summed_notebook_execution_s": summed}
        if "build" in results:
            results["ratios"]["build_overhead"] = results["build"]["clean"]["median"] / summed
        if "nbval" in results:
            results["ratios"]["nbval_overhead"] = results["nbval"]["median"] / summed
    RESULTS.write_text(json.dumps(results, indent=1))
    write_readme(results)
    log(f"wrote {RESULTS.relative_to(ROOT)} and the table in {README.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
