"""requirements.lock: every package of the full environment (the course's pins, the hub's and all they pull in),
resolved by pip-tools from requirements.txt and deploy/hub-requirements.txt. `make setup`, CI and the learners'
image install with it as a constraint file, so a fresh machine gets the very versions tested here.

    python scripts/lock.py      # re-resolve after a pin changes (needs the package index; about 40 s)

pip-tools runs from a throwaway virtual environment, so it is not a dependency of the course.
tests/test_environment.py checks the lock agrees with requirements.txt and with what is installed.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PIP_TOOLS = "pip-tools==7.6.2"
INPUTS = ["requirements.txt", "deploy/hub-requirements.txt"]
LOCK = ROOT / "requirements.lock"
HEADER = ("# The full environment, resolved by pip-tools from requirements.txt and deploy/hub-requirements.txt.\n"
          "# Do not edit: run `python scripts/lock.py` (it says why the lock exists).\n")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        venv.create(tmp, with_pip=True)
        py = Path(tmp) / "bin" / "python"
        subprocess.run([py, "-m", "pip", "install", "--quiet", PIP_TOOLS], check=True)
        out = Path(tmp) / "lock.txt"
        subprocess.run([py, "-m", "piptools", "compile", "--quiet", "--strip-extras", "--no-emit-index-url",
                        "--no-emit-find-links", "--no-header", "--annotation-style=line", "-o", str(out), *INPUTS],
                       cwd=ROOT, check=True)
        LOCK.write_text(HEADER + out.read_text())
    print(f"wrote {LOCK.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
