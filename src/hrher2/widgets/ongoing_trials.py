"""The ongoing-trials explorer (lesson 12): filter Table 3 by drug class, phase and status; see the map and the rows."""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from .. import ongoing_trials as og
from .. import plots
from ._common import in_words
from ._common import message as _message

__all__ = ["ongoing_view", "ongoing_explorer", "ongoing_table_html"]

_TABLE_COLUMNS = {"nct_id": "NCT id", "title": "Title (as printed)", "phase": "Phase", "status": "Status",
                  "intervention": "Intervention (as printed)"}
_CAPTION = ("Rows: ongoing trials from Table 3, under Table 3's strategy headings; a filled square means the "
            "intervention contains that drug class. Phase and status as printed in Table 3.")


def ongoing_table_html(trials: pd.DataFrame) -> str:
    """The selected Table 3 rows as an HTML table (NCT id, title as printed, phase, status, intervention)."""
    table = trials[list(_TABLE_COLUMNS)].rename(columns=_TABLE_COLUMNS)
    return table.to_html(index=False, border=0, classes="ongoing-table")


@in_words("ongoing-trials map")
def ongoing_view(ongoing: pd.DataFrame, classes=None, phases=None, statuses=None, match: str = "any") -> tuple[str, str]:
    """(figure HTML, table HTML) for the chosen filters. ``None`` means all; an empty selection, an unknown value or a
    filter that leaves no trial gives a message in words, never an exception."""
    for chosen, what in ((classes, "drug class"), (phases, "phase"), (statuses, "status")):
        if chosen is not None and not isinstance(chosen, str) and len(list(chosen)) == 0:
            return _message(f"No {what} is selected: choose at least one (hold Ctrl or Cmd to pick several)."), ""
    trials = og.filter_trials(ongoing, classes, phases, statuses, match)
    if trials.empty:
        def said(chosen, word):
            return "any " + word if chosen is None else ", ".join([chosen] if isinstance(chosen, str) else list(chosen))
        joined = "all of" if match == "all" else "any of"
        return _message(f"No ongoing trial in Table 3 has {joined} {said(classes, 'class')}, phase {said(phases, 'phase')} "
                        f"and status {said(statuses, 'status')} together: widen one of the filters"
                        + (" (or match 'any' class instead of 'all')." if match == "all" else ".")), ""
    fig = plots.ongoing_map_figure(trials)
    def said(chosen, word):
        return f"every {word}" if chosen is None else ", ".join([chosen] if isinstance(chosen, str) else list(chosen))
    state = (f"Showing {len(trials)} of {len(ongoing)} trials: {'any' if match == 'any' else 'all'} of the classes "
             f"{said(classes, 'class')}; phase {said(phases, 'phase')}; status {said(statuses, 'status')}. ")
    figure = plots.figure_html(fig, plots.ongoing_map_alt(trials), state + _CAPTION)
    return figure, ongoing_table_html(trials)


def _valid(chosen, known: list[str], what: str, notes: list[str]) -> list[str]:
    if chosen is None:
        return list(known)
    chosen = [chosen] if isinstance(chosen, str) else list(chosen)
    bad = [c for c in chosen if c not in known]
    if bad:
        notes.append(f"Unknown {what} {', '.join(repr(b) for b in bad)} ignored; choose from {', '.join(known)}.")
    good = [c for c in chosen if c in known]
    return good or list(known)


def ongoing_explorer(tables: dict, classes=None, phases=None, statuses=None) -> W.VBox:
    """Multi-select filters for drug class, phase and status (default: everything), a class-matching toggle, then the
    trials x drug-class map and the matching Table 3 rows."""
    ongoing = tables.get("ongoing_trials") if isinstance(tables, dict) else None
    if not isinstance(ongoing, pd.DataFrame):
        return W.VBox([W.HTML(_message("The tables have no 'ongoing_trials' table: load them with "
                                       "data.load_all()."))])
    notes: list[str] = []
    cls_sel = W.SelectMultiple(options=og.CLASSES, value=_valid(classes, og.CLASSES, "drug class", notes),
                               rows=len(og.CLASSES), description="Drug class", layout=W.Layout(width="22rem"))
    ph_sel = W.SelectMultiple(options=og.PHASES, value=_valid(phases, og.PHASES, "phase", notes),
                              rows=len(og.PHASES), description="Phase", layout=W.Layout(width="17rem"))
    st_sel = W.SelectMultiple(options=og.STATUSES, value=_valid(statuses, og.STATUSES, "status", notes),
                              rows=len(og.STATUSES), description="Status", layout=W.Layout(width="19rem"))
    match_tb = W.ToggleButtons(options=[("any chosen class", "any"), ("all chosen classes", "all")], value="any",
                               description="Trials with", style={"button_width": "10rem"})
    note = W.HTML(_message(" ".join(notes)) if notes else "")
    figure_out, table_out = W.HTML(), W.HTML()

    def redraw(*_):
        figure_out.value, table_out.value = ongoing_view(ongoing, list(cls_sel.value), list(ph_sel.value),
                                                         list(st_sel.value), match_tb.value)

    for control in (cls_sel, ph_sel, st_sel, match_tb):
        control.observe(redraw, names="value")
    redraw()
    hint = W.HTML("<p><em>Hold Ctrl (Cmd on a Mac) to select several values in a list.</em></p>"
                  f"<p>{html.escape(str(len(ongoing)))} trials in Table 3.</p>")
    return W.VBox([W.HBox([cls_sel, ph_sel, st_sel]), match_tb, hint, note, figure_out, table_out])
