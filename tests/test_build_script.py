"""scripts/build_book.py: parallel pre-execution into the book's jupyter-cache, skipped when no lesson changed."""
from __future__ import annotations

from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
import build_book  # noqa: E402


def _lesson(folder: Path, name: str, code: str) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# x"), nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "notebooks" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_prefill_executes_caches_then_skips_until_a_lesson_changes(tmp_path):
    from jupyter_cache import get_cache

    a = _lesson(tmp_path, "00_a.ipynb", "print(6 * 7)")
    _lesson(tmp_path, "01_b.ipynb", "x = 1")
    first = build_book.prefill(tmp_path)
    assert sorted(first["executed"]) == ["00_a.ipynb", "01_b.ipynb"] and not first["failed"]
    cache = get_cache(str(tmp_path / "_build" / ".jupyter_cache"))
    hit = cache.match_cache_notebook(nbformat.read(a, as_version=4))  # what MyST-NB looks up
    outputs = [c for c in cache.get_cache_bundle(hit.pk).nb.cells if c.cell_type == "code"][0].outputs
    assert outputs[0]["text"] == "42\n"

    again = build_book.prefill(tmp_path)
    assert again == {"executed": [], "failed": [], "seconds": 0.0, "checked": False}  # stamp: jupyter-cache not opened

    _lesson(tmp_path, "01_b.ipynb", "x = 2")  # a code edit in one lesson
    edited = build_book.prefill(tmp_path)
    assert edited["executed"] == ["01_b.ipynb"] and edited["checked"]


def test_a_failing_lesson_is_reported_and_not_stamped(tmp_path):
    _lesson(tmp_path, "00_bad.ipynb", "raise ValueError('boom')")
    result = build_book.prefill(tmp_path, workers=1)
    assert result["failed"] == ["00_bad.ipynb"] and result["executed"] == []
    assert not (tmp_path / "_build" / ".jupyter_cache" / "lessons.cached").exists()
