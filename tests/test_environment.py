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


def test_lab_settings_match_the_installed_jupyterlab_and_are_installed(root):
    """deploy/lab/overrides.json re-scopes every notebook command-mode shortcut of the installed JupyterLab (so a
    focused slider keeps its arrow keys), and `make setup` put it where JupyterLab reads its defaults."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, str(root / "scripts" / "lab_settings.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    shipped = json.loads((root / "deploy" / "lab" / "overrides.json").read_text())
    moves = [s for s in shipped["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
             if s["command"] == "notebook:move-cursor-heading-below-or-expand"]
    assert [s.get("disabled", False) for s in moves] == [True, False]
    assert ":not(input)" in moves[1]["selector"] and ":not(input)" not in moves[0]["selector"]
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.exists() and json.loads(installed.read_text()) == shipped, (
        f"{installed} is missing or stale: run `make setup`")
    dockerfile = (root / "deploy" / "Dockerfile").read_text()
    assert "COPY deploy/lab/overrides.json /usr/local/share/jupyter/lab/settings/overrides.json" in dockerfile


def test_lab_extension_is_built_from_its_source_installed_and_knows_every_role_the_lessons_use(root):
    """lab/hrher2-lab is the build of lab/extension (its source digest), `make setup` installed it with its lookup,
    and every glossary term and cited work a lesson names is in that lookup (else JupyterLab shows plain text)."""
    import json
    import re
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run([sys.executable, str(root / "scripts" / "lab_extension.py"), "check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    installed = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / "hrher2-lab"
    lookup = json.loads((installed / "static" / "course-lookup.json").read_text())
    assert (installed / "package.json").read_text() == (root / "lab" / "hrher2-lab" / "package.json").read_text()
    missing = set()
    for nb in sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(nb.read_text())["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            for body in re.findall(r"\{term\}`([^`]+)`", text):
                name = re.sub(r"^.*<([^>]+)>$", r"\1", body).strip().lower()
                if name not in lookup["terms"]:
                    missing.add(f"{nb.name}: term {body!r}")
            for body in re.findall(r"\{cite:[pt]\}`([^`]+)`", text):
                missing |= {f"{nb.name}: cite {k.strip()!r}" for k in body.split(",") if k.strip() not in lookup["refs"]}
    assert not missing, sorted(missing)[:10]
