"""The case explorer (lesson 09): a described patient -> :func:`hrher2.eligibility.case_data` ->
:func:`hrher2.plots.case_figure` -> HTML, always under the framing that it reads evidence and recommends nothing."""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from .. import eligibility, plots
from ._common import ERRORS, evidence_table, in_words, missing_tables
from ._common import message as _message

__all__ = ["case_view", "case_explorer", "CASE_FRAMING"]


#: Shown above every case view.
CASE_FRAMING = ("An exercise in reading evidence, not a recommendation: this asks which studies in the review "
                "enrolled patients like the one described, and what those studies showed. It cannot say what "
                "anyone should be treated with; that depends on far more than four features and on evidence "
                "beyond one review.")

_CASE_TABLE = {"trial": "Study", "overall": "Patients like this?", "line": "Line", "line_source": "Source (line)",
               "prior_anti_her2": "Prior anti-HER2", "prior_source": "Source (prior)", "menopause": "Menopausal status",
               "menopause_source": "Source (menopause)", "showed": "What it showed", "showed_cohort": "Cohort",
               "showed_printed_in": "Printed in", "refs": "Review ref."}


@in_words("case explorer")
def case_view(results: pd.DataFrame, menopause: str = "postmenopausal", visceral: str = "no visceral disease",
              prior_anti_her2: str = "none", line: str = "first-line") -> tuple[str, str]:
    """(figure HTML, table HTML) for a described patient. A contradictory case gives a message in words."""
    case = f"The case: {menopause}, {visceral}, prior anti-HER2 therapy: {prior_anti_her2}, {line}."
    framing = (f'<p role="note"><em>{html.escape(CASE_FRAMING)}</em></p>'
               f'<p><strong>{html.escape(case)}</strong></p>')
    try:
        tidy = eligibility.case_data(results, menopause, visceral, prior_anti_her2, line)
    except ERRORS as exc:
        return framing + _message(str(exc)), ""
    caption = ("Each row is a study the review discusses; each column a feature of the case. The key under the "
               "chart names each mark (hollow marks are inferences; the review never reports visceral disease, so "
               "that column is all dashes). The table below gives the source of every mark and what the study showed.")
    fig = plots.case_figure(tidy)
    return framing + plots.figure_html(fig, plots.case_alt(tidy), caption), evidence_table(tidy, _CASE_TABLE)


def case_explorer(tables: dict) -> W.VBox:
    """Describe a patient with HR+/HER2+ advanced breast cancer; see which studies enrolled patients like this."""
    problem = missing_tables(tables, "trial_results")
    if problem:
        return W.VBox([W.HTML(_message(problem))])
    results = tables["trial_results"]
    labels = {"menopause": "Menopausal status", "visceral": "Visceral disease",
              "prior_anti_her2": "Prior anti-HER2 (advanced)", "line": "Line of therapy"}
    controls = {k: W.Dropdown(options=opts, value=opts[0], description=labels[k], style={"description_width": "12rem"},
                              layout=W.Layout(width="28rem"))
                for k, opts in eligibility.CASE_OPTIONS.items()}
    figure_out, table_out = W.HTML(), W.HTML()

    def redraw(*_):
        figure_out.value, table_out.value = case_view(results, **{k: w.value for k, w in controls.items()})

    for w in controls.values():
        w.observe(redraw, names="value")
    redraw()
    return W.VBox([*controls.values(), figure_out, table_out])
