"""A class under load on one machine: N simulated learners on a real hub (deploy/classroom.py), loopback only.

Each learner, all at once: logs in with the form, starts their server through the hub, pulls the course with
nbgitpuller, runs a lesson cell by cell over the kernel websocket. Recorded: server start p50/p95, cell execution
p50/p95, peak resident memory per learner (server + kernels, sampled every 0.5 s) and in all, failures, and how
long the idle culler (short timeout) takes to stop every server. The hub and everything it started are stopped at
the end of each class size; each run is bounded in time.

    python benchmarks/hub_load.py                   # 5, 10, 20, 30 learners -> benchmarks/hub_load.json
    python benchmarks/hub_load.py --sizes 3 --lesson notebooks/00_how_to_use.ipynb

`make bench` runs it after benchmarks/run.py; tests/test_hub.py runs a class of three.
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import os
import platform
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
from classroom import TARGET, Hub, Learner  # noqa: E402  (deploy/, on PYTHONPATH: see the Makefile's bench target)

RESULTS = ROOT / "benchmarks" / "hub_load.json"


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def run_class(n: int, repo_url: str, state: Path, lesson: str = "notebooks/07_reading_trial_results.ipynb",
              cull_timeout: int = 20, cull_every: int = 5, cull_wait: float = 120, deadline: float = 600) -> dict:
    names = [f"learner{i:02d}" for i in range(1, n + 1)]
    hub = Hub(state, names, cull_timeout=cull_timeout, cull_every=cull_every, activity_interval=3)
    failures, starts, cells, lesson_s = [], [], [], []
    peaks = {name: 0.0 for name in names}
    total_peak = [0.0]
    stop_sampling = threading.Event()

    def sample():
        while not stop_sampling.is_set():
            total = 0.0
            for name in names:
                m = hub.rss_mib(name)
                peaks[name] = max(peaks[name], m)
                total += m
            total_peak[0] = max(total_peak[0], total)
            stop_sampling.wait(0.5)

    def learner(name: str):
        p = Learner(hub, name)
        if p.login().status_code != 302:
            raise RuntimeError(f"{name}: log-in refused")
        p.get_token()
        starts.append(p.start_server())
        p.pull(repo_url)
        t0 = time.monotonic()
        result = p.run_notebook(f"{TARGET}/{lesson}", timeout=300)
        lesson_s.append(time.monotonic() - t0)
        if result["errors"]:
            raise RuntimeError(f"{name}: {result['errors'][0]}")
        cells.extend(result["cell_seconds"])
        return p

    t_start = time.monotonic()
    hub.start()
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    people, culled, cull_s = [], 0, None
    try:
        with cf.ThreadPoolExecutor(n) as pool:
            futures = {pool.submit(learner, name): name for name in names}
            for fut in cf.as_completed(futures, timeout=deadline):
                try:
                    people.append(fut.result())
                except Exception as exc:  # a failure is a measurement
                    failures.append(f"{futures[fut]}: {exc}")
        stop_sampling.set()
        sampler.join(5)
        # now everyone is idle: how long until the culler has stopped every running server?
        t_idle = time.monotonic()
        while people and time.monotonic() - t_idle < cull_wait:
            running = [p for p in people if p.server_running()]
            if not running:
                break
            time.sleep(1)
        culled = sum(1 for p in people if not p.server_running())
        cull_s = time.monotonic() - t_idle
    finally:
        stop_sampling.set()
        leftover = hub.stop()
    per = [peaks[p.name] for p in people]
    return {
        "learners": n, "lesson": lesson, "completed": len(people), "failures": failures,
        "server_start_s": starts, "cell_s": cells, "lesson_s": lesson_s,
        "server_start_p50_s": pct(starts, 0.5), "server_start_p95_s": pct(starts, 0.95),
        "cell_p50_s": pct(cells, 0.5), "cell_p95_s": pct(cells, 0.95),
        "lesson_p50_s": pct(lesson_s, 0.5), "lesson_p95_s": pct(lesson_s, 0.95),
        "peak_mib_per_learner": {"max": max(per, default=0.0), "median": statistics.median(per) if per else 0.0},
        "peak_mib_total": total_peak[0],
        "culled": culled, "cull_timeout_s": cull_timeout, "cull_s": cull_s,
        "wall_s": time.monotonic() - t_start, "leftover_processes": leftover,
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[5, 10, 20, 30])
    ap.add_argument("--lesson", default="notebooks/07_reading_trial_results.ipynb")
    args = ap.parse_args(argv)
    if max(args.sizes) > 40:
        raise SystemExit("at most 40 simulated learners on one machine (the loop is bounded on purpose)")
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        origin = Path(tmp) / "origin.git"
        subprocess.run(["git", "clone", "-q", "--bare", "--depth", "1", f"file://{ROOT}", str(origin)], check=True)
        branch = subprocess.run(["git", "-C", str(origin), "symbolic-ref", "--short", "HEAD"], capture_output=True,
                                text=True).stdout.strip()
        if branch != "main":
            subprocess.run(["git", "-C", str(origin), "branch", "-m", branch, "main"], check=True)
        for n in args.sizes:
            print(f"[hub_load] {n} learners ...", flush=True)
            r = run_class(n, f"file://{origin}", Path(tmp) / f"class{n}", lesson=args.lesson)
            print(f"[hub_load] {n}: " + json.dumps({k: r[k] for k in ("server_start_p50_s", "server_start_p95_s",
                  "cell_p50_s", "cell_p95_s", "lesson_p50_s", "peak_mib_total", "culled", "cull_s")}, default=str)
                  + f", failures {len(r['failures'])}", flush=True)
            runs.append(r)
            write(runs)
    print(f"[hub_load] wrote {RESULTS}")


def write(runs: list[dict]) -> None:
    machine = {"cores": os.cpu_count(), "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
               "python": platform.python_version(), "platform": platform.platform(),
               "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    RESULTS.write_text(json.dumps({"machine": machine, "runs": runs}, indent=1) + "\n")


if __name__ == "__main__":
    main()
