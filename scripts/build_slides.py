"""Build one reveal.js slide deck per lesson: _build/slides/NN_name.slides.html (make slides).

Each lesson is read into memory and reshaped there; the committed notebooks are never written:
  - every `#`/`##` heading starts a slide (markdown cells that hold several headings are split first);
  - a section too long for one slide continues on sub-slides (each marked "continued"), and a short
    "What to notice" paragraph under a figure appears as a fragment;
  - the Imports section (its heading, its prose and the imports cell) and the `<details>` answer blocks are left out;
  - a self-check cell shows its questions and options only: a `quiz.show("NN")` cell becomes lesson NN's questions
    from the question bank (data/questions.yaml; which option is right and the feedback are not used), and an older
    quiz.multiple_choice(...) call is parsed with `ast`, never executed, and its answer and explanation never read;
  - MyST roles become plain text ({term}, {doc}) or author-year citations ({cite:p}, {cite:t}); links to other
    lessons point at their decks.
Figures keep their committed outputs; widget views are drawn from the saved widget state by the ipywidgets HTML
manager. reveal.js, require.js and the widget manager come from the npm registry (package-lock.json) and are copied
into _build/slides/vendor/ by scripts/vendor_js.py, so a deck opens with no internet (also from file://).

Usage: python scripts/build_slides.py [--out DIR] [LESSON ...]   (LESSON: "03", "03_crosstalk_resistance" or a path)

The helpers above the "Slides" heading are shared with scripts/build_handouts.py.
"""
from __future__ import annotations

import argparse
import ast
import base64
import copy
import csv
import html
import json
import math
import re
import struct
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import nbformat

from hrher2.widget_state import reachable_models

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
REFERENCES_CSV = ROOT / "data" / "references.csv"
REVIEW_BIB = ROOT / "book" / "review.bib"
CONFIG = ROOT / "_config.yml"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# Widget model modules that the HTML manager carries itself (anything else would be fetched from a CDN).
BUILTIN_WIDGET_MODULES = {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}


# ---------------------------------------------------------------------------------------------------------------
# Shared with build_handouts.py: finding lessons, reading them, MyST roles, quizzes, answers, widget state
# ---------------------------------------------------------------------------------------------------------------

def lesson_paths(selectors: list[str] | None = None, notebooks: Path = NOTEBOOKS) -> list[Path]:
    """The lesson notebooks to build: all of notebooks/NN_*.ipynb, or those named by number, stem or path."""
    every = sorted(p for p in Path(notebooks).glob("[0-9][0-9]_*.ipynb"))
    if not selectors:
        if not every:
            raise SystemExit(f"no lesson notebooks (NN_name.ipynb) in {notebooks}")
        return every
    chosen = []
    for sel in selectors:
        as_path = Path(sel)
        if as_path.suffix == ".ipynb" and as_path.is_file():
            chosen.append(as_path.resolve())
            continue
        stem = as_path.name.removesuffix(".ipynb")
        hits = [p for p in every if p.stem == stem or p.stem.split("_", 1)[0] == stem]
        if not hits:
            names = ", ".join(p.stem for p in every)
            raise SystemExit(f"no lesson matches {sel!r}; the lessons are: {names}")
        chosen.extend(hits)
    return list(dict.fromkeys(chosen))


def read_lesson(path: Path) -> nbformat.NotebookNode:
    """The notebook as an in-memory copy (the file is only read)."""
    with open(path, encoding="utf-8") as f:
        return nbformat.read(f, as_version=4)


@dataclass(frozen=True)
class Reference:
    author: str
    year: str
    title: str = ""
    journal: str = ""
    number: str = ""  # the review's reference number, "" for the review itself


def load_references() -> dict[str, Reference]:
    """bibkey -> Reference, from data/references.csv plus the review itself (book/review.bib)."""
    refs: dict[str, Reference] = {}
    if REFERENCES_CSV.is_file():
        with open(REFERENCES_CSV, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                refs[row["bibkey"]] = Reference(row["first_author"], row["year"], row.get("title", ""),
                                                row.get("journal", ""), row.get("ref_number", ""))
    if REVIEW_BIB.is_file():
        for key, body in re.findall(r"@\w+\{([^,]+),(.*?)\n\}", REVIEW_BIB.read_text(encoding="utf-8"), re.S):
            fields = dict(re.findall(r"(\w+)\s*=\s*\{(.*?)\},?\s*$", body, re.M))
            author = fields.get("author", key).split(" and ")[0].split(",")[0].strip()
            title = fields.get("title", "").replace("{", "").replace("}", "")
            refs.setdefault(key.strip(), Reference(author, fields.get("year", ""), title, fields.get("journal", "")))
    return refs


ROLE = re.compile(r"\{([a-z]+(?::[a-z]+)?)\}`([^`]*)`")
LABELLED = re.compile(r"^(.*?)\s*<([^<>]+)>$", re.S)
DOC_TITLES = {"references": "the course's reference list", "intro": "the course introduction",
              "errata": "the course's errata page", "glossary": "the course glossary", "data": "the data page"}
LESSON_LINK = re.compile(r"\]\((\d\d_[A-Za-z0-9_-]+)\.ipynb(#[^)\s]*)?\)")


def _cite_keys(text: str) -> list[str]:
    return [k.strip() for k in text.split(",") if k.strip()]


def cite_text(role: str, text: str, refs: dict[str, Reference]) -> str:
    """Author-year text for {cite:p} (parenthetical) or {cite:t} (textual); unknown keys stay as they are."""
    parts = []
    for key in _cite_keys(text):
        ref = refs.get(key)
        if ref is None:
            parts.append(key)
        elif role == "cite:t":
            parts.append(f"{ref.author} et al. ({ref.year})")
        else:
            parts.append(f"{ref.author} {ref.year}")
    if role == "cite:t":
        return ", ".join(parts)
    return "(" + "; ".join(parts) + ")"


def rewrite_myst(source: str, refs: dict[str, Reference], lesson_suffix: str) -> tuple[str, list[str]]:
    """MyST roles -> plain Markdown, and lesson links -> the built file for that lesson.

    Returns the new source and the citation keys it used (in order of first use)."""
    cited: list[str] = []

    def role(m: re.Match) -> str:
        name, text = m.group(1), m.group(2)
        labelled = LABELLED.match(text)
        if name.startswith("cite"):
            cited.extend(k for k in _cite_keys(text) if k not in cited)
            return cite_text("cite:t" if name == "cite:t" else "cite:p", text, refs)
        if labelled:
            return labelled.group(1)
        if name == "doc":
            return DOC_TITLES.get(Path(text).name, Path(text).name.replace("_", " "))
        return text

    out = ROLE.sub(role, source)
    out = LESSON_LINK.sub(lambda m: f"]({m.group(1)}{lesson_suffix}{m.group(2) or ''})", out)
    return out, cited


HEADING = re.compile(r"^(#{1,2})\s+(.*\S)\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def split_at_headings(source: str) -> list[str]:
    """Split markdown so that every `#`/`##` heading (outside code fences) begins its own piece."""
    pieces: list[list[str]] = [[]]
    in_fence = False
    for line in source.splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        if not in_fence and HEADING.match(line) and any(s.strip() for s in pieces[-1]):
            pieces.append([])
        pieces[-1].append(line)
    return ["\n".join(p).strip("\n") for p in pieces if any(s.strip() for s in p)]


def heading_of(source: str) -> tuple[int, str] | None:
    """(level, text) of a markdown cell that starts with a `#`/`##` heading."""
    first = source.lstrip("\n").split("\n", 1)[0]
    m = HEADING.match(first)
    return (len(m.group(1)), m.group(2).strip()) if m else None


DETAILS = re.compile(r"<details\b.*?</details>\s*", re.S | re.I)


def strip_details(source: str) -> str:
    """Remove every <details>...</details> block (the self-check answers)."""
    return DETAILS.sub("", source).strip("\n")


def is_imports_cell(cell) -> bool:
    """A code cell made only of import statements."""
    if cell.cell_type != "code" or not cell.source.strip():
        return False
    try:
        body = ast.parse(cell.source).body
    except SyntaxError:
        return False
    return bool(body) and all(isinstance(node, (ast.Import, ast.ImportFrom)) for node in body)


@dataclass(frozen=True)
class Quiz:
    question: str | None  # None: the call exists but its question is not a literal (it is never evaluated)
    options: tuple[str, ...]
    qid: str | None = None  # the question bank's id, for a question shown by quiz.show("NN")


def parse_show(source: str) -> tuple[str, str] | None:
    """(lesson, set) of a quiz.show("NN") / quiz.show("NN", set="...") call, read with `ast`; None if there is none
    or its arguments are not literals."""
    for node in _calls(source, "show"):
        try:
            args = [ast.literal_eval(a) for a in node.args]
            kw = {k.arg: ast.literal_eval(k.value) for k in node.keywords if k.arg}
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None
        lesson = args[0] if args else kw.get("lesson")
        qset = args[1] if len(args) > 1 else kw.get("set", "lesson")
        if isinstance(lesson, str):
            return lesson, qset
    return None


def bank_quizzes(lesson: str, qset: str = "lesson") -> list[Quiz]:
    """The questions quiz.show(lesson) renders, as Quiz (stem and options only), from the checked question bank."""
    from hrher2 import quiz as quiz_bank

    return [Quiz((q.get("vignette", "") + " " + q["stem"]).strip(), tuple(o["text"] for o in q["options"]), q["id"])
            for q in quiz_bank.load_bank().questions if q["lesson"] == lesson and q["set"] == qset]


def _calls(source: str, name: str):
    """Every call of a function or method called ``name`` in the source (none if it does not parse)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return
    yield from (node for node in ast.walk(tree) if isinstance(node, ast.Call) and _called_name(node.func) == name)


def _called_name(func: ast.expr) -> str:
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def parse_quiz(source: str) -> Quiz | None:
    """The question and options of a quiz.multiple_choice(question, options, correct, explanation) call, read from
    the cell's source with `ast` (never executed). Only the first two arguments are read: the correct answer and the
    explanation are never looked at. None when the cell holds no such call."""
    for node in _calls(source, "multiple_choice"):
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        q_node = node.args[0] if len(node.args) > 0 else keywords.get("question")
        o_node = node.args[1] if len(node.args) > 1 else keywords.get("options")
        try:
            question = ast.literal_eval(q_node) if q_node is not None else None
            options = ast.literal_eval(o_node) if o_node is not None else ()
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return Quiz(None, ())
        if not isinstance(question, str):
            question = None
        if not isinstance(options, (list, tuple)) or not all(isinstance(o, str) for o in options):
            options = ()
        return Quiz(question, tuple(options))
    return None


def quiz_html(quiz: Quiz, number: int) -> str:
    """The question and its options as plain HTML (one line, so Markdown passes it through untouched)."""
    if quiz.question is None:
        return (f'<div class="quiz"><p class="quiz-question"><strong>Question {number}.</strong> '
                "This question is built by code: open the lesson in JupyterLab to see it.</p></div>")
    items = "".join(f"<li>{html.escape(o)}</li>" for o in quiz.options)
    options = f'<ol class="quiz-options" type="A">{items}</ol>' if items else ""
    return (f'<div class="quiz"><p class="quiz-question"><strong>Question {number}.</strong> '
            f"{html.escape(quiz.question)}</p>{options}</div>")


def course_title() -> str:
    """The course's title from _config.yml (read only)."""
    if CONFIG.is_file():
        m = re.search(r"^title:\s*[\"']?(.*?)[\"']?\s*$", CONFIG.read_text(encoding="utf-8"), re.M)
        if m:
            return m.group(1)
    return "HR+/HER2+ advanced breast cancer"


def widget_state(nb) -> dict:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def view_model_ids(cell) -> list[str]:
    return [o["data"][WIDGET_VIEW]["model_id"] for o in cell.get("outputs", [])
            if WIDGET_VIEW in o.get("data", {}) and "model_id" in o["data"][WIDGET_VIEW]]


def prune_notebook_widgets(nb) -> list[str]:
    """Keep only the widget models that a remaining view uses; return the modules that are not built in."""
    state = widget_state(nb)
    if not state:
        nb.metadata.pop("widgets", None)
        return []
    roots = [mid for cell in nb.cells for mid in view_model_ids(cell)]
    keep = reachable_models(state, roots)
    if not keep:
        nb.metadata.pop("widgets", None)
        return []
    nb.metadata["widgets"][WIDGET_STATE]["state"] = {k: v for k, v in state.items() if k in keep}
    return sorted({v.get("model_module", "") for k, v in state.items() if k in keep} - BUILTIN_WIDGET_MODULES)


def _spec_text(value) -> str:
    if isinstance(value, dict):
        value = value.get("text", "")
    if isinstance(value, list):
        value = " ".join(map(str, value))
    return str(value or "")


def _vegalite_version() -> str:
    """The Vega-Lite the book vendors (package.json), as vl-convert names its versions ("6.4")."""
    version = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]["vega-lite"]
    return ".".join(version.split(".")[:2])


def live_chart_svg(spec: dict) -> str:
    """A live chart's starting view as SVG (the controls are HTML beside the chart, so they are not in it), drawn by
    vl-convert with the book's Vega-Lite; "" if it cannot be drawn (the caller keeps the words alone)."""
    import vl_convert

    try:
        return vl_convert.vegalite_to_svg(spec, vl_version=_vegalite_version())
    except Exception:  # a spec vl-convert cannot draw: the title and description still say what the chart shows
        return ""


def live_chart_placeholders(cell) -> int:
    """Replace Vega-Lite outputs (hrher2.live charts, drawn by a browser script) with static HTML: the chart's starting
    view as an SVG image (alt text: its title and description), then its title and description as text, and one line
    saying it responds to its controls in the book and in JupyterLab. Decks and handouts load no charting library.
    Returns the number replaced."""
    from hrher2.live import plain_title  # a headline that follows the controls: the one shown at the start

    replaced = 0
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        mime = next((k for k in data if k.startswith("application/vnd.vegalite")), None)
        if mime is None:
            continue
        spec = data[mime] if isinstance(data[mime], dict) else {}
        title, description = plain_title(spec), _spec_text(spec.get("description"))
        svg = live_chart_svg(spec) if spec else ""
        alt = " ".join(t for t in (title, description) if t)
        image = (f'<img class="live-chart-view" alt="{html.escape(alt, quote=True)}" '
                 f'src="data:image/svg+xml;charset=utf-8,{urllib.parse.quote(svg)}">' if svg else "")
        out["data"] = {"text/html": (
            '<div class="live-chart-note">' + image
            + (f"<p><strong>{html.escape(title)}</strong></p>" if title else "")
            + (f"<p>{html.escape(description)}</p>" if description else "")
            + ("<p><em>Its starting view: in the course book or in JupyterLab the chart responds to its controls.</em>"
               "</p></div>" if svg else
               "<p><em>An interactive chart: it draws in the course book or in JupyterLab.</em></p></div>"))}
        out.get("metadata", {}).pop(mime, None)
        replaced += 1
    return replaced


def new_markdown(source: str, cell_id: str, metadata: dict | None = None):
    cell = nbformat.v4.new_markdown_cell(source, metadata=metadata or {})
    cell["id"] = cell_id[:64]
    return cell


@dataclass
class Prepared:
    nb: nbformat.NotebookNode
    title: str
    quizzes: list[Quiz]
    cited: list[str]
    warnings: list[str]


def prepare(nb, lesson_suffix: str, refs: dict[str, Reference] | None = None) -> Prepared:
    """The shared reshaping for decks and handouts, on a deep copy of `nb`:
    headings split into their own cells, MyST rewritten, answers removed, quiz cells replaced by their question,
    the Imports section dropped (cells are tagged in metadata 'course_role' for the exporters)."""
    refs = load_references() if refs is None else refs
    nb = copy.deepcopy(nb)
    cells, quizzes, cited, warnings = [], [], [], []
    title = ""
    for cell in nb.cells:
        cid = cell.get("id") or f"cell{len(cells)}"
        if cell.cell_type == "markdown":
            source = strip_details(cell.source)
            if not source.strip():
                continue  # an answer cell
            pieces = split_at_headings(source)
            for i, piece in enumerate(pieces):
                text, keys = rewrite_myst(piece, refs, lesson_suffix)
                cited.extend(k for k in keys if k not in cited)
                new = new_markdown(text, cid if i == 0 else f"{cid}-{i}", copy.deepcopy(dict(cell.metadata)))
                head = heading_of(text)
                if head and head[0] == 1 and not title:
                    title = re.sub(r"[*_`]", "", head[1])
                new.metadata["course_role"] = "heading" if head else "prose"
                cells.append(new)
        elif cell.cell_type == "code":
            shown = parse_show(cell.source) if "quiz.show" in cell.source else None
            if shown is not None:
                for k, quiz in enumerate(bank_quizzes(*shown)):
                    quizzes.append(quiz)
                    cells.append(new_markdown(quiz_html(quiz, len(quizzes)), f"{cid}-quiz{k}", {"course_role": "quiz"}))
                continue
            quiz = parse_quiz(cell.source) if "multiple_choice" in cell.source else None
            if quiz is not None:
                quizzes.append(quiz)
                if quiz.question is None:
                    warnings.append(f"quiz {len(quizzes)}: the question is not a literal string; shown as a pointer")
                cells.append(new_markdown(quiz_html(quiz, len(quizzes)), f"{cid}-quiz", {"course_role": "quiz"}))
                continue
            cell.metadata["course_role"] = "imports" if is_imports_cell(cell) else "code"
            live_chart_placeholders(cell)
            cells.append(cell)
        else:
            cell.metadata["course_role"] = "raw"
            cells.append(cell)
    # The Imports section: its heading, its prose and the imports cell (later cells of that section stay).
    for i, cell in enumerate(cells):
        head = heading_of(cell.source) if cell.cell_type == "markdown" else None
        if head and head[0] == 2 and head[1].lower() == "imports":
            j = i
            while j < len(cells) and cells[j].metadata.get("course_role") in ("heading", "prose") and \
                    (j == i or heading_of(cells[j].source) is None):
                j += 1
            if j < len(cells) and cells[j].metadata.get("course_role") == "imports":
                for k in range(i, j + 1):
                    cells[k].metadata["course_role"] = "skip"
                if j + 1 < len(cells):
                    cells[j + 1].metadata["course_new_slide"] = True  # the rest of that section opens a slide
            else:
                cells[i].metadata["course_role"] = "skip"  # a heading with no imports cell under it
            break
    nb.cells = [c for c in cells if c.metadata.get("course_role") != "skip"]
    if title:
        nb.metadata["title"] = title
    return Prepared(nb, title, quizzes, cited, warnings)


# ---------------------------------------------------------------------------------------------------------------
# Slides
# ---------------------------------------------------------------------------------------------------------------

LINE_CHARS = 85      # characters per line of prose (24 px) on the 1100 px wide canvas
BUDGET = 21.5        # lines of prose (32 px) that fit on one 720 px slide
CODE_LINE = 0.75     # a line of code (17 px) in prose lines
ROW = 0.6            # a table row
IMG_MAX_PX = 380     # the deck's CSS caps images at this height
LINE_PX = 32


def png_size(data: bytes) -> tuple[int, int] | None:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    return None


def _img_lines(width: int, height: int) -> float:
    scale = min(1.0, 960 / max(width, 1))
    return min(height * scale, IMG_MAX_PX) / LINE_PX + 0.5


def _html_lines(text: str) -> float:
    lines = 0.0
    for b64 in re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]{32,})", text):
        size = png_size(base64.b64decode(b64[:44] + "=" * (-len(b64[:44]) % 4)))
        lines += _img_lines(*size) if size else 12
    for table in re.findall(r"<table\b.*?</table>", text, flags=re.S | re.I):
        lines += 0.3 + len(re.findall(r"<tr\b", table, re.I)) * ROW
    plain = re.sub(r"<table\b.*?</table>", " ", text, flags=re.S | re.I)
    plain = re.sub(r"<img\b[^>]*>", " ", plain, flags=re.I)
    blocks = len(re.findall(r"<(p|li|h\d|div|figcaption)\b", plain, re.I))
    plain = re.sub(r"<[^>]+>", " ", plain)
    plain = re.sub(r"\s+", " ", html.unescape(plain)).strip()
    return lines + math.ceil(len(plain) / (LINE_CHARS * 1.4)) * 0.75 + 0.4 * blocks


def markdown_lines(source: str) -> float:
    """Rough rendered height of a markdown cell, in lines."""
    if source.startswith('<div class="quiz">'):
        question = re.search(r"</strong>(.*?)</p>", source, re.S)
        options = re.findall(r"<li>(.*?)</li>", source, re.S)
        return (2.2 + math.ceil(len(question.group(1) if question else "") / LINE_CHARS)
                + sum(math.ceil(len(o) / (LINE_CHARS - 6)) for o in options))
    items: list[str] = []
    kinds: list[str] = []
    for line in source.splitlines():
        s = line.strip()
        if not s:
            items.append("")
            kinds.append("gap")
        elif s.startswith("#"):
            items.append(s)
            kinds.append("head")
        elif s.startswith("|"):
            if not set(s) <= set("|-: "):
                items.append(s)
                kinds.append("row")
        elif re.match(r"([-*+]|\d+\.)\s", s) or not items or kinds[-1] in ("gap", "head", "row"):
            items.append(s)
            kinds.append("text")
        else:
            items[-1] += " " + s
    total = 1.0
    for item, kind in zip(items, kinds):
        if kind == "gap":
            total += 0.4
        elif kind == "head":
            total += 2.2 if item.startswith("## ") else 3.0
        elif kind == "row":
            total += ROW + 0.1
        else:
            plain = re.sub(r"<[^>]+>|\]\([^)]*\)|[*`]", "", item)
            total += math.ceil(len(plain) / LINE_CHARS) * 1.05
            if "<img" in item:
                total += 12
    return total


def cell_lines(cell, state: dict) -> float:
    """Rough rendered height of a cell on a slide, in lines (markdown, code input, outputs)."""
    if cell.cell_type == "markdown":
        return markdown_lines(cell.source)
    if cell.cell_type != "code":
        return 1.0
    total = len(cell.source.splitlines()) * CODE_LINE + 0.8
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out.get("output_type") == "stream":
            total += min(len(out.get("text", "").splitlines()), 14)
        elif WIDGET_VIEW in data and data[WIDGET_VIEW].get("model_id") in state:
            roots = [data[WIDGET_VIEW]["model_id"]]
            body = "".join(str(state[m]["state"].get("value", "")) for m in reachable_models(state, roots))
            total += 3 + _html_lines(body)
        elif "text/html" in data:
            total += _html_lines("".join(data["text/html"]))
        elif "image/png" in data:
            size = png_size(base64.b64decode(data["image/png"][:44]))
            total += _img_lines(*size) if size else 12
        elif "text/plain" in data:
            total += min(len("".join(data["text/plain"]).splitlines()), 14)
    return total


def _is_figure(cell, state) -> bool:
    if cell.cell_type != "code":
        return False
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if WIDGET_VIEW in data or "image/png" in data or "data:image/png" in "".join(data.get("text/html", "")):
            return True
    return False


def _is_notice(cell) -> bool:
    return cell.cell_type == "markdown" and cell.source.lstrip().lower().startswith("what to notice")


def _is_widget_note(cell, height: float) -> bool:
    text = cell.source.lstrip() if cell.cell_type == "markdown" else ""
    return text.startswith(("*", "_")) and not text.startswith(("**", "__")) and height <= 5


def _groups(cells, heights, state) -> list[list[int]]:
    """Cells that belong on one slide together: a short lead-in paragraph with the output it introduces, and a
    figure with the "What to notice" paragraph under it."""
    groups: list[list[int]] = []
    i = 0
    while i < len(cells):
        group = [i]
        cell = cells[i]
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        lead_in = (cell.cell_type == "markdown" and heading_of(cell.source) is None and heights[i] <= 5
                   and nxt is not None and nxt.cell_type == "code" and nxt.get("outputs"))
        if lead_in:
            group.append(i + 1)
        last = cells[group[-1]]
        after = group[-1] + 1
        if _is_figure(last, state) and after < len(cells) and _is_widget_note(cells[after], heights[after]):
            group.append(after)  # the one-line note under a widget ("On the static book page ...")
            after += 1
        if _is_figure(last, state) and after < len(cells) and _is_notice(cells[after]):
            group.append(after)
        groups.append(group)
        i = group[-1] + 1
    return groups


def assign_slide_types(nb) -> dict:
    """Set metadata.slideshow.slide_type on every cell of a prepared notebook: each heading starts a slide; a
    section that does not fit continues on sub-slides (each opened by a "continued" line); a "What to notice"
    paragraph that fits under its figure is a fragment. Returns counts of slides, sub-slides and fragments."""
    state = widget_state(nb)
    cells = nb.cells
    heights = [cell_lines(c, state) for c in cells]
    out_cells = []
    counts = {"slides": 0, "subslides": 0, "fragments": 0}
    used = 0.0
    section = ""
    for group in _groups(cells, heights, state):
        first = cells[group[0]]
        head = heading_of(first.source) if first.cell_type == "markdown" else None
        total = sum(heights[i] for i in group)
        kinds = ["-"] * len(group)
        if head or not out_cells or first.metadata.pop("course_new_slide", False):
            kinds[0] = "slide"
            counts["slides"] += 1
            section = re.sub(r"[*_`]", "", head[1]) if head else ""
            used = 0.0
        elif used + total > BUDGET and used > 2.5:
            label = f"{html.escape(section)} (continued)" if section else "continued"
            out_cells.append(new_markdown(f'<p class="continued">{label}</p>', f"{first.get('id', 'c')}-cont",
                                          {"slideshow": {"slide_type": "subslide"}}))
            counts["subslides"] += 1
            used = 1.0
        if len(group) > 1 and _is_notice(cells[group[-1]]) and used + total <= BUDGET:
            kinds[-1] = "fragment"
            counts["fragments"] += 1
        used += total
        for i, kind in zip(group, kinds):
            cells[i].metadata["slideshow"] = {"slide_type": kind}
            cells[i].metadata.pop("course_new_slide", None)
            out_cells.append(cells[i])
    nb.cells = out_cells
    return counts


SLIDES_CSS = """
<style type="text/css">
/* course deck (1100 x 720 canvas, scaled by reveal.js): readable prose, figures fit the slide, long slides scroll */
.reveal .slides { text-align: left; }
.reveal .slides section { height: 100%; overflow-y: auto; overflow-x: hidden; box-sizing: border-box; padding: 0 0.3em; }
.reveal .slides > section { overflow: visible; padding: 0; }
.reveal h1, .reveal .jp-RenderedHTMLCommon h1:first-child { font-size: 52px; margin-top: 180px; text-transform: none; }
.reveal h2 { font-size: 36px; text-transform: none; border-bottom: 3px solid #0072B2; padding-bottom: 4px; margin-bottom: 14px; }
.reveal .jp-MarkdownOutput, .reveal .jp-MarkdownOutput p, .reveal .jp-MarkdownOutput li { font-size: 24px; line-height: 1.35; }
.reveal .jp-MarkdownOutput p { margin-bottom: 0.5em; }
.reveal .jp-MarkdownOutput table { font-size: 18px; }
.reveal .jp-MarkdownOutput code { font-size: 20px; }
.reveal .slides img { max-height: 380px !important; width: auto !important; max-width: 100% !important; margin: 4px 0; }
.reveal figure { margin: 0; }
.reveal figcaption { font-size: 16px; color: #333; }
.reveal .jp-OutputArea-output, .reveal .jp-OutputArea-output table { font-size: 15px; }
.reveal .jp-OutputArea-output pre { font-size: 15px; }
.reveal .jp-InputPrompt, .reveal .jp-OutputPrompt { display: none; }
.reveal div.highlight > pre, .reveal .jp-CodeMirrorEditor { font-size: 17px; }
.reveal .continued { font-size: 16px !important; color: #555; font-style: italic; margin: 0 0 6px; }
.reveal .deck-subtitle { font-size: 26px !important; color: #444; }
.reveal .quiz { border-left: 6px solid #0072B2; padding: 4px 16px; }
.reveal .quiz-question { font-weight: normal; }
.reveal .jp-RenderedHTMLCommon ol.quiz-options { list-style-type: upper-alpha; }
.reveal .jupyter-widgets { font-size: 15px; }
.reveal .slide-number { font-size: 14px; }
</style>
"""

SLIDES_TEMPLATE = """{%- extends 'index.html.j2' -%}
{#- course deck: everything local, no MathJax (the lessons carry no LaTeX), no mermaid, no jQuery -#}
{%- block html_head_js_jquery -%}{%- endblock html_head_js_jquery -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}""" + SLIDES_CSS + """{%- endblock html_head_css -%}
{%- block data_widget_view scoped %}
{#- as in lab/base.html.j2, with an id that is the same on every build (not a random uuid) -#}
{% set datatype_list = output.data | filter_data_type %}
{% set datatype = datatype_list[0] %}
{% set div_id = "widget-" ~ cell.id ~ "-" ~ (output.data[datatype].model_id | default('view')) %}
<div id="{{ div_id }}" class="jupyter-widgets jp-OutputArea-output {{ extra_class }}">
<script type="text/javascript">
var element = document.getElementById('{{ div_id }}');
</script>
<script type="{{ datatype }}">
{{ output.data[datatype] | json_dumps | escape_html_script }}
</script>
</div>
{%- endblock data_widget_view -%}
{% block footer_js %}
<script>
require(
    { waitSeconds: 30 },
    ["{{ resources.reveal.url_prefix }}/dist/reveal.js", "{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"],
    function (Reveal, RevealNotes) {
        window.Reveal = Reveal;  /* for the browser tests and the console */
        Reveal.initialize({
            controls: true,
            progress: true,
            hash: true,
            center: false,
            transition: "{{ resources.reveal.transition | default('slide', true) }}",
            slideNumber: "{{ resources.reveal.number | default('c/t', true) }}",
            width: {{ resources.reveal.width | default('1100', true) }},
            height: {{ resources.reveal.height | default('720', true) }},
            plugins: [RevealNotes]
        });
        /* widget views are drawn after start-up: lay the deck out again once they are in */
        window.addEventListener("load", function () { setTimeout(function () { Reveal.layout(); }, 300); });
    }
);
</script>
{% endblock footer_js %}
"""


def slides_exporter(vendor_prefix: str = "vendor"):
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.reveal_url_prefix = f"{vendor_prefix}/reveal.js"
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_transition = "slide"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.reveal_width = "1100"
    c.SlidesExporter.reveal_height = "720"
    c.SlidesExporter.require_js_url = f"{vendor_prefix}/require.js"
    c.SlidesExporter.widget_renderer_url = f"{vendor_prefix}/html-manager/embed-amd.js"
    c.SlidesExporter.jupyter_widgets_base_url = f"{vendor_prefix}/"
    c.SlidesExporter.html_manager_semver_range = "1.0.15"
    # never a CDN, even if a template block above is changed later
    c.SlidesExporter.mathjax_url = ""
    c.SlidesExporter.jquery_url = ""
    c.SlidesExporter.font_awesome_url = ""
    c.SlidesExporter.exclude_anchor_links = True
    c.SlidesExporter.template_file = "course_slides.html.j2"
    return SlidesExporter(config=c, extra_loaders=[DictLoader({"course_slides.html.j2": SLIDES_TEMPLATE})])


def build_deck(path: Path, out_dir: Path, exporter=None, refs=None) -> tuple[Path, dict]:
    """Write out_dir/<stem>.slides.html for one lesson; return the path and a summary."""
    prepared = prepare(read_lesson(path), ".slides.html", refs)
    nb = prepared.nb
    external = prune_notebook_widgets(nb)
    if external:
        prepared.warnings.append(f"widget modules {external} are not in the vendored manager; those views will be empty")
    for i, cell in enumerate(nb.cells):  # a subtitle under the lesson's title
        if cell.cell_type == "markdown" and (heading_of(cell.source) or (0, ""))[0] == 1:
            nb.cells.insert(i + 1, new_markdown(
                f'<p class="deck-subtitle">{html.escape(course_title())} · lesson slides</p>', f"{cell.id}-subtitle"))
            break
    counts = assign_slide_types(nb)
    exporter = exporter or slides_exporter()
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": prepared.title or path.stem}})
    target = out_dir / f"{path.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target, {**counts, "quizzes": len(prepared.quizzes), "warnings": prepared.warnings}


def build_all(selectors: list[str] | None = None, out_dir: Path = ROOT / "_build" / "slides",
              notebooks: Path = NOTEBOOKS, quiet: bool = False) -> list[Path]:
    from vendor_js import vendor_slides  # beside this file (scripts/ is on the path)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    vendor_slides(out_dir / "vendor")
    exporter, refs = slides_exporter(), load_references()
    return build_lessons(lesson_paths(selectors, notebooks), lambda path: build_deck(path, out_dir, exporter, refs),
                         lambda info: (f"{info['slides']} slides, {info['subslides']} sub-slides, "
                                       f"{info['fragments']} fragments, {info['quizzes']} questions"), quiet)


def build_lessons(paths, build_one, summary, quiet: bool = False) -> list[Path]:
    """Build one file per lesson (``build_one(path) -> (target, info)``), printing a line for each (``summary(info)``,
    size and time) and every warning. Shared with scripts/build_handouts.py."""
    built = []
    for path in paths:
        start = time.perf_counter()
        target, info = build_one(path)
        built.append(target)
        if not quiet:
            print(f"{target}: {summary(info)}, {target.stat().st_size / 1e6:.1f} MB, "
                  f"{time.perf_counter() - start:.1f} s")
        for w in info["warnings"]:
            print(f"  warning ({path.name}): {w}", file=sys.stderr)
    return built


def command_line(argv, doc: str, default_out: Path, build_all, done) -> None:
    """The slides' and the handouts' command line: lessons to build (default all) and --out; ``done(n, out,
    seconds)`` is the closing line."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("lessons", nargs="*", help='lessons to build ("03", "03_crosstalk_resistance"); default all')
    parser.add_argument("--out", type=Path, default=default_out, help="output folder")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    built = build_all(args.lessons, args.out)
    print(done(len(built), args.out, time.perf_counter() - start))


def main(argv: list[str] | None = None) -> None:
    command_line(argv, __doc__, ROOT / "_build" / "slides", build_all,
                 lambda n, out, s: f"{n} decks in {out} ({s:.1f} s); open one in a browser, no internet needed "
                                   "(press S for speaker view)")


if __name__ == "__main__":
    main()
