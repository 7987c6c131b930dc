"""Shared fixtures. Paths are resolved from this file, so tests run from any working directory."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# The source review sits beside the repository (../shared/source/review.md) on the course's machines and in CI.
REVIEW = ROOT.parent / "shared" / "source" / "review.md"


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
