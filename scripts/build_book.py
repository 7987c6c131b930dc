"""Build the course book the one way `make book`, the test suite and `make bench` all use.

1. Clear the execution cache if src/ or data/ changed (``cache_guard``: jupyter-cache keys on cell code only).
2. Execute every lesson the cache does not hold yet, several at once (one kernel per core), into the same
   jupyter-cache database MyST-NB reads. MyST-NB executes cache misses one after another while it reads pages; the
   lessons are independent, so running them side by side first nearly halves a clean build on two cores.
   The cache matches a notebook on its code cells and kernelspec, exactly as MyST-NB does, so the build then finds
   every lesson cached. A lesson that fails here is reported and left uncached: the build runs it again and stops
   on the error with its usual message.
3. ``jupyter-book build`` (HTML, warnings are errors, broken references are errors).

    python scripts/build_book.py [ROOT]        # ROOT defaults to this repository
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

import cache_guard  # noqa: E402  (scripts/ is on the path: this file runs as a script, or pytest adds it)


def lessons(root: Path) -> list[Path]:
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def lessons_fingerprint(root: Path) -> str:
    """A digest of every lesson file's name and bytes."""
    digest = hashlib.sha256()
    for path in lessons(root):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@contextlib.contextmanager
def _no_truncation_while_workers_write():
    """jupyter-cache trims old records after every cached notebook, from two queries that are not one snapshot: when
    another worker inserts its record between them, that new record (whose file is not written yet) is chosen for
    deletion and caching fails with "Notebook file does not exist for cache record" (seen in CI). The workers are
    forked, so a class-level switch reaches them; the trim runs once, alone, after the pool has finished."""
    from jupyter_cache.cache.main import JupyterCacheBase

    trim = JupyterCacheBase.truncate_caches
    JupyterCacheBase.truncate_caches = lambda self: None
    try:
        yield
    finally:
        JupyterCacheBase.truncate_caches = trim


def prefill(root: Path, workers: int | None = None) -> dict:
    """Execute uncached lessons in parallel into ``root/_build/.jupyter_cache``; returns what happened.

    When every lesson's bytes are the ones last seen fully cached, jupyter-cache is not even opened (it takes ~2 s to
    import and hash the lessons). The stamp lives inside the cache folder, so clearing the cache clears it too."""
    folder = root / "_build" / ".jupyter_cache"
    stamp, now = folder / "lessons.cached", lessons_fingerprint(root)
    if stamp.exists() and stamp.read_text() == now:
        print("book: every lesson's outputs are cached (no lesson changed)")
        return {"executed": [], "failed": [], "seconds": 0.0, "checked": False}

    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    cache = get_cache(str(folder))
    for path in lessons(root):
        cache.add_nb_to_project(str(path))
    todo = cache.list_unexecuted()
    if not todo:
        print("book: every lesson's outputs are cached")
        stamp.write_text(now)
        return {"executed": [], "failed": [], "seconds": 0.0, "checked": True}
    workers = workers or max(1, min(len(todo), os.cpu_count() or 1))
    print(f"book: executing {len(todo)} lesson(s), {workers} at a time", flush=True)
    logger = logging.getLogger("prefill")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("book:   %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    start = time.perf_counter()
    executor = load_executor("local-parallel" if workers > 1 else "local-serial", cache, logger=logger)
    with _no_truncation_while_workers_write():
        result = executor.run_and_cache(filter_pks=[r.pk for r in todo], timeout=300, allow_errors=False)
    cache.truncate_caches()
    took = time.perf_counter() - start
    failed = [Path(u).name for u in result.excepted + result.errored]
    for name in failed:
        print(f"book: {name} failed to execute; the build will run it again and show the error", flush=True)
    print(f"book: executed {len(result.succeeded)} lesson(s) in {took:.1f} s", flush=True)
    if not failed:
        stamp.write_text(now)
    return {"executed": [Path(u).name for u in result.succeeded], "failed": failed, "seconds": took, "checked": True}


def build(root: Path) -> int:
    cache_guard.main(root)
    prefill(root)
    jb = Path(sys.executable).with_name("jupyter-book")
    return subprocess.run([str(jb), "build", str(root), "--builder", "html", "-W", "-n", "--keep-going"],
                          cwd=root).returncode


if __name__ == "__main__":
    sys.exit(build(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else HERE.parent))
