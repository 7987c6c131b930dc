"""Lighthouse on every lesson page and the intro, as a phone reader on a slow connection gets them (make bench).

The built book (``_build/html``) is served from 127.0.0.1 the way a static host serves it: HTTP/1.1 with keep-alive,
text gzip-compressed, a cache lifetime. Each page is measured ``--runs`` times (3 by default) with Lighthouse's mobile
profile (a phone screen, simulated slow 4G, a 4x slower CPU) in Debian's Chromium, and the median of each figure is
kept. These are measurements, not tests.

Lighthouse comes from npm and is used only here: ``benchmarks/lighthouse/package.json`` pins it (12.x; 13.x needs
Node 22), and this script runs ``npm ci`` there the first time. ``make setup`` does not install it.

Usage:
    python benchmarks/lighthouse.py [--html DIR] [--runs 3] [--label after] [PAGE ...]
The figures go to ``benchmarks/results.json`` under ``lighthouse`` -> label (``make bench`` runs it as the
``lighthouse`` part, label ``after``; a ``before`` label measured on an older build stays beside it).
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT / "benchmarks" / "lighthouse"
RESULTS = ROOT / "benchmarks" / "results.json"
CHROMIUM = "/usr/bin/chromium"

#: The issue's targets; a page meets them when every one holds.
TARGETS = {"performance": (">=", 90), "fcp_s": ("<=", 2.0), "tbt_ms": ("<=", 200), "cls": ("<=", 0.1),
           "accessibility": (">=", 100), "best_practices": (">=", 100)}
_COMPRESSED = (".woff2", ".woff", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".gz", ".zip")


def log(msg: str) -> None:
    print(f"[lighthouse] {msg}", flush=True)


class _StaticHost(http.server.SimpleHTTPRequestHandler):
    """A static host: keep-alive, gzip for text, a cache lifetime; quiet."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if (not os.path.isfile(path) or path.endswith(_COMPRESSED)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        with open(path, "rb") as f:
            data = gzip.compress(f.read(), 6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "max-age=600")
        self.end_headers()
        return io.BytesIO(data)


def serve(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_StaticHost, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def pages(html: Path) -> list[str]:
    """The intro and every lesson page of a built book."""
    found = ["book/intro.html"] if (html / "book" / "intro.html").exists() else []
    return found + sorted(p.relative_to(html).as_posix() for p in (html / "notebooks").glob("[0-9][0-9]_*.html"))


def ensure_tool() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        if not shutil.which("npm"):
            raise SystemExit("lighthouse: npm is needed (Debian: apt-get install -y npm).")
        log("npm ci in benchmarks/lighthouse (once)")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=TOOL, check=True)
    if not Path(CHROMIUM).exists():
        raise SystemExit("lighthouse: Debian's chromium is needed (apt-get install -y chromium).")
    return binary


def one_run(binary: Path, url: str) -> dict:
    """One Lighthouse run of url (mobile profile): the figures the issue asks for."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        subprocess.run([str(binary), url, "--quiet", "--output=json", f"--output-path={out}", "--form-factor=mobile",
                        "--only-categories=performance,accessibility,best-practices",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                       env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True, timeout=300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report = json.loads(out.read_text())
    if report.get("runtimeError"):
        raise SystemExit(f"lighthouse: {url}: {report['runtimeError'].get('message', report['runtimeError'])}")
    audits, cats = report["audits"], report["categories"]

    def failing(audit_id):
        audit = audits.get(audit_id) or {}
        return audit.get("score") is not None and audit["score"] < 1

    return {
        "performance": round(cats["performance"]["score"] * 100),
        "accessibility": round(cats["accessibility"]["score"] * 100),
        "best_practices": round(cats["best-practices"]["score"] * 100),
        "fcp_s": audits["first-contentful-paint"]["numericValue"] / 1000,
        "lcp_s": audits["largest-contentful-paint"]["numericValue"] / 1000,
        "tbt_ms": audits["total-blocking-time"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "kib": audits["total-byte-weight"]["numericValue"] / 1024,
        "requests": len((audits.get("network-requests", {}).get("details") or {}).get("items") or []),
        "failing_audits": sorted(a for a in audits if failing(a) and a in {
            "render-blocking-resources", "target-size", "errors-in-console", "font-display", "unsized-images",
            "color-contrast", "image-aspect-ratio"}),
    }


def measure(html: Path, runs: int = 3, only: list[str] | None = None) -> dict:
    binary = ensure_tool()
    server, base = serve(html)
    results = {}
    try:
        todo = only or pages(html)
        for i, page in enumerate(todo, start=1):
            samples = []
            for _ in range(runs):
                samples.append(one_run(binary, f"{base}/{page}"))
            median = {k: statistics.median(s[k] for s in samples) for k in samples[0] if k != "failing_audits"}
            median["failing_audits"] = sorted({a for s in samples for a in s["failing_audits"]})
            median["runs"] = runs
            median["performance_runs"] = [s["performance"] for s in samples]
            results[page] = median
            log(f"{i:2d}/{len(todo)} {page}: performance {median['performance']:.0f} "
                f"(runs {median['performance_runs']}), FCP {median['fcp_s']:.2f} s, LCP {median['lcp_s']:.2f} s, "
                f"TBT {median['tbt_ms']:.0f} ms, CLS {median['cls']:.3f}, a11y {median['accessibility']:.0f}, "
                f"best practices {median['best_practices']:.0f}")
    finally:
        server.shutdown()
    return results


def meets(figures: dict) -> bool:
    for key, (op, target) in TARGETS.items():
        value = figures[key]
        if (op == ">=" and value < target) or (op == "<=" and value > target):
            return False
    return True


def table(lighthouse: dict) -> list[str]:
    """The README table: every page, before and after, against the targets."""
    after, before = lighthouse.get("after", {}), lighthouse.get("before", {})
    if not after:
        return []
    meta = lighthouse.get("meta", {})
    said = "".join(f" {k.title()}: {meta[f'{k}_note']}." for k in ("before", "after") if meta.get(f"{k}_note"))
    lines = ["", f"Lighthouse {meta.get('version', '12.2.3')}, mobile profile, the built book served gzip-compressed "
             f"from 127.0.0.1 (`benchmarks/lighthouse.py`); median of {meta.get('after_runs', 3)} runs a page "
             f"({meta.get('before_runs', 3)} before).{said} "
             "Targets: performance ≥ 90, FCP ≤ 2.0 s, TBT ≤ 200 ms, CLS ≤ 0.1, accessibility and best practices 100.",
             "", "| Page | Performance before → after | FCP s | LCP s | TBT ms | CLS | A11y | Best pr. | KiB | Met |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]

    def pair(key, fmt, page):
        now = fmt.format(after[page][key])
        old = before.get(page, {}).get(key)
        return f"{fmt.format(old)} → {now}" if old is not None else now

    for page in after:
        f = after[page]
        lines.append(f"| {page} | {pair('performance', '{:.0f}', page)} | {pair('fcp_s', '{:.1f}', page)} | "
                     f"{pair('lcp_s', '{:.1f}', page)} | {pair('tbt_ms', '{:.0f}', page)} | {pair('cls', '{:.3f}', page)} | "
                     f"{pair('accessibility', '{:.0f}', page)} | {pair('best_practices', '{:.0f}', page)} | "
                     f"{pair('kib', '{:.0f}', page)} | {'yes' if meets(f) else '**no**'} |")
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--label", default="after")
    ap.add_argument("--note", default="", help="what was measured, for the README (e.g. the commit)")
    ap.add_argument("pages", nargs="*")
    args = ap.parse_args()
    if not (args.html / "notebooks").is_dir():
        sys.exit(f"lighthouse: no built book at {args.html}; run `make book` first.")
    started = time.time()
    figures = measure(args.html, args.runs, args.pages or None)
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    lh = results.setdefault("lighthouse", {})
    lh.setdefault(args.label, {}).update(figures)
    if args.note:
        lh.setdefault("meta", {})[f"{args.label}_note"] = args.note
    lh.setdefault("meta", {})[f"{args.label}_runs"] = args.runs
    RESULTS.write_text(json.dumps(results, indent=1))
    log(f"{len(figures)} pages in {time.time() - started:.0f} s; wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
