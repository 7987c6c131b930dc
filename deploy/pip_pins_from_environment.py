"""Print the pip pins of environment.yml, one per line, for the learners' image (deploy/Dockerfile).

environment.yml is the environment Binder and repo2docker build; it carries exactly the pins of requirements.txt
(tests/test_environment.py). The Dockerfile installs THIS list, so the hub image is built from environment.yml too,
without conda: its conda entries are python=3.11 (the image's base), pip, make (installed with apt) and nodejs (only
used to fetch the book's front-end files, so not needed on a learner's server). The local package line ``-e .`` is
left out here: the Dockerfile installs the course package itself, after copying the source.

    python deploy/pip_pins_from_environment.py environment.yml > /tmp/pins.txt
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def pip_pins(env_file: Path) -> list[str]:
    """The ``name==version`` lines of the pip section of a conda environment file, in file order."""
    env = yaml.safe_load(Path(env_file).read_text())
    deps = (env or {}).get("dependencies") or []
    sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    if len(sections) != 1:
        raise SystemExit(f"{env_file}: expected one 'pip:' section under dependencies, found {len(sections)}")
    pins, other = [], []
    for line in sections[0]:
        line = str(line).strip()
        if line in ("-e .", "."):
            continue
        (pins if "==" in line else other).append(line)
    if other:
        raise SystemExit(f"{env_file}: pip entries that are not exact pins: {', '.join(other)}")
    return pins


if __name__ == "__main__":
    print("\n".join(pip_pins(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "environment.yml")))
