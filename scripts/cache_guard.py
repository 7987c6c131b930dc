"""The book's execution cache (jupyter-cache) is keyed on cell code only, so a change inside the package or the data
would leave stale outputs in the book. This guard clears the cache when src/ or data/ changed since it was filled.
Run by `make book` and by the test suite's book fixture."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for folder in ("src", "data"):
        for f in sorted((root / folder).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(f.relative_to(root).as_posix().encode() + f.read_bytes())
    return digest.hexdigest()


def main(root: Path = ROOT) -> None:
    cache, stamp = root / "_build" / ".jupyter_cache", root / "_build" / ".jupyter_cache.inputs"
    now = fingerprint(root)
    if not stamp.exists() or stamp.read_text() != now:
        if cache.exists():
            shutil.rmtree(cache)
            print("src/ or data/ changed: cleared the book's execution cache")
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(now)


if __name__ == "__main__":
    main()
