"""Build one printable handout per lesson: _build/handouts/NN_name.handout.html (make handouts).

A handout is the lesson as a reader sees it, laid out for A4 paper:
  - all the prose, and every figure and table at its default state (the committed outputs; a widget is drawn from
    its saved state as static HTML: its figure and table, and the settings shown as text);
  - code hidden (inputs removed), and the Imports section left out;
  - the self-check questions as a worksheet: each question and its lettered options where the lesson shows them,
    and an answer key at the end of the lesson (the right letter and the rationale of every option), both from the
    question bank (data/questions.yaml) that the lesson's `quiz.show("NN")` cell renders;
  - MyST roles become plain text or author-year citations, and the works a lesson cites are listed at its end.
The page loads nothing at all (no script, no web font, no stylesheet from elsewhere): print it from any browser.

Usage: python scripts/build_handouts.py [--out DIR] [LESSON ...]   (LESSON: "03", "03_crosstalk_resistance" or a path)
"""
from __future__ import annotations

import html
from pathlib import Path

from build_slides import (  # shared helpers (scripts/ is on the path)
    NOTEBOOKS, ROOT, WIDGET_VIEW, build_lessons, command_line, course_title, load_references, lesson_paths,
    new_markdown, prepare, read_lesson, widget_state,
)
from hrher2.widget_state import static_widget_page_html


def staticize_widgets(nb) -> int:
    """Replace every widget view output with static HTML drawn from the saved state; drop the state. Returns the
    number of views replaced."""
    state = widget_state(nb)
    replaced = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        new_outputs = []
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                new_outputs.append(out)
                continue
            shown = static_widget_page_html(view.get("model_id", ""), state)
            if not shown:
                continue  # nothing to show without a kernel
            new_outputs.append({"output_type": "display_data", "metadata": {}, "data": {"text/html": shown}})
            replaced += 1
        cell["outputs"] = new_outputs
    nb.metadata.pop("widgets", None)
    return replaced


def references_html(keys: list[str], refs) -> str:
    items = []
    for key in keys:
        ref = refs.get(key)
        if ref is None:
            items.append(f"<li>{html.escape(key)}</li>")
            continue
        where = f" Reference {html.escape(ref.number)} of the review." if ref.number else " The review this course is built on."
        journal = f" <em>{html.escape(ref.journal)}</em>." if ref.journal else ""
        title = ref.title if ref.title.endswith((".", "?", "!")) else f"{ref.title}."
        items.append(f"<li>{html.escape(ref.author)} ({html.escape(ref.year)}). {html.escape(title)}"
                     f"{journal}{where}</li>")
    return '<div class="works-cited"><p><strong>Works cited in this lesson</strong></p><ol>' + "".join(items) + "</ol></div>"


HANDOUT_CSS = """
<style type="text/css">
/* printable handout: A4, no sidebars, no prompts, figures kept whole */
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
:root { --jp-content-font-size1: 11pt; --jp-ui-font-size1: 10pt; --jp-code-font-size: 9pt; }
body.jp-Notebook { max-width: 180mm; margin: 0 auto; padding: 8mm 0; background: #fff; }
.jp-Cell { padding: 0 !important; }
.jp-InputPrompt, .jp-OutputPrompt, .jp-Collapser { display: none !important; }
.jp-OutputArea-output, .jp-RenderedHTMLCommon { padding-left: 0 !important; }
.jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon li { line-height: 1.45; }
.jp-RenderedHTMLCommon h1 { font-size: 20pt; margin-top: 0; }
.jp-RenderedHTMLCommon h2 { font-size: 14pt; border-bottom: 1.5pt solid #0072B2; padding-bottom: 2pt; }
img { max-width: 100% !important; height: auto !important; }
figure { margin: 0 0 6pt 0; }
figcaption { font-size: 9pt; color: #333; }
.jp-OutputArea-output table { font-size: 8.5pt; }
.handout-note, .handout-banner { font-family: var(--jp-content-font-family); font-size: 9pt; color: #444; }
.handout-note { border-top: 0.5pt solid #999; padding-top: 3pt; margin-top: 10mm; }
.handout-banner { margin-bottom: 4mm; }
.widget-settings { font-size: 9pt; font-style: italic; color: #333; margin: 0 0 3pt 0; }
.quiz { border-left: 3pt solid #0072B2; padding: 2pt 8pt; margin: 4pt 0 8pt 0; }
.jp-RenderedHTMLCommon ol.quiz-options { list-style-type: upper-alpha; }
.quiz-options li { margin: 2pt 0; }
.answer-key { break-before: page; page-break-before: always; }
.answer-key li { margin: 1pt 0; }
@media print {
  body.jp-Notebook { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h1, h2, h3 { break-after: avoid-page; page-break-after: avoid; }
  figure, img, .quiz, tr, .static-widget { break-inside: avoid-page; page-break-inside: avoid; }
}
</style>
"""

HANDOUT_TEMPLATE = """{%- extends 'index.html.j2' -%}
{#- handout: no script at all (no require.js, no widget manager, no MathJax, no mermaid) -#}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block html_head_css -%}""" + HANDOUT_CSS + """{%- endblock html_head_css -%}
{%- block body_header -%}
{{ super() }}
<p class="handout-banner">{{ resources.handout_banner }}</p>
{%- endblock body_header -%}
{%- block body_footer -%}
<p class="handout-note">{{ resources.handout_note }}</p>
{{ super() }}
{%- endblock body_footer -%}
"""


def handout_exporter():
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.HTMLExporter.exclude_input = True
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    c.HTMLExporter.exclude_anchor_links = True
    c.HTMLExporter.embed_images = True
    # never a CDN, even if a template block above is changed later
    c.HTMLExporter.require_js_url = ""
    c.HTMLExporter.mathjax_url = ""
    c.HTMLExporter.widget_renderer_url = ""
    c.HTMLExporter.jupyter_widgets_base_url = ""
    c.HTMLExporter.template_name = "lab"
    c.HTMLExporter.template_file = "course_handout.html.j2"
    return HTMLExporter(config=c, extra_loaders=[DictLoader({"course_handout.html.j2": HANDOUT_TEMPLATE})])


def answer_key_html(quizzes) -> str:
    """The answer key of the handout's questions (those from the question bank): for each question the right letter
    and option, then why every option is right or wrong, and the section to revisit."""
    from hrher2 import quiz as quiz_bank

    bank = {q["id"]: q for q in quiz_bank.load_bank().questions}
    items = []
    for n, qz in enumerate(quizzes, 1):
        q = bank.get(qz.qid) if qz.qid else None
        if q is None:
            continue
        right = next(i for i, o in enumerate(q["options"]) if o["correct"])
        reasons = "".join(f"<li>{chr(65 + i)}. {html.escape(o['feedback'])}</li>" for i, o in enumerate(q["options"]))
        items.append(f'<li value="{n}"><strong>{chr(65 + right)}</strong>: {html.escape(q["options"][right]["text"])}'
                     f'<ul>{reasons}<li>Revisit: {html.escape(q["revisit"])}</li></ul></li>')
    if not items:
        return ""
    return f'<div class="answer-key"><h2>Answer key</h2><ol>{"".join(items)}</ol></div>'


def prepare_handout(nb, refs=None):
    """The handout's notebook (a deep copy): see the module docstring. Returns (notebook, Prepared summary)."""
    refs = load_references() if refs is None else refs
    prepared = prepare(nb, ".handout.html", refs)
    nb = prepared.nb
    staticize_widgets(nb)
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and not cell.get("outputs"):
            continue  # code with nothing to show
        cells.append(cell)
        if cell.cell_type == "markdown" and cell.source.lstrip().lower().startswith("## check yourself"):
            cells.append(new_markdown("*The answer key, with the reason each option is right or wrong, is at the end "
                                      "of this handout.*", f"{cell.id}-note"))
    key = answer_key_html(prepared.quizzes)
    if key:
        cells.append(new_markdown(key, "answer-key"))
    if prepared.cited:
        cells.append(new_markdown(references_html(prepared.cited, refs), "works-cited"))
    nb.cells = cells
    return nb, prepared


def build_handout(path: Path, out_dir: Path, exporter=None, refs=None) -> tuple[Path, dict]:
    nb, prepared = prepare_handout(read_lesson(path), refs)
    exporter = exporter or handout_exporter()
    resources = {
        "metadata": {"name": prepared.title or path.stem},
        "handout_banner": f"{course_title()} · printable handout",
        "handout_note": (f"Handout generated from notebooks/{path.name}: the figures show their default views and "
                         "the code is hidden. Every number comes from the course's data tables or names where the "
                         "review prints it. For teaching only; not treatment advice."),
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    target = out_dir / f"{path.stem}.handout.html"
    target.write_text(body, encoding="utf-8")
    return target, {"quizzes": len(prepared.quizzes), "warnings": prepared.warnings}


def build_all(selectors: list[str] | None = None, out_dir: Path = ROOT / "_build" / "handouts",
              notebooks: Path = NOTEBOOKS, quiet: bool = False) -> list[Path]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    exporter, refs = handout_exporter(), load_references()
    return build_lessons(lesson_paths(selectors, notebooks), lambda path: build_handout(path, out_dir, exporter, refs),
                         lambda info: f"{info['quizzes']} questions", quiet)


def main(argv: list[str] | None = None) -> None:
    command_line(argv, __doc__, ROOT / "_build" / "handouts", build_all,
                 lambda n, out, s: f"{n} handouts in {out} ({s:.1f} s); print them from a browser (A4)")


if __name__ == "__main__":
    main()
