"""Three-way merge of lesson notebooks cell by cell, by cell id (every cell has one), for merging branches.

    python scripts/merge_notebooks.py BASE OURS THEIRS [notebooks/NN_x.ipynb ...]

BASE, OURS and THEIRS are git revisions (OURS is usually HEAD). For each notebook (default: every lesson in any of
OURS and THEIRS) it starts from OURS' notebook and applies what THEIRS changed against BASE: a cell THEIRS changed
(type, source or metadata other than per-run timing) replaces OURS' copy, a cell THEIRS deleted goes, a cell THEIRS
added goes in after the cell it follows in THEIRS. Where both sides changed the same cell, the sources are merged
line by line (`git merge-file`); a conflict there, or any other case a person should look at, is printed and the
script exits non-zero, leaving the merged file (with conflict markers in that cell) for a person to finish.
Outputs are not merged: cells keep the outputs of the side they came from, so re-execute every merged lesson
(`scripts/execute_lessons.py`). The result is written into the working tree.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _show(rev: str, path: str) -> dict | None:
    res = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, capture_output=True)
    return json.loads(res.stdout) if res.returncode == 0 else None


def _key(cell: dict) -> tuple:
    meta = {k: v for k, v in cell.get("metadata", {}).items() if k != "execution"}
    return cell["cell_type"], "".join(cell["source"]), json.dumps(meta, sort_keys=True)


def _merge_text(base: str, ours: str, theirs: str) -> tuple[str, bool]:
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_text(text if text.endswith("\n") else text + "\n")
            paths.append(str(p))
        res = subprocess.run(["git", "merge-file", "-p", "-L", "ours", "-L", "base", "-L", "theirs", *paths],
                             capture_output=True, text=True)
    merged = res.stdout
    if not (ours.endswith("\n") or theirs.endswith("\n")):
        merged = merged[:-1] if merged.endswith("\n") else merged
    return merged, res.returncode == 0


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def merge(base: dict | None, ours: dict | None, theirs: dict | None, name: str) -> tuple[dict, list[str]]:
    """Return the merged notebook and the list of things a person should check (empty: clean)."""
    if ours is None or theirs is None:
        if ours is None and theirs is None:
            raise ValueError(f"{name}: in neither side")
        if base is not None:
            return (ours or theirs), [f"{name}: deleted on one side, kept from the other; check"]
        return (ours or theirs), []
    if base is None:
        return ours, [f"{name}: added on both sides; kept ours"]
    B = {c["id"]: c for c in base["cells"]}
    T = {c["id"]: c for c in theirs["cells"]}
    O = {c["id"]: c for c in ours["cells"]}
    notes: list[str] = []
    out: list[dict] = []
    for cid, cell in O.items():
        b = B.get(cid)
        if cid not in T:
            if b is None:
                out.append(cell)                        # added by ours
            else:                                       # deleted by theirs
                if _key(cell) != _key(b):
                    notes.append(f"{name}: cell {cid} changed in ours but deleted in theirs; dropped (check that "
                                 "ours' change is carried elsewhere)")
                print(f"  {name}: - {cid} (deleted by theirs)")
            continue
        t = T[cid]
        if b is None:
            if _key(t) != _key(cell):
                notes.append(f"{name}: cell {cid} added on both sides, different; kept ours")
            out.append(cell)
            continue
        ch_o, ch_t = _key(cell) != _key(b), _key(t) != _key(b)
        if ch_t and not ch_o:
            out.append(t)
            print(f"  {name}: ~ {cid} (theirs)")
        elif ch_t and ch_o and _key(t) != _key(cell):
            merged = dict(cell)
            src, clean = _merge_text("".join(b["source"]), "".join(cell["source"]), "".join(t["source"]))
            merged["source"] = _lines(src)
            if cell["cell_type"] != t["cell_type"]:
                notes.append(f"{name}: cell {cid} changed type on one side")
            mb, mo, mt = (_key(x)[2] for x in (b, cell, t))
            if mt != mb:
                if mo != mb and mo != mt:
                    notes.append(f"{name}: cell {cid} metadata changed on both sides; kept ours")
                else:
                    merged["metadata"] = t["metadata"]
            if not clean:
                notes.append(f"{name}: cell {cid} source conflict (markers left in the cell)")
            print(f"  {name}: * {cid} (merged both{'' if clean else ', CONFLICT'})")
            out.append(merged)
        else:
            out.append(cell)
    # cells theirs added, after the cell they follow in theirs
    placed = {c["id"] for c in out}
    for i, t in enumerate(theirs["cells"]):
        cid = t["id"]
        if cid in placed or cid in B:
            if cid in B and cid not in O and cid in T and _key(t) != _key(B[cid]):
                notes.append(f"{name}: cell {cid} deleted in ours but changed in theirs; left out")
            continue
        prev = next((theirs["cells"][j]["id"] for j in range(i - 1, -1, -1)
                     if theirs["cells"][j]["id"] in placed), None)
        pos = 0 if prev is None else [c["id"] for c in out].index(prev) + 1
        out.insert(pos, t)
        placed.add(cid)
        print(f"  {name}: + {cid} (added by theirs)")
    result = dict(ours)
    result["cells"] = out
    return result, notes


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__)
        return 2
    base_rev, ours_rev, theirs_rev, *paths = argv
    if not paths:
        names = set()
        for rev in (ours_rev, theirs_rev):
            ls = subprocess.run(["git", "ls-tree", "--name-only", rev, "notebooks/"], cwd=ROOT,
                                capture_output=True, text=True, check=True).stdout.split()
            names |= {p for p in ls if p.endswith(".ipynb")}
        paths = sorted(names)
    all_notes = []
    for p in paths:
        p = str(Path(p))
        nb, notes = merge(_show(base_rev, p), _show(ours_rev, p), _show(theirs_rev, p), p)
        (ROOT / p).write_text(json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
        all_notes += notes
    for n in all_notes:
        print("CHECK:", n)
    return 1 if any("conflict" in n for n in all_notes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
