"""The trial comparator (lessons 08-11): a Table 1/2 group, endpoint and source ->
:func:`hrher2.comparators.comparator_data` -> :func:`hrher2.plots.comparator_figure` -> HTML. The view returns strings
and never raises."""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from .. import comparators, plots
from ._common import evidence_table, in_words, missing_tables
from ._common import message as _message

__all__ = ["comparator_view", "trial_comparator"]


_COMPARATOR_COLUMNS = {"trial": "Trial", "cohort": "Cohort", "arm": "Arm", "arm_label": "Regimen", "months": "Months",
                       "status": "If no value", "phase": "Phase", "n": "n", "value_from": "Value from",
                       "table_months": "Table prints", "text_months": "Text prints", "refs": "Review ref."}


@in_words("trial comparator", parts=3)
def comparator_view(results: pd.DataFrame, table_group: str, endpoint: str = "mpfs",
                    source: str = "table") -> tuple[str, str, str]:
    """(figure HTML, table HTML, note HTML). The note lists where text and table disagree for this group."""
    tidy = comparators.comparator_data(results, table_group, endpoint, source)
    caption = (f"{plots.CROSS_TRIAL_CAVEAT} Hatched bars are control arms; * marks a value the text and the table "
               "print differently.")
    fig = plots.comparator_figure(tidy)
    dis = tidy[tidy["differs"]]
    if dis.empty:
        note = "<p>For this group and endpoint, the text and the table agree wherever both print a value.</p>"
    else:
        items = "".join(f"<li>{html.escape(r.trial)} ({html.escape(r.cohort)}), {r.arm} arm: table "
                        f"{r.table_months:g}, text {r.text_months:g}{' (rounding only)' if r.rounding_only else ''}</li>"
                        for r in dis.itertuples())
        note = (f'<div role="note"><p><strong>Text and table disagree here</strong> — flip the source switch to '
                f"see both:</p><ul>{items}</ul></div>")
    return plots.figure_html(fig, plots.comparator_alt(tidy), caption), evidence_table(tidy, _COMPARATOR_COLUMNS), note


def trial_comparator(tables: dict, table_group: str = "ET ± single anti-HER2 therapy", endpoint: str = "mpfs",
                     source: str = "table") -> W.VBox:
    """Pick a Table 1/2 group, an endpoint and the source (table or text); see both arms of each trial side by side."""
    problem = missing_tables(tables, "trial_results")
    if problem:
        return W.VBox([W.HTML(_message(problem))])
    results = tables["trial_results"]
    groups = comparators.table_groups(results)
    note = W.HTML()
    if table_group not in groups:
        note.value = _message(f"No table group called {table_group!r}; showing {groups[0]!r} instead.")
    group_dd = W.Dropdown(options=groups, value=table_group if table_group in groups else groups[0],
                          description="Group", layout=W.Layout(width="28rem"))
    endpoint_tb = W.ToggleButtons(options=[("median PFS", "mpfs"), ("median OS", "mos")],
                                  value=endpoint if endpoint in comparators.MEDIAN_ENDPOINTS else "mpfs",
                                  description="Endpoint")
    source_tb = W.ToggleButtons(options=[("Table 1/2", "table"), ("Text", "text")],
                                value=source if source in comparators.SOURCES else "table", description="Source")
    figure_out, table_out, dis_out = W.HTML(), W.HTML(), W.HTML()

    def redraw(*_):
        figure_out.value, table_out.value, dis_out.value = comparator_view(results, group_dd.value, endpoint_tb.value,
                                                                           source_tb.value)

    for w in (group_dd, endpoint_tb, source_tb):
        w.observe(redraw, names="value")
    redraw()
    return W.VBox([group_dd, endpoint_tb, source_tb, note, dis_out, figure_out, table_out])
