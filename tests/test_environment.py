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


def test_jupyterlab_and_the_book_draw_live_charts_with_the_same_vega_releases(root):
    """A live chart is one implementation: the course's JupyterLab renderer bundles the Vega, Vega-Lite and vega-embed
    releases that the book vendors, and it takes the MIME type hrher2.live.show emits (the one the book draws)."""
    import json

    from hrher2 import live

    book = json.loads((root / "package.json").read_text())["dependencies"]
    lab = json.loads((root / "lab" / "extension" / "package.json").read_text())["dependencies"]
    for name in ("vega", "vega-lite", "vega-embed"):
        assert lab.get(name) == book[name], f"lab/extension/package.json pins {name} {lab.get(name)}, the book {book[name]}"
    source = (root / "lab" / "extension" / "src" / "vegalite6.js").read_text()
    assert f"'{live.VEGALITE_MIME}'" in source
    assert live.VEGALITE_MIME.startswith("application/vnd.vegalite.v" + book["vega-lite"].split(".")[0] + "+")


def test_lab_extension_is_built_from_its_source_installed_and_knows_every_role_the_lessons_use(root):
    """lab/hrher2-lab is the build of lab/extension (its source digest), `make setup` installed it with its lookup,
    and every glossary term and cited work a lesson names is in that lookup (else JupyterLab shows plain text)."""
    import json
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


def _norm(name: str) -> str:
    """A distribution name as pip compares them (PEP 503), extras dropped."""
    return re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()


def _pins(text: str) -> dict:
    out = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            out[_norm(name)] = version.strip()
    return out


def _course_pins(root) -> dict:
    """requirements.txt's pins and the hub's, by normalised name."""
    return _pins((root / "requirements.txt").read_text()) | _pins((root / "deploy" / "hub-requirements.txt").read_text())


def test_the_lock_agrees_with_the_pins_and_with_what_is_installed(root):
    """requirements.lock (scripts/lock.py, pip-tools) holds every pin of requirements.txt and the hub's at the same
    version, and this environment (made by `make setup` with the lock as constraints) is exactly the lock."""
    from importlib.metadata import distributions

    lock = _pins((root / "requirements.lock").read_text())
    for name, version in _course_pins(root).items():
        assert lock.get(name) == version, f"the pins say {name}=={version}, the lock has {lock.get(name)}"
    installed = {_norm(d.metadata["Name"]): d.version for d in distributions()}
    skip = {"pip", "setuptools", "wheel", "hrher2"}
    differ = {n: (v, installed.get(n)) for n, v in lock.items() if n not in skip and installed.get(n) != v}
    assert not differ, f"installed differs from requirements.lock (lock, installed): {dict(list(differ.items())[:8])}"
    extra = sorted(set(installed) - set(lock) - skip)
    assert not extra, f"installed but not in requirements.lock: {extra[:8]}"


def _imports(root, dirs) -> dict[str, set]:
    """Top-level third-party module -> files that import it (absolute imports only; the standard library and the
    repository's own modules left out)."""
    import ast
    import sys

    own = {p.stem for d in ("src/hrher2", "scripts", "tests", "benchmarks", "deploy", "book/_ext")
           for p in root.joinpath(d).rglob("*.py")} | {"hrher2"}
    found: dict[str, set] = {}
    for d in dirs:
        for f in root.joinpath(d).rglob("*.py"):
            for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module else [])
                for m in names:
                    top = m.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in own:
                        found.setdefault(top, set()).add(str(f.relative_to(root)))
    return found


def _dists(module: str) -> set:
    from importlib.metadata import packages_distributions

    return {_norm(d) for d in packages_distributions().get(module, [])}


def test_every_module_the_code_imports_is_pinned(root):
    """Nothing is imported on the strength of some other package pulling it in: each third-party import in src/,
    scripts/, tests/, benchmarks/, deploy/ and book/_ext is pinned in requirements.txt or the hub's requirements."""
    pins = set(_course_pins(root))
    unpinned = {m: sorted(f)[:2] for m, f in _imports(root, ["src", "scripts", "tests", "benchmarks", "deploy",
                                                             "book/_ext"]).items() if not _dists(m) & pins}
    assert not unpinned, f"imported but not pinned (module: files): {unpinned}"


def test_pyproject_declares_what_the_package_imports_with_ranges_its_pins_satisfy(root):
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((root / "pyproject.toml").read_text())["project"]
    declared = [Requirement(r) for r in project["dependencies"] + sum(project.get("optional-dependencies", {}).values(), [])]
    names = {_norm(r.name): r for r in declared}
    used = _imports(root, ["src"])
    undeclared = {m: sorted(f)[:2] for m, f in used.items() if not _dists(m) & set(names)}
    assert not undeclared, f"src/hrher2 imports these without declaring them in pyproject.toml: {undeclared}"
    pins = _course_pins(root)
    for name, req in names.items():
        assert name in pins and req.specifier.contains(pins[name]), f"{req} does not admit the pin {name}=={pins.get(name)}"


def test_github_runs_the_whole_suite_on_pull_requests(root):
    """.github/workflows/tests.yml runs `.ci/run` (the README's test command) on pull requests, in a Debian image
    (the browser tests need Debian's Chromium), within CI's 90 minutes."""
    flow = yaml.safe_load((root / ".github" / "workflows" / "tests.yml").read_text())
    triggers = flow.get("on", flow.get(True))  # YAML 1.1 reads a bare `on` as True
    assert "pull_request" in triggers
    job = flow["jobs"]["test"]
    assert any(step.get("run") == "bash .ci/run" for step in job["steps"])
    assert "trixie" in job["container"] or "bookworm" in job["container"]
    assert job["timeout-minutes"] <= 90
