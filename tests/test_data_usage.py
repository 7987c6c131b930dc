"""Every numeric row of trial_results.csv and other_outcomes.csv is used by a lesson, or data/unused_rows.csv says
why not (issue 12, item 5).

"Used" follows how the lessons really reach rows:
- a cell names the row's id (code or prose: `tab1-sysucc-002-hrpos`), or
- a code cell selects it by a quoted trial name, table group or (for the two rare designs) design, or
- an executed output prints the trial's name beside one of the row's values (rows reached through a package function,
  such as the benefit-harm table).
For trial_results the PFS values and the OS values of a row are checked separately: a row whose PFS is taught but whose
OS is never shown (SYSUCC-002 before this check existed) counts as unused for OS. A name or id only counts in a cell
that also speaks of that endpoint (a column name or the endpoint's words).
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNUSED = ROOT / "data" / "unused_rows.csv"

GROUPS = {
    "pfs": (["mpfs_exp", "mpfs_ctrl", "pfs_p", "pfs_hr"], re.compile(r"mpfs|pfs_|progression-free|\bPFS\b")),
    "os": (["mos_exp", "mos_ctrl", "os_p", "os_hr"], re.compile(r"mos|os_|overall survival|\bOS\b")),
}


def _rows(name: str) -> list[dict]:
    with open(ROOT / "data" / f"{name}.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _lessons() -> list[dict]:
    """One dict per cell: lesson, cell index, type, source and the text of its outputs."""
    cells = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            out = []
            for o in cell.get("outputs", []):
                out.append("".join(o.get("text", "")))
                data = o.get("data", {})
                out.append("".join(data.get("text/plain", "")))
                out.append("".join(data.get("text/html", "")))
            cells.append({"lesson": path.name[:2], "cell": i, "type": cell["cell_type"],
                          "source": "".join(cell["source"]), "output": "\n".join(out)})
    return cells


def _quoted(value: str) -> list[str]:
    return [f'"{value}"', f"'{value}'"] if value else []


def _number_forms(value: str) -> list[str]:
    """How pandas may print a stored value: as stored, and as a float without trailing zeros."""
    forms = {value}
    try:
        forms.add(f"{float(value.lstrip('<>=')):g}")
    except ValueError:
        pass
    # one- and two-character numbers ("0", "28") appear in almost any output, so they prove nothing on their own
    return [f for f in forms if len(f) >= 3]


def _printed_together(cells: list[dict], trial: str, values: list[str]) -> bool:
    forms = [f for v in values for f in _number_forms(v)]
    pattern = [re.compile(rf"(?<![\d.]){re.escape(f)}(?![\d])") for f in forms]
    return any(trial in c["output"] and any(p.search(c["output"]) for p in pattern) for c in cells)


def usage_gaps(cells: list[dict]) -> set[tuple[str, str]]:
    gaps = set()
    for r in _rows("trial_results"):
        code_refs = _quoted(r["trial"]) + _quoted(r["table_group"])
        if r["design"] in ("real-world", "single-arm"):
            code_refs += _quoted(r["design"])
        for _group, (cols, marker) in GROUPS.items():
            values = [r[c] for c in cols if r[c]]
            if not values:
                continue
            named = any(marker.search(c["source"]) and (r["result_id"] in c["source"] or (
                c["type"] == "code" and any(x in c["source"] for x in code_refs))) for c in cells)
            if not (named or _printed_together(cells, r["trial"], values)):
                gaps.add(("trial_results", r["result_id"]))
    for r in _rows("other_outcomes"):
        values = [v for v in (r["value"], r["count"]) if v]
        if not values:
            continue
        code_refs = _quoted(r["trial"]) + _quoted(r["endpoint"])
        named = any(r["outcome_id"] in c["source"] or (
            c["type"] == "code" and "outcomes" in c["source"] and any(x in c["source"] for x in code_refs))
            for c in cells)
        if not (named or _printed_together(cells, r["trial"], values)):
            gaps.add(("other_outcomes", r["outcome_id"]))
    return gaps


@pytest.fixture(scope="module")
def cells():
    return _lessons()


@pytest.fixture(scope="module")
def listed():
    with open(UNUSED, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert rows == [] or list(rows[0]) == ["table", "row_id", "reason"], "unused_rows.csv: columns must be table, row_id, reason"
    return rows


def test_every_numeric_row_is_used_or_listed(cells, listed):
    missing = usage_gaps(cells) - {(r["table"], r["row_id"]) for r in listed}
    assert not missing, ("rows no lesson uses and unused_rows.csv does not list: "
                         + ", ".join(f"{t}:{i}" for t, i in sorted(missing)))


def test_listed_rows_exist_have_a_reason_and_are_really_unused(cells, listed):
    ids = {"trial_results": {r["result_id"] for r in _rows("trial_results")},
           "other_outcomes": {r["outcome_id"] for r in _rows("other_outcomes")}}
    gaps = usage_gaps(cells)
    for n, r in enumerate(listed, start=2):
        where = f"unused_rows.csv line {n}"
        assert r["table"] in ids, f"{where}: table {r['table']!r} is not trial_results or other_outcomes"
        assert r["row_id"] in ids[r["table"]], f"{where}: {r['row_id']!r} is not a row of {r['table']}.csv"
        assert len(r["reason"].split()) >= 4, f"{where}: give a reason in words"
        assert (r["table"], r["row_id"]) in gaps, f"{where}: {r['row_id']} is used by a lesson now; remove the line"


def test_the_check_would_catch_an_unused_row(cells):
    """Remove every lesson cell that names SYSUCC-002's Table 1 row or selects SYSUCC-002, and its OS must show up."""
    stripped = [c for c in cells if "tab1-sysucc-002-hrpos" not in c["source"] and "SYSUCC-002" not in c["source"]
                and "SYSUCC-002" not in c["output"]]
    assert ("trial_results", "tab1-sysucc-002-hrpos") in usage_gaps(stripped)
