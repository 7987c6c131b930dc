"""JupyterLab settings the course ships: `deploy/lab/overrides.json`, the defaults every learner's JupyterLab starts
from (`make lab` copies it into the environment, the learners' image into its own).

What it changes, and why:
- a lesson's links to the book's pages (book/*.md) open them rendered (Markdown Preview), not as source text;
- a live chart's slider, menu or radio buttons (a Vega binding in an output) is an ordinary form control, and
  JupyterLab's command-mode shortcuts fire on any focused element that is not editable text: the arrow keys on a
  focused slider moved the notebook's active cell instead of the slider, and "D D" on it deleted a cell. Each of
  those shortcuts is disabled and declared again with the same keys and a selector that leaves focused inputs and
  menus alone. The list is generated from the installed JupyterLab's own shortcut schemas, so
  `tests/test_environment.py` can check it still matches them after an upgrade.

    python scripts/lab_settings.py          # rewrite deploy/lab/overrides.json
    python scripts/lab_settings.py --check  # exit 1 if it differs from what the installed JupyterLab needs
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "deploy" / "lab" / "overrides.json"
PLUGIN = "@jupyterlab/shortcuts-extension:shortcuts"
# the command-mode selector JupyterLab gives its notebook shortcuts, and the one that keeps form controls out of it
COMMAND_MODE_FOCUS = ".jp-Notebook.jp-mod-commandMode:not(.jp-mod-readWrite) :focus"
NOT_A_CONTROL = ":not(input):not(select):not(textarea)"


def schemas_dir() -> Path:
    return Path(sys.prefix) / "share" / "jupyter" / "lab" / "schemas"


def overrides(schemas: Path | None = None) -> dict:
    """The overrides.json contents for the JupyterLab whose schemas are in `schemas`."""
    shortcuts = []
    for path in sorted((schemas or schemas_dir()).rglob("*.json")):
        for s in json.loads(path.read_text()).get("jupyter.lab.shortcuts", []):
            if s.get("selector", "").strip() != COMMAND_MODE_FOCUS or not s.get("keys") or not any(s["keys"]):
                continue
            base = {"command": s["command"], "keys": s["keys"]}
            if "args" in s:
                base["args"] = s["args"]
            shortcuts.append({**base, "selector": COMMAND_MODE_FOCUS, "disabled": True})
            shortcuts.append({**base, "selector": COMMAND_MODE_FOCUS + NOT_A_CONTROL})
    if not shortcuts:
        raise SystemExit(f"No notebook command-mode shortcut found under {schemas or schemas_dir()}: "
                         "is JupyterLab installed in this environment?")
    # a lesson's link to a book page (book/*.md) opens it rendered, not as Markdown source in the text editor
    viewers = {"@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Markdown Preview"}}}
    return {PLUGIN: {"shortcuts": shortcuts}, **viewers}


def render(schemas: Path | None = None) -> str:
    return json.dumps(overrides(schemas), indent=1) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    args = ap.parse_args(argv)
    text = render()
    if args.check:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT.relative_to(ROOT)} does not match the installed JupyterLab's shortcuts: "
                  "run `python scripts/lab_settings.py`")
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)} ({len(json.loads(text)[PLUGIN]['shortcuts']) // 2} shortcuts re-scoped)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
