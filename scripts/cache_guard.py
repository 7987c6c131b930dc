"""The book's execution cache (jupyter-cache) is keyed on cell code only, so a change inside the package or the data
would leave stale outputs in the book. This guard clears the cache when src/ or data/ changed since it was filled.
Run by `make book` and by the test suite's book fixture."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"
STAMP = ROOT / "_build" / ".jupyter_cache.inputs"


def fingerprint() -> str:
    digest = hashlib.sha256()
    for folder in ("src", "data"):
        for f in sorted((ROOT / folder).rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts:
                digest.update(f.relative_to(ROOT).as_posix().encode() + f.read_bytes())
    return digest.hexdigest()


def main() -> None:
    now = fingerprint()
    if not STAMP.exists() or STAMP.read_text() != now:
        if CACHE.exists():
            shutil.rmtree(CACHE)
            print("src/ or data/ changed: cleared the book's execution cache")
        STAMP.parent.mkdir(parents=True, exist_ok=True)
        STAMP.write_text(now)


if __name__ == "__main__":
    main()
