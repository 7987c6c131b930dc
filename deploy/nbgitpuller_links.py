"""Print one nbgitpuller link per lesson, for a hub whose learners' image has nbgitpuller (deploy/Dockerfile).

A link pulls (clones, or later merges into) the course repository into the learner's home directory, in a folder
named ``hrher2-course``, then opens the lesson in JupyterLab. Two values are needed and are not known yet:

    HUB   the hub's address, e.g. https://hub.example.edu  (no trailing slash)
    REPO  the course's public git repository, e.g. https://github.com/OWNER/REPO

    python deploy/nbgitpuller_links.py                        # the pattern, with the placeholders <HUB_URL> and <REPO_URL>
    python deploy/nbgitpuller_links.py --hub https://hub.example.edu --repo https://github.com/OWNER/REPO

The lessons are read from _toc.yml (every notebooks/NN_name entry), so a link exists exactly for each published
lesson. tests/test_scale.py checks the links printed in book/teaching_at_scale.md against this function.
"""
from __future__ import annotations

import argparse
from pathlib import Path
from urllib.parse import quote

import yaml

ROOT = Path(__file__).resolve().parents[1]
HUB_PLACEHOLDER = "<HUB_URL>"
REPO_PLACEHOLDER = "<REPO_URL>"
TARGET = "hrher2-course"
BRANCH = "main"


def toc_lessons(toc_file: Path = ROOT / "_toc.yml") -> list[str]:
    """The lesson entries of _toc.yml, in order, as 'notebooks/NN_name' (without suffix)."""
    toc = yaml.safe_load(Path(toc_file).read_text())
    files = [ch["file"] for part in toc.get("parts", []) for ch in part.get("chapters", []) if "file" in ch]
    return [f for f in files if f.startswith("notebooks/")]


def link(lesson: str, hub: str = HUB_PLACEHOLDER, repo: str = REPO_PLACEHOLDER, branch: str = BRANCH) -> str:
    """The nbgitpuller link that pulls the course and opens ``lesson`` ('notebooks/NN_name') in JupyterLab.

    A real repository URL is percent-encoded, as nbgitpuller expects; the placeholder is left readable."""
    repo_q = repo if repo == REPO_PLACEHOLDER else quote(repo, safe="")
    urlpath = quote(f"lab/tree/{TARGET}/{lesson}.ipynb", safe="")
    return (f"{hub.rstrip('/')}/hub/user-redirect/git-pull?repo={repo_q}&branch={quote(branch, safe='')}"
            f"&targetpath={TARGET}&urlpath={urlpath}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="nbgitpuller links for every lesson in _toc.yml")
    parser.add_argument("--hub", default=HUB_PLACEHOLDER, help="the hub's address, e.g. https://hub.example.edu")
    parser.add_argument("--repo", default=REPO_PLACEHOLDER, help="the course repository, e.g. https://github.com/OWNER/REPO")
    parser.add_argument("--branch", default=BRANCH)
    args = parser.parse_args(argv)
    for lesson in toc_lessons():
        print(link(lesson, args.hub, args.repo, args.branch))


if __name__ == "__main__":
    main()
