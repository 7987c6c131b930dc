"""The course's JupyterLab extension (lab/extension/src): JupyterLab renders the lessons' MyST roles (index.js) and draws
their live charts (vegalite6.js: Vega-Lite 6 specs under application/vnd.vegalite.v6+json, with the Vega releases the
book vendors; JupyterLab's own renderer takes only Vega-Lite 5).

The built extension is committed under lab/hrher2-lab (about 20 KiB of JavaScript loaded with JupyterLab, and the
Vega chunks, about 0.8 MiB, loaded when a lesson first draws a live chart), so set-up and the learners' image need
no Node.js; this script rebuilds it when the source changes and installs it with the lookup it reads.

    python scripts/lab_extension.py build      # npm ci + @jupyterlab/builder -> lab/hrher2-lab (needs Node.js)
    python scripts/lab_extension.py install    # copy it into this environment, with course-lookup.json
    python scripts/lab_extension.py check      # exit 1 if lab/hrher2-lab was not built from the current source

course-lookup.json holds what the roles show: each glossary term's definition (book/glossary.md), each cited work's
short label and full reference (the course's BibTeX files, numbered as the review numbers them), each book page's
title. It is written at install time, so it follows the glossary and bibliography of the checkout installed.
"""
from __future__ import annotations

import argparse
import functools
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "lab" / "extension"
BUILT = ROOT / "lab" / "hrher2-lab"
NAME = "hrher2-lab"
STAMP = BUILT / "source.sha256"


def source_digest() -> str:
    h = hashlib.sha256()
    for path in [SOURCE / "package.json", SOURCE / "package-lock.json", *sorted((SOURCE / "src").glob("*.js")),
                 *sorted((SOURCE / "style").glob("*.css"))]:
        h.update(path.relative_to(SOURCE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def glossary_entries(path: Path = ROOT / "book" / "glossary.md") -> list[dict]:
    """The glossary's entries in order, each {names, definition}, from its MyST glossary directive (terms flush
    left, one or more lines naming the same entry, then the definition indented)."""
    text = path.read_text(encoding="utf-8")
    block = re.search(r"^```\{glossary\}\n(.*?)^```", text, re.S | re.M)
    if not block:
        raise SystemExit(f"{path}: no ```{{glossary}} block found")
    entries, names, lines = [], [], []

    def flush():
        if names and lines:
            entries.append({"names": list(names), "definition": " ".join(" ".join(lines).split())})

    for line in block.group(1).splitlines():
        if not line.strip():
            continue
        if line.startswith((" ", "\t")):
            lines.append(line.strip())
        else:
            if lines:
                flush()
                names, lines = [], []
            names.append(line.strip())
    flush()
    return entries


def glossary_terms() -> dict[str, dict]:
    """Lower-cased term -> {term, definition}: what {term}`...` looks up (case-insensitive, as Sphinx does)."""
    return {n.lower(): {"term": n, "definition": e["definition"]} for e in glossary_entries() for n in e["names"]}


def _short_authors(persons) -> str:
    last = [" ".join(p.last_names) or " ".join(p.first_names) for p in persons]
    last = [re.sub(r"[{}]", "", n) for n in last]
    if not last:
        return ""
    if len(last) == 1:
        return last[0]
    if len(last) == 2:
        return f"{last[0]} and {last[1]}"
    return f"{last[0]} et al."


class _Field(str):
    """A BibTeX field in a bibliography directive's :filter: expression; `field % "x"` is a regex search, as in
    sphinxcontrib-bibtex."""

    def __mod__(self, pattern):
        return re.search(pattern, self, re.I) is not None


def _review_refs():
    """The book's own extension book/_ext/review_refs.py: the review's numbers (review_numbers) and, registered on
    import, its review_numbered pybtex style."""
    import importlib.util

    if "review_refs" not in sys.modules:
        spec = importlib.util.spec_from_file_location("review_refs", ROOT / "book" / "_ext" / "review_refs.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["review_refs"] = module
        spec.loader.exec_module(module)
    return sys.modules["review_refs"]


@functools.lru_cache(maxsize=1)
def _bib_entries() -> dict:
    """Every entry of the BibTeX files the book reads (_config.yml's bibtex_bibfiles), parsed once."""
    from pybtex.database import parse_file

    entries = {}
    for bib in yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["bibtex_bibfiles"]:
        entries.update(parse_file(str(ROOT / bib)).entries)
    return entries


def bibliographies(page: Path = ROOT / "book" / "references.md") -> dict[str, list[dict]]:
    """Each bibliography directive of the references page (keyed by its option lines, as JupyterLab shows them)
    -> the entries it lists, in the book's order and with the book's labels ([R1], [13], [C4], [S2])."""
    from pybtex.database import BibliographyData
    from pybtex.plugin import find_plugin

    _review_refs()
    data = _bib_entries()
    out = {}
    for block in re.findall(r"^```\{bibliography\}\n(.*?)^```", page.read_text(encoding="utf-8"), re.S | re.M):
        options = dict(re.findall(r"^:(\w+):\s*(.*)$", block, re.M))
        chosen = []
        for key, entry in data.items():
            fields = {k.lower(): _Field(v) for k, v in entry.fields.items()}
            names = {n: fields.get(n, _Field("")) for n in ("doi", "refnumber", "keywords")}
            if eval(options.get("filter", "True"), {"__builtins__": {}}, {**fields, **names}):  # noqa: S307
                chosen.append(key)
        style = find_plugin("pybtex.style.formatting", options.get("style", "plain"))()
        formatted = style.format_entries(BibliographyData({k: data[k] for k in chosen}).entries.values())
        prefix = options.get("labelprefix", "")
        out[block.strip()] = [{"label": prefix + e.label, "text": e.text.render_as("text"), "key": e.key,
                               "anchor": f"review-ref-{e.label}" if options.get("style") == "review_numbered" else ""}
                              for e in formatted]
    return out


def references() -> dict[str, dict]:
    """BibTeX key -> {authors, year, number (the review's, or null), text (the plain style's full reference)}."""
    from pybtex.plugin import find_plugin

    numbers = _review_refs().review_numbers()
    data = _bib_entries()
    style = find_plugin("pybtex.style.formatting", "plain")()
    out = {}
    for entry in style.format_entries(data.values()):
        source = data[entry.key]
        persons = source.persons.get("author") or source.persons.get("editor") or []
        authors = _short_authors(persons) or re.sub(r"[{}]", "", source.fields.get("organization", entry.key))
        out[entry.key] = {"authors": authors, "year": source.fields.get("year", "n.d."),
                          "number": numbers.get(entry.key), "text": entry.text.render_as("text")}
    return out


def page_titles() -> dict[str, str]:
    out = {}
    for md in sorted((ROOT / "book").glob("*.md")):
        m = re.search(r"^# (.+)$", md.read_text(encoding="utf-8"), re.M)
        if m:
            out[f"book/{md.stem}"] = m.group(1).strip()
    return out


def lookup() -> dict:
    return {"terms": glossary_terms(), "glossary": glossary_entries(), "refs": references(),
            "bibliographies": bibliographies(), "docs": page_titles()}


def build() -> None:
    npm = shutil.which("npm")
    if not npm:
        raise SystemExit("Building the JupyterLab extension needs Node.js and npm (the built copy in lab/hrher2-lab "
                         "is committed: `install` needs neither).")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SOURCE, check=True)
    import jupyterlab

    core = Path(jupyterlab.__file__).parent / "staging"
    shutil.rmtree(BUILT, ignore_errors=True)
    subprocess.run(["node", "node_modules/@jupyterlab/builder/lib/build-labextension.js", "--core-path", str(core),
                    "."], cwd=SOURCE, check=True)
    STAMP.write_text(source_digest() + "\n")
    print(f"built {BUILT.relative_to(ROOT)}")


def check() -> int:
    if not STAMP.exists() or STAMP.read_text().strip() != source_digest():
        print(f"{BUILT.relative_to(ROOT)} was not built from the current lab/extension source: "
              "run `python scripts/lab_extension.py build` and commit the result")
        return 1
    return 0


def install(prefix: Path) -> Path:
    if check():
        raise SystemExit(1)
    target = prefix / "share" / "jupyter" / "labextensions" / NAME
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(BUILT, target)
    (target / "static" / "course-lookup.json").write_text(json.dumps(lookup(), ensure_ascii=False, indent=0))
    return target


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["build", "install", "check"])
    ap.add_argument("--prefix", type=Path, default=Path(sys.prefix), help="environment to install into")
    args = ap.parse_args(argv)
    if args.action == "build":
        build()
    elif args.action == "check":
        return check()
    else:
        print(f"installed {install(args.prefix)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
