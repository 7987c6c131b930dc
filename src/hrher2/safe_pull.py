"""Course updates that lose nothing: a Jupyter server extension that wraps nbgitpuller's update.

nbgitpuller (the links in book/teaching_at_scale.md) merges the teacher's new commits into the learner's copy with
``git merge -Xours``: where the learner and the teacher changed the same lines, the learner's lines win, and the
teacher's other lines come in. For a notebook, which is one JSON file, that gives a mixture of the two versions
that neither of them wrote (or, if the merge lands inside a cell's outputs, a file that no longer opens), and the
learner's own version survives only inside a git commit they cannot see.

This extension changes one case and leaves every other to nbgitpuller (tests/test_hub.py checks all of them against
a real hub):

- a file that BOTH the learner and the teacher changed since the last pull: before nbgitpuller runs, the learner's
  version is copied next to the original as ``NAME (my version YYYY-MM-DD HHMM).EXT``; after the merge the
  original is set to the teacher's new version exactly, so the fix arrives whole and the learner's work is one
  click away, with the same data paths. The copies are listed in ``SAVED_WORK.md`` at the top of the course folder
  and in the pull's log.

Enabled by ``deploy/jupyter_server_config.json`` (``ServerApp.jpserver_extensions``), which the local hub
(``make hub``) and the Kubernetes image both use.
"""
from __future__ import annotations

import datetime as _dt
import shutil
import subprocess
from pathlib import Path

NOTE = "SAVED_WORK.md"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def both_changed(repo: Path, branch: str) -> list[str]:
    """Files (relative paths) that differ between the learner's working tree and their last pulled commit AND
    between that commit and the teacher's branch on the remote. Call after ``git fetch``."""
    mine = set(_git(repo, "diff", "--name-only", "HEAD").split("\n")) - {""}
    theirs = set(_git(repo, "diff", "--name-only", f"HEAD..origin/{branch}").split("\n")) - {""}
    return sorted(p for p in mine & theirs if (repo / p).is_file())


def copy_name(path: Path, when: _dt.datetime) -> Path:
    """'07_x.ipynb' -> '07_x (my version 2026-12-01 2359).ipynb' (a number is added if that name is taken)."""
    stamp = when.strftime("%Y-%m-%d %H%M")
    candidate = path.with_name(f"{path.stem} (my version {stamp}){path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} (my version {stamp}, {n}){path.suffix}")
        n += 1
    return candidate


def save_copies(repo: Path, files: list[str], when: _dt.datetime) -> list[tuple[str, str]]:
    saved = []
    for rel in files:
        dest = copy_name(repo / rel, when)
        shutil.copy2(repo / rel, dest)
        saved.append((rel, str(dest.relative_to(repo))))
    return saved


def write_note(repo: Path, saved: list[tuple[str, str]], when: _dt.datetime) -> None:
    note = repo / NOTE
    head = "" if note.exists() else ("# Your work saved during course updates\n\nWhen the teacher updated a file "
                                      "that you had also changed, the file now holds the teacher's new version and "
                                      "your version was kept next to it under the name below. Nothing was "
                                      "deleted.\n")
    lines = [f"\n## Update of {when:%Y-%m-%d %H:%M}\n"]
    lines += [f"- `{orig}`: your version is `{copy}`\n" for orig, copy in saved]
    with note.open("a", encoding="utf-8") as fh:
        fh.write(head + "".join(lines))


def wrap(GitPuller):
    """Replace GitPuller.update (a generator of log lines) by one that saves both-changed files first."""
    original = GitPuller.update
    if getattr(original, "_hrher2_safe", False):
        return
    def update(self):
        repo = Path(self.repo_dir)
        yield from self.update_remotes()
        when = _dt.datetime.now()
        files = both_changed(repo, self.branch_name)
        saved = save_copies(repo, files, when)
        for orig, copy in saved:
            yield f"Both you and the teacher changed {orig}: your version is kept as {copy}"
        yield from original(self)
        for orig, _ in saved:
            _git(repo, "checkout", f"origin/{self.branch_name}", "--", orig)
            yield f"{orig} is now the teacher's new version"
        if saved:
            # record it, so that the next pull sees the teacher's version as the learner's starting point
            _git(repo, "-c", "user.email=nbgitpuller@nbgitpuller.link", "-c", "user.name=nbgitpuller", "commit",
                 "-m", "Teacher's version of files both changed (the learner's copies are kept beside them)",
                 "--", *(orig for orig, _ in saved))
            write_note(repo, saved, when)
            yield f"The list of your saved versions is in {NOTE}"
    update._hrher2_safe = True
    GitPuller.update = update


def _load_jupyter_server_extension(serverapp) -> None:
    try:
        from nbgitpuller.pull import GitPuller
    except ImportError:  # a server without nbgitpuller has no links to protect
        serverapp.log.info("hrher2.safe_pull: nbgitpuller is not installed; nothing to wrap")
        return
    wrap(GitPuller)
    serverapp.log.info("hrher2.safe_pull: nbgitpuller keeps a copy of files both the learner and teacher changed")


def _jupyter_server_extension_points():
    return [{"module": "hrher2.safe_pull"}]
