"""Self-check questions from one source: the question bank ``data/questions.yaml`` (schema
``data/questions.schema.json``) and the objectives table ``data/objectives.csv``.

- :func:`load_bank` reads and checks both: the schema, then every cross-reference (lesson, objective, the section to
  revisit, and every data row, erratum and reference a question rests on). Bad input raises :class:`QuizError`, one
  plain sentence naming the file and the question.
- :func:`show` renders a lesson's questions (or the final assessment) as self-contained HTML with a small script:
  the feedback for each option is given in the browser, with no kernel round trip, on the static book page and in
  JupyterLab alike. Which option is right, and every feedback text, travel base64-encoded inside the page and are
  written into the page only after the reader answers. Answers are kept in the reader's ``localStorage`` only.
- :func:`progress_html` renders the Progress page (every lesson, its objectives, the reader's score per objective).
- :func:`answer_key_md` gives the questions with answers and rationales as text, for printed handouts.
"""
from __future__ import annotations

import base64
import csv
import functools
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["QuizError", "Bank", "load_bank", "check_bank", "show", "progress_html", "answer_key_md",
           "assessment_html", "section_anchor", "lesson_pages", "STORAGE_KEY"]

ROOT = Path(__file__).resolve().parents[2]
STORAGE_KEY = "hrher2-quiz-v1"
_JS = Path(__file__).with_name("quiz.js")
_CSS = Path(__file__).with_name("quiz.css")


class QuizError(ValueError):
    """A problem in the question bank or a call of :func:`show`, as one plain sentence."""

    def _render_traceback_(self):  # IPython shows this instead of a traceback
        return [f"QuizError: {self}"]


@dataclass(frozen=True)
class Bank:
    questions: tuple[dict, ...]
    objectives: tuple[dict, ...]
    pages: dict  # lesson -> notebook stem, e.g. "07" -> "07_reading_trial_results"

    def objective(self, objective_id: str) -> dict:
        return next(o for o in self.objectives if o["objective_id"] == objective_id)


def _data_dir(folder) -> Path:
    from . import data
    return Path(data.data_dir(folder))


def lesson_pages(notebooks: Path | None = None) -> dict[str, Path]:
    """'07' -> the lesson notebook's path."""
    folder = notebooks or ROOT / "notebooks"
    return {p.name[:2]: p for p in sorted(folder.glob("[0-9][0-9]_*.ipynb"))}


def _headings(nb_path: Path) -> list[str]:
    cells = json.loads(nb_path.read_text(encoding="utf-8"))["cells"]
    return [line[3:].strip() for c in cells if c["cell_type"] == "markdown"
            for line in "".join(c["source"]).splitlines() if line.startswith("## ")]


def section_anchor(heading: str) -> str:
    """The id Sphinx gives a section heading (docutils' make_id), for links back to it."""
    from docutils.nodes import make_id
    return make_id(heading)


def _bib_keys(folder: Path) -> set[str]:
    keys = set()
    with open(folder / "references.csv", encoding="utf-8", newline="") as fh:
        keys |= {row["bibkey"] for row in csv.DictReader(fh) if row.get("bibkey")}
    bib = ROOT / "book" / "review.bib"
    if bib.is_file():
        keys |= set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", bib.read_text(encoding="utf-8")))
    return keys


def _schema_sentence(err, questions, where: str) -> str:
    path = list(err.absolute_path)
    qid = None
    if path and isinstance(path[0], int) and path[0] < len(questions) and isinstance(questions[path[0]], dict):
        qid = questions[path[0]].get("id")
    who = f"question {qid}" if qid else (f"question number {path[0] + 1}" if path and isinstance(path[0], int)
                                        else "the file")
    field = ".".join(str(p + 1) if isinstance(p, int) else p for p in path[1:]) or "the question"
    message = err.message
    if err.validator in ("minContains", "maxContains", "contains"):
        message = "exactly one option must have correct: true"
    return f"{where}, {who}: {field}: {message}."


def check_bank(folder=None, notebooks: Path | None = None) -> Bank:
    """Read and check the bank (schema and every cross-reference); raise QuizError naming the file and question."""
    import jsonschema
    import yaml

    from . import data

    folder = _data_dir(folder)
    qfile, sfile = folder / "questions.yaml", folder / "questions.schema.json"
    where = f"data/{qfile.name}"
    for f in (qfile, sfile, folder / "objectives.csv"):
        if not f.is_file():
            raise QuizError(f"{f}: the file is missing; the question bank needs it.")
    try:
        questions = yaml.safe_load(qfile.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" at line {mark.line + 1}" if mark else ""
        raise QuizError(f"{where} is not valid YAML{line}: {getattr(exc, 'problem', exc)}.") from None
    schema = json.loads(sfile.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(questions), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        raise QuizError(_schema_sentence(errors[0], questions if isinstance(questions, list) else [], where))
    try:
        objectives = data.load("objectives", folder).to_dict("records")
    except data.DataError as exc:
        raise QuizError(str(exc)) from None
    pages = lesson_pages(notebooks)
    heads = {lesson: _headings(p) for lesson, p in pages.items()}
    for o in objectives:
        if o["lesson"] not in pages:
            raise QuizError(f"data/objectives.csv, objective {o['objective_id']}: lesson {o['lesson']} has no notebook.")
        if not o["objective_id"].startswith(o["lesson"] + "."):
            raise QuizError(f"data/objectives.csv, objective {o['objective_id']}: its id does not start with its "
                            f"lesson {o['lesson']}.")
        if o["section"] not in heads[o["lesson"]]:
            raise QuizError(f"data/objectives.csv, objective {o['objective_id']}: section {o['section']!r} is not a "
                            f"'##' heading of lesson {o['lesson']}.")
    by_id = {o["objective_id"]: o for o in objectives}
    tables = {}
    keys = _bib_keys(folder)
    errata_ids = None
    seen = set()
    for q in questions:
        qid, lesson = q["id"], q["lesson"]
        say = f"{where}, question {qid}"
        if qid in seen:
            raise QuizError(f"{say}: the id is used twice.")
        seen.add(qid)
        if qid[1:3] != lesson:
            raise QuizError(f"{say}: the id's digits do not match its lesson {lesson}.")
        if lesson not in pages:
            raise QuizError(f"{say}: lesson {lesson} has no notebook in notebooks/.")
        obj = by_id.get(q["objective"])
        if obj is None:
            raise QuizError(f"{say}: objective {q['objective']} is not in data/objectives.csv.")
        if obj["lesson"] != lesson:
            raise QuizError(f"{say}: objective {q['objective']} belongs to lesson {obj['lesson']}, not {lesson}.")
        if q["revisit"] not in heads[lesson]:
            raise QuizError(f"{say}: revisit {q['revisit']!r} is not a '##' heading of lesson {lesson}.")
        for support in q["rests_on"]:
            kind, _, rest = support.partition(":")
            if kind == "row":
                table, _, row_id = rest.partition(":")
                if table not in data.table_names(folder):
                    raise QuizError(f"{say}: {support} names no table of data/ ({table!r}).")
                key = data.schema(table, folder)["schema"].get("primaryKey", [])
                if len(key) != 1:
                    raise QuizError(f"{say}: {support}: table {table} has no single-column key to name a row by.")
                if table not in tables:
                    tables[table] = set(data.load(table, folder)[key[0]].astype(str))
                if row_id not in tables[table]:
                    raise QuizError(f"{say}: {support}: data/{table}.csv has no row {row_id!r}.")
            elif kind == "erratum":
                if errata_ids is None:
                    errata_ids = set(data.load("errata", folder)["erratum_id"])
                if rest not in errata_ids:
                    raise QuizError(f"{say}: {support}: data/errata.csv has no erratum {rest}.")
            elif kind == "ref" and rest not in keys:
                raise QuizError(f"{say}: {support}: no bibkey {rest!r} in data/references.csv or book/review.bib.")
    return Bank(tuple(questions), tuple(objectives), {k: v.stem for k, v in pages.items()})


@functools.lru_cache(maxsize=4)
def _cached(folder: str, stamp: tuple) -> Bank:
    return check_bank(folder)


def load_bank(folder=None) -> Bank:
    """The checked bank (cached until questions.yaml, the schema or objectives.csv change)."""
    folder = _data_dir(folder)
    stamp = tuple(f.stat().st_mtime_ns if f.is_file() else 0
                  for f in (folder / "questions.yaml", folder / "questions.schema.json", folder / "objectives.csv"))
    return _cached(str(folder), stamp)


# ------------------------------------------------------------------------------------------------ rendering
def _encode(obj) -> str:
    """base64 of the JSON (nothing readable in the page; the script decodes it when the reader answers)."""
    return base64.b64encode(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).decode("ascii")


def _assets() -> str:
    css = _CSS.read_text(encoding="utf-8")
    js = _JS.read_text(encoding="utf-8")
    return f"<style>{css}</style>\n<script>{js}</script>"


def _link(bank: Bank, lesson: str, heading: str, from_page: str) -> str:
    stem = bank.pages[lesson]
    prefix = "" if from_page == "notebooks" else "../notebooks/"
    return f"{prefix}{stem}.html#{section_anchor(heading)}"


class Rendered:
    """What :func:`show` returns: shows as the interactive questions (``_repr_html_``); the plain text repr gives
    only a count (never an answer)."""

    def __init__(self, html_text: str, summary: str):
        self.html, self.summary = html_text, summary

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.summary


def show(lesson: str | None = None, set: str = "lesson", folder=None) -> Rendered:  # noqa: A002
    """The questions of ``lesson`` ('07') from the bank, or every set='assessment' question (``set='assessment'``,
    lesson None), as HTML + script. The answers stay encoded until the reader answers."""
    if set not in ("lesson", "assessment"):
        raise QuizError(f"quiz.show: set must be 'lesson' or 'assessment', not {set!r}.")
    bank = load_bank(folder)
    if lesson is not None:
        lesson = f"{int(lesson):02d}" if str(lesson).isdigit() else str(lesson)
        if lesson not in bank.pages:
            raise QuizError(f"quiz.show: there is no lesson {lesson!r} (lessons: {', '.join(sorted(bank.pages))}).")
    chosen = [q for q in bank.questions if q["set"] == set and (lesson is None or q["lesson"] == lesson)]
    if not chosen:
        raise QuizError(f"quiz.show: data/questions.yaml has no set={set!r} question"
                        f"{'' if lesson is None else ' for lesson ' + lesson}.")
    from_page = "notebooks" if set == "lesson" else "book"
    label = f"lesson-{lesson}" if set == "lesson" else "assessment"
    parts = [f'<section class="hq-quiz" id="hq-{label}" data-hq-set="{set}" data-hq-key="{STORAGE_KEY}" '
             f'aria-label="{"Self-check questions" if set == "lesson" else "Final assessment"}">',
             '<p class="hq-norun" role="note">These questions answer in your browser, with no kernel. '
             'In JupyterLab, run this cell once to use them; on the book page they work as soon as it loads.</p>',
             f'<p class="hq-score" aria-live="polite">{len(chosen)} questions.</p>']
    secret = []
    for n, q in enumerate(chosen, 1):
        qid = html.escape(q["id"])
        obj = bank.objective(q["objective"])
        parts.append(f'<div class="hq-q" id="{qid}" data-hq-id="{qid}" data-hq-lesson="{q["lesson"]}" '
                     f'data-hq-objective="{html.escape(q["objective"])}">')
        parts.append(f'<fieldset><legend><span class="hq-n">Question {n}.</span> ')
        if q.get("vignette"):
            parts.append(f'<span class="hq-vignette">{html.escape(q["vignette"])}</span> ')
        parts.append(f'<span class="hq-stem">{html.escape(q["stem"])}</span></legend>')
        for i, opt in enumerate(q["options"]):
            oid = f"{qid}-o{i}"
            parts.append(f'<div class="hq-opt"><input type="radio" name="{qid}" id="{oid}" value="{i}" disabled>'
                         f'<label for="{oid}">{html.escape(opt["text"])}</label></div>')
        parts.append('</fieldset>')
        parts.append('<button type="button" class="hq-check" disabled>Check answer</button>')
        parts.append('<div class="hq-feedback" role="status" aria-live="polite"></div>')
        if set == "assessment":
            parts.append(f'<p class="hq-meta">Assesses lesson {q["lesson"]}: {html.escape(obj["objective"])}.</p>')
        parts.append('</div>')
        secret.append({"c": next(i for i, o in enumerate(q["options"]) if o["correct"]),
                       "f": [o["feedback"] for o in q["options"]],
                       "r": q["revisit"], "u": _link(bank, q["lesson"], q["revisit"], from_page)})
    if set == "assessment":
        objs = []
        for oid in dict.fromkeys(q["objective"] for q in chosen):
            o = bank.objective(oid)
            objs.append({"id": oid, "lesson": o["lesson"], "text": o["objective"], "section": o["section"],
                         "url": _link(bank, o["lesson"], o["section"], from_page)})
        parts.append('<h2 class="hq-result-title">Your score per objective</h2>'
                     '<div class="hq-by-objective" aria-live="polite"></div>')
        parts.append(f'<script type="application/json" class="hq-objectives">'
                     f'{_json_script(objs)}</script>')
    parts.append('<p><button type="button" class="hq-forget" disabled>Forget my answers</button> '
                 '<span class="hq-forget-note">Your answers are kept in this browser only, never sent anywhere.'
                 '</span></p>')
    parts.append(f'<div class="hq-key" hidden data-hq-title="{"Answer key" if set == "lesson" else "Assessment answer key"}"></div>')
    parts.append(f'<script type="application/octet-stream" class="hq-data">{_encode(secret)}</script>')
    parts.append(_assets())
    parts.append('</section>')
    where = f"lesson {lesson}" if set == "lesson" else "the final assessment"
    return Rendered("\n".join(parts), f"Self-check questions for {where}: {len(chosen)} (answer them in the "
                                      f"rendered output, in the book or in JupyterLab after running this cell).")


def assessment_html(folder=None) -> str:
    """The final-assessment page body: every set='assessment' question, scored per objective at the end."""
    bank = load_bank(folder)
    if not any(q["set"] == "assessment" for q in bank.questions):
        return "<p>The final assessment's questions are not in the question bank yet.</p>"
    return show(None, set="assessment", folder=folder).html


def progress_html(folder=None) -> str:
    """The Progress page body: every lesson, its objectives and the reader's score per objective (read from this
    browser's localStorage by the script; without answers it says so)."""
    bank = load_bank(folder)
    lessons = []
    for lesson, stem in sorted(bank.pages.items()):
        objs = [o for o in bank.objectives if o["lesson"] == lesson]
        if not objs:
            continue
        lessons.append({"lesson": lesson, "url": f"../notebooks/{stem}.html", "objectives": [
            {"id": o["objective_id"], "text": o["objective"], "section": o["section"],
             "url": _link(bank, lesson, o["section"], "book"),
             "questions": [q["id"] for q in bank.questions if q["objective"] == o["objective_id"]]}
            for o in objs]})
    return "\n".join([
        f'<section class="hq-progress" data-hq-key="{STORAGE_KEY}" aria-label="Your progress">',
        '<p class="hq-norun" role="note">This page reads your answers from this browser; it needs JavaScript.</p>',
        '<div class="hq-progress-body"></div>',
        f'<script type="application/json" class="hq-plan">{_json_script(lessons)}</script>',
        '<p><button type="button" class="hq-forget" disabled>Forget my answers</button></p>',
        _assets(), '</section>'])


def answer_key_md(lesson: str | None = None, set: str = "lesson", folder=None) -> tuple[list[dict], str]:  # noqa: A002
    """(questions, answer key as Markdown) for printed handouts: for every question the right letter, then the
    rationale of every option."""
    bank = load_bank(folder)
    chosen = [q for q in bank.questions if q["set"] == set and (lesson is None or q["lesson"] == lesson)]
    lines = []
    for n, q in enumerate(chosen, 1):
        right = next(i for i, o in enumerate(q["options"]) if o["correct"])
        lines.append(f"**{n}. {chr(65 + right)}** ({q['options'][right]['text']})")
        lines.append("")
        for i, o in enumerate(q["options"]):
            lines.append(f"- {chr(65 + i)}: {o['feedback']}")
        lines.append(f"- Revisit: {q['revisit']}")
        lines.append("")
    return chosen, "\n".join(lines)


def _json_script(obj) -> str:
    return json.dumps(obj, ensure_ascii=False).replace("</", "<\\/")
