"""Measure the peak resident memory of each lesson's kernel (and of the JupyterLab server) for sizing a hub.

Each lesson is executed top to bottom in a fresh kernel with nbclient, exactly as a learner's "restart and run all"
would, with one extra last cell that prints the kernel's own peak resident set size
(``VmHWM`` of /proc/self/status, kilobytes; not ``ru_maxrss``, which Linux carries over from a parent across fork and exec). The lesson files are not changed.

Optionally (``--server``) a JupyterLab server is started on a free local port, asked for the /lab page, the
contents of every lesson (the notebook JSON the browser would load) and the kernel specs, and its peak resident
memory (``VmHWM`` in /proc) is read before it is stopped. That is the second process in every learner's pod.

Memory is the number to trust: the machine may be shared, so the execution times recorded alongside are only a
rough guide. Writes ``deploy/kernel_memory.json`` (read by ``tests/test_scale.py`` and quoted in
``book/teaching_at_scale.md``).

    .venv/bin/python deploy/measure_memory.py                    # every lesson, 2 runs each, plus the server
    .venv/bin/python deploy/measure_memory.py --repeats 1 --no-server notebooks/03_*.ipynb   # (does not write)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "deploy" / "kernel_memory.json"
# VmHWM (the kernel's own peak resident set), not getrusage's ru_maxrss: Linux carries ru_maxrss over fork and exec,
# so a kernel started by a large parent (a test runner) would report the parent's peak.
PEAK_KB = "int(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))"
MEMORY_CELL = "print('PEAK_RSS_KB', " + PEAK_KB + ")"
# Then, in the same kernel, a learner "plays": every widget of this lesson (the registry
# tests/support/widget_registry.py keeps one entry per widget, with the lesson it belongs to) is rebuilt and its
# controls are changed round-robin by tests/support/drive.py (both loaded from their files: test support is not part
# of the course package).
INTERACT_CELL = ("import importlib.util as _u\n"
                 "def _load(_n):\n"
                 "    _s = _u.spec_from_file_location(_n, {support!r} + '/' + _n + '.py')\n"
                 "    _m = _u.module_from_spec(_s)\n"
                 "    _s.loader.exec_module(_m)\n"
                 "    return _m\n"
                 "_WS, _dr = _load('widget_registry').WIDGETS, _load('drive')\n"
                 "from hrher2 import data as _d\n"
                 "_t = _d.load_all()\n"
                 "_n = 0\n"
                 "for _spec in [w for w in _WS.values() if w['lesson'] == {lesson!r}]:\n"
                 "    _n += len(_dr.exercise(_spec['build'](_t), changes={changes}))\n"
                 "print('CHANGES', _n, 'PEAK_RSS_KB', " + PEAK_KB.replace("{", "{{").replace("}", "}}") + ")")
PACKAGES = ["ipykernel", "jupyterlab", "pandas", "numpy", "matplotlib", "ipywidgets", "networkx", "lifelines",
            "altair", "nbclient"]


def lessons() -> list[Path]:
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def run_lesson(path: Path, changes: int = 30) -> dict:
    """Execute one lesson in a fresh kernel, read the kernel's peak RSS, then exercise the lesson's widgets in the
    same kernel and read it again. Returns MB, seconds (the lesson's cells only) and the number of control changes."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    n_lesson = len(nb.cells)
    nb.cells.append(nbformat.v4.new_code_cell(MEMORY_CELL))
    nb.cells.append(nbformat.v4.new_code_cell(INTERACT_CELL.format(
        support=str(ROOT / "tests" / "support"), lesson=path.name[:2], changes=changes)))
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                            resources={"metadata": {"path": str(path.parent)}})
    with client.setup_kernel():
        start = time.perf_counter()
        for index, cell in enumerate(nb.cells[:n_lesson]):
            client.execute_cell(cell, index)
        seconds = time.perf_counter() - start
        client.execute_cell(nb.cells[n_lesson], n_lesson)
        client.execute_cell(nb.cells[n_lesson + 1], n_lesson + 1)
    text = "".join(o.get("text", "") for o in nb.cells[n_lesson].outputs)
    lesson = re.search(r"PEAK_RSS_KB (\d+)", text)
    played = re.search(r"CHANGES (\d+) PEAK_RSS_KB (\d+)", "".join(o.get("text", "") for o in nb.cells[-1].outputs))
    if not lesson or not played:
        raise RuntimeError(f"{path.name}: a memory cell printed no PEAK_RSS_KB line")
    return {"lesson_mb": int(lesson.group(1)) / 1024, "seconds": seconds,
            "played_mb": int(played.group(2)) / 1024, "changes": int(played.group(1))}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vm(pid: int, field: str) -> float:
    """A memory field of /proc/<pid>/status in MB (VmHWM = peak resident, VmRSS = current)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"/proc/{pid}/status has no {field}")


def measure_server(timeout: float = 60.0) -> dict:
    """Start JupyterLab on a free port, load what a learner's browser loads, read its peak RSS, stop it."""
    port, token = _free_port(), secrets.token_hex(16)
    jupyter = Path(sys.executable).with_name("jupyter")
    cmd = [str(jupyter), "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1", "--allow-root",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT / 'notebooks'}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def get(path: str) -> bytes:
        sep = "&" if "?" in path else "?"
        with urllib.request.urlopen(f"{base}{path}{sep}token={token}", timeout=30) as r:
            return r.read()

    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                get("/api/status")
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("JupyterLab did not start within the timeout") from None
                time.sleep(0.5)
        get("/lab")
        get("/api/kernelspecs")
        for nb in lessons():
            get(f"/api/contents/{nb.name}?content=1")
        time.sleep(1.0)
        return {"peak_rss_mb": round(_vm(proc.pid, "VmHWM"), 1), "rss_mb_after_loading": round(_vm(proc.pid, "VmRSS"), 1),
                "what": "jupyter lab: started, /lab page, kernel specs and every lesson's JSON fetched once; no kernel"}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="lessons to measure (default: all; then the JSON is written)")
    parser.add_argument("--repeats", type=int, default=2, help="fresh-kernel runs per lesson; the maximum is kept")
    parser.add_argument("--changes", type=int, default=30, help="control changes per widget in the play pass")
    parser.add_argument("--no-server", action="store_true", help="skip the JupyterLab server measurement")
    args = parser.parse_args(argv)

    paths = args.notebooks or lessons()
    result = {
        "measured": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "method": ("nbclient, a fresh 'python3' kernel per run, every lesson cell then one extra cell printing "
                   "VmHWM from /proc/self/status; the maximum over runs. Then, in the same kernel, every widget "
                   "of the lesson (tests/support/widget_registry.py) is rebuilt and its controls changed round-robin "
                   "(tests/support/drive.py, exercise), and the peak is read again"),
        "units": "MiB: the kernel's VmHWM (kB) / 1024; the server's VmHWM (kB) / 1024",
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "packages": {p: metadata.version(p) for p in PACKAGES},
        "repeats": args.repeats,
        "widget_changes_per_widget": args.changes,
        "lessons": {},
    }
    for path in paths:
        runs = [run_lesson(path, args.changes) for _ in range(args.repeats)]
        peak = max(r["lesson_mb"] for r in runs)
        played = max(r["played_mb"] for r in runs)
        secs = sorted(r["seconds"] for r in runs)[len(runs) // 2]
        result["lessons"][path.stem] = {
            "peak_rss_mb": round(peak, 1), "runs_mb": [round(r["lesson_mb"], 1) for r in runs],
            "peak_rss_mb_after_widgets": round(played, 1), "widget_changes": runs[0]["changes"],
            "execute_s_median": round(secs, 2)}
        each = ", ".join(f"{r['lesson_mb']:.1f}" for r in runs)
        print(f"{path.stem}: lesson peak {peak:.1f} MB (runs {each}); "
              f"after {runs[0]['changes']} widget changes {played:.1f} MB; {secs:.1f} s", flush=True)
    worst = max(result["lessons"].items(), key=lambda kv: kv[1]["peak_rss_mb"])
    result["max_lesson"] = {"lesson": worst[0], "peak_rss_mb": worst[1]["peak_rss_mb"]}
    played = max(result["lessons"].items(), key=lambda kv: kv[1]["peak_rss_mb_after_widgets"])
    result["max_after_widgets"] = {"lesson": played[0], "peak_rss_mb": played[1]["peak_rss_mb_after_widgets"]}
    if not args.no_server:
        result["server"] = measure_server()
        print(f"jupyter lab server: peak {result['server']['peak_rss_mb']} MB", flush=True)
    if not args.notebooks:
        OUT.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {OUT.relative_to(ROOT)}")
    return result


if __name__ == "__main__":
    main()
