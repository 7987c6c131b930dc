"""Execute lessons in place, the way they are committed: a fresh kernel each, top to bottom, widget state stored
(so the book shows default views), no per-cell timing metadata (so re-running does not churn the diff).

    python scripts/execute_lessons.py                 # every lesson
    python scripts/execute_lessons.py notebooks/03_*.ipynb
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    nb.metadata.pop("widgets", None)  # nbclient only writes widget state when there is some: drop the old run's
    client = NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False, store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(args: list[str]) -> None:
    paths = [Path(a) for a in args] or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for p in paths:
        print(f"{p.name}: {execute(p):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
