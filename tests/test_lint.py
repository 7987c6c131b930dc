"""ruff over the code and the lessons (it reads notebooks itself), with the rules in pyproject.toml's [tool.ruff]."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def test_ruff_finds_nothing_in_the_code_or_the_lessons(root):
    ruff = Path(sys.executable).with_name("ruff")
    done = subprocess.run([str(ruff), "check", "--no-cache", "--output-format", "concise", "."], cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    listed = subprocess.run([str(ruff), "check", "--no-cache", "--show-files", "."], cwd=root, capture_output=True,
                            text=True, timeout=120).stdout
    assert "notebooks/00_how_to_use.ipynb" in listed and "src/hrher2/live.py" in listed, "ruff skipped the lessons or the package"
