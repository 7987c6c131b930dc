"""requirements.txt is the single source of truth; environment.yml must carry exactly the same pins."""
from __future__ import annotations

import re

import yaml


def _requirements(root):
    lines = (root / "requirements.txt").read_text().splitlines()
    return {l.split("==")[0].lower(): l.split("==")[1] for l in lines if l.strip() and not l.startswith("#")}


def test_every_requirement_is_pinned_exactly(root):
    for line in (root / "requirements.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.+\-]*", line.strip()), line


def test_environment_yml_mirrors_requirements(root):
    env = yaml.safe_load((root / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d)
    pins = {p.split("==")[0].lower(): p.split("==")[1] for p in pip_section if "==" in p}
    assert pins == _requirements(root)
    assert "python=3.11" in env["dependencies"]


def test_jupyter_book_is_pinned_below_2(root):
    major = int(_requirements(root)["jupyter-book"].split(".")[0])
    assert major == 1
