"""Generate documentation from the data itself, so it is never retyped: the data dictionary (from the schema in
``datapackage.json``, with row counts and provenance summaries) and the errata page (from ``errata.csv``).

Used by ``scripts/gen_docs.py`` (run by ``make book``); a test checks the committed files are up to date.
"""
from __future__ import annotations

import re

import pandas as pd

from . import data

__all__ = ["data_dictionary_md", "errata_md"]


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ") if pd.notna(text) else ""


def _constraint_words(field: dict) -> str:
    c = field.get("constraints", {})
    words = []
    if "enum" in c:
        words.append("one of: " + ", ".join(f"`{v}`" if v else "(empty)" for v in c["enum"]))
    if "pattern" in c:
        words.append(f"pattern `{c['pattern']}`")
    if "minimum" in c:
        words.append(f"≥ {c['minimum']}")
    if "maximum" in c:
        words.append(f"≤ {c['maximum']}")
    if c.get("unique"):
        words.append("unique")
    return "; ".join(words)


def data_dictionary_md(tables: dict[str, pd.DataFrame], path=None) -> str:
    """Markdown: one section per table with its columns (from the schema) and a provenance summary (from the rows)."""
    out = []
    for name, frame in tables.items():
        res = data.schema(name, path)
        sch = res["schema"]
        out.append(f"## `{res['path']}`: {res.get('title', name)}\n")
        if res.get("description"):
            out.append(res["description"] + "\n")
        key = ", ".join(f"`{k}`" for k in (sch.get("primaryKey") or []))
        out.append(f"**{len(frame)} rows.** Key: {key or '(none)'}.\n")
        if "printed_in" in frame:
            counts = frame["printed_in"].value_counts().sort_index()
            out.append("Where the rows are printed in the review: "
                       + ", ".join(f"{k}: {v}" for k, v in counts.items()) + ".\n")
        if "refs" in frame:
            cited = sorted({int(x) for cell in frame["refs"].dropna() for x in str(cell).split(";") if x})
            if cited:
                out.append(f"Review references cited by these rows: {', '.join(map(str, cited))}.\n")
        out.append("| Column | Type | Required | Allowed values | Meaning |")
        out.append("| --- | --- | --- | --- | --- |")
        for f in sch["fields"]:
            req = "yes" if f.get("constraints", {}).get("required") else ""
            out.append(f"| `{f['name']}` | {f['type']} | {req} | {_cell(_constraint_words(f))} | {_cell(f.get('description', ''))} |")
        out.append("")
    return "\n".join(out)


def errata_md(errata: pd.DataFrame, references: pd.DataFrame | None = None) -> str:
    """Markdown: every erratum, grouped by trial or topic, with both printed values, the evidence and the confidence."""
    keys = {}
    if references is not None:
        keys = dict(zip(references["ref_number"].astype(int), references["bibkey"]))
    out = []
    counts = errata["confidence"].value_counts()
    out.append(f"The audit found **{len(errata)}** problems: "
               + ", ".join(f"{counts.get(c, 0)} of {c} confidence" for c in ("high", "medium", "low")) + ".\n")
    for topic, group in errata.groupby("trial_or_topic", sort=False):
        out.append(f"## {topic}\n")
        for _, e in group.iterrows():
            out.append(f"**{e['erratum_id']}** · *{e['kind']}* · {e['field']} · confidence: **{e['confidence']}**\n")
            out.append(f"- Printed: {_cell(e['printed_a'])} ({_cell(e['where_a'])})")
            if pd.notna(e.get("printed_b")) and str(e["printed_b"]).strip():
                out.append(f"- Also printed: {_cell(e['printed_b'])} ({_cell(e['where_b'])})")
            out.append(f"- Most likely right: {_cell(e['likely_correct'])}")
            out.append(f"- Evidence: {_cell(e['evidence'])}")
            refs = [int(x) for x in str(e["refs"]).split(";")] if pd.notna(e["refs"]) and str(e["refs"]) else []
            if refs:
                cites = ", ".join(f"{{cite:p}}`{keys[r]}`" if r in keys else f"ref. {r}" for r in refs)
                out.append(f"- Review reference(s): {cites}")
            if pd.notna(e.get("lesson")) and str(e["lesson"]).strip():
                out.append(f"- Taught in lesson(s): {str(e['lesson']).replace(';', ', ')}")
            out.append("")
    return "\n".join(out)


def _fmt(value, unit: str = "") -> str:
    if pd.isna(value):
        return ""
    text = f"{float(value):g}" if not isinstance(value, str) else value
    return f"{text}{unit}"


def _values_line(r) -> str:
    """The values of one since_review row in short, in the order a reader of trials looks for them."""
    parts = []
    if pd.notna(r["median_exp"]) or pd.notna(r["median_ctrl"]):
        parts.append(f"median {_fmt(r['median_exp']) or 'not printed'} vs {_fmt(r['median_ctrl']) or 'not printed'} "
                     f"months")
    if pd.notna(r["hr"]):
        ci = f" (95% CI {_fmt(r['hr_low'])}–{_fmt(r['hr_high'])})" if pd.notna(r["hr_low"]) else ""
        parts.append(f"HR {_fmt(r['hr'])}{ci}")
    if pd.notna(r["p_value"]):
        parts.append(f"p {r['p_value']}" if str(r["p_value"])[:1] in "<>=" else f"p = {r['p_value']}")
    if pd.notna(r["landmark"]) and (pd.notna(r["landmark_exp"]) or pd.notna(r["landmark_ctrl"])):
        parts.append(f"{r['landmark']} {_fmt(r['landmark_exp'])} vs {_fmt(r['landmark_ctrl'])}")
    if pd.notna(r["rate_exp"]):
        ctrl = f" vs {_fmt(r['rate_ctrl'])}%" if pd.notna(r["rate_ctrl"]) else ""
        parts.append(f"rate {_fmt(r['rate_exp'])}%{ctrl}")
    if pd.notna(r["grade3_ae_exp"]):
        ctrl = f" vs {_fmt(r['grade3_ae_ctrl'])}%" if pd.notna(r["grade3_ae_ctrl"]) else ""
        parts.append(f"grade ≥3 adverse events {_fmt(r['grade3_ae_exp'])}%{ctrl}")
    return "; ".join(parts) or "no value printed in this source (see notes)"


def since_review_md(since: pd.DataFrame, registry: pd.DataFrame, checked_up_to: str) -> str:
    """Markdown: every source published after the review, newest first, with its rows, analysis, date, location and
    confidence; then what the registry check found for each Table 3 trial."""
    from . import later_evidence

    out = [f"Evidence checked up to **{checked_up_to}**. {len(since)} results from "
           f"{since['bibkey'].nunique()} sources on {since['trial'].nunique()} trials; "
           f"{int((registry['results_reported'] == 'yes').sum())} of {len(registry)} Table 3 trials have reported "
           "results.\n"]
    rows = since.set_index("result_id")
    out.append("## Sources, newest first\n")
    for src in later_evidence.by_date(since).itertuples():
        out.append(f"### {src.published} · {src.trial} · {src.source_kind}\n")
        out.append(f"{_cell(src.source_name)} {{cite:p}}`{src.bibkey}` · lowest confidence of its rows: "
                   f"**{src.confidence}**\n")
        for rid in src.result_ids.split(";"):
            r = rows.loc[rid]
            out.append(f"- **{_cell(r['endpoint'])}**, {_cell(r['cohort'])} ({_cell(r['analysis'])}, "
                       f"{r['analysis_type']}"
                       + (f", data cut-off {r['data_cutoff']}" if pd.notna(r["data_cutoff"]) else "") + "): "
                       f"{_cell(_values_line(r))}. *Where:* {_cell(r['location'])}. *Confidence:* {r['confidence']}"
                       f" ({_cell(r['confidence_note'])}). `{rid}`")
        out.append("")
    out.append("## The review's Table 3, checked again\n")
    out.append("| Trial | Status in the review | Status found | Checked on | Results since |\n| --- | --- | --- | --- | --- |")
    for r in registry.itertuples():
        name = f"{r.nct_id}" + (f" ({r.acronym})" if pd.notna(r.acronym) else "")
        found = _cell(r.status_found) if pd.notna(r.status_found) else "no record found"
        summary = _cell(r.results_summary) if pd.notna(r.results_summary) else ""
        out.append(f"| {name} | {r.status_in_review} | {found} | {r.checked_on} | {r.results_reported}"
                   + (f": {summary}" if summary else "") + " |")
    out.append("")
    return "\n".join(out)


def objectives_md(objectives: pd.DataFrame, questions, lesson: str) -> str:
    """One lesson's learning objectives as a Markdown bullet with a numbered list: each objective with the section
    that teaches it and how many lesson self-checks and assessment questions assess it (for the instructor guide)."""
    rows = objectives[objectives["lesson"] == lesson]
    if rows.empty:
        raise ValueError(f"data/objectives.csv has no objective for lesson {lesson}.")
    lines = ["- **Objectives** (from `data/objectives.csv`). By the end of the lesson a learner can:"]
    for i, r in enumerate(rows.itertuples(index=False), start=1):
        sets = [q["set"] for q in questions if q["objective"] == r.objective_id]
        n_self, n_case = sets.count("lesson"), sets.count("assessment")
        text = r.objective[:1].upper() + r.objective[1:]
        lines.append(f"  {i}. **{r.objective_id}** {text}. Taught in *{r.section}*; assessed by "
                     f"{_count(n_self, 'self-check')} and {_count(n_case, 'assessment question')}.")
    return "\n".join(lines) + "\n"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


_TIME_TO_LEARN = re.compile(r"\*\*Time to learn\*\*:\s*(\d+)\s*minutes")


def course_plan_md(root) -> str:
    """The intro's course plan from ``_toc.yml`` and the lessons themselves: each part, each lesson linked by its
    title cell, its own *Time to learn* line, and the total (pure given the files). A lesson without a "Time to
    learn: N minutes" line is an error naming the notebook."""
    import json
    from pathlib import Path

    import yaml

    root = Path(root)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    rows, total = ["| Part | Lesson | Time to learn |", "| --- | --- | --- |"], 0
    for part in toc["parts"]:
        for chapter in part["chapters"]:
            path = root / (chapter["file"] + ".ipynb")
            if not path.is_file():
                continue
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
            title = text.lstrip().splitlines()[0].lstrip("# ").strip()
            found = _TIME_TO_LEARN.search(text)
            if not found:
                raise ValueError(f"{path.name}: no '**Time to learn**: N minutes' line")
            minutes = int(found.group(1))
            total += minutes
            rows.append(f"| {part['caption']} | {{doc}}`{title} </{chapter['file']}>` | {minutes} min |")
    hours, rest = divmod(total, 60)
    rows.append(f"| **All lessons** | | **{total} min** ({hours} h {rest:02d} min) |")
    return "\n".join(rows) + "\n"
