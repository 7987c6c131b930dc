"""The provenance explorer (lesson 00): where does the review print a trial's medians?"""
from __future__ import annotations

import ipywidgets as W
import pandas as pd

from .. import plots, trials
from ._common import in_words
from ._common import message as _message

__all__ = ["provenance_explorer", "provenance_view"]

_PROVENANCE_COLUMNS = {"cohort": "Cohort", "printed_in": "Printed in", "location": "Where exactly", "arm": "Arm",
                       "arm_label": "Regimen", "months": "Months", "p": "p", "refs": "Review ref."}


@in_words("provenance explorer")
def provenance_view(results: pd.DataFrame, trial: str, endpoint: str = "mpfs") -> tuple[str, str]:
    """(figure HTML, table HTML) for one trial and endpoint. A bad trial or endpoint gives a message, not an error."""
    tidy = trials.printed_medians(results, trial, endpoint)
    fig = plots.printed_medians_figure(tidy)
    caption = ("Each pair of bars is one place where the review prints the medians; "
               "hatched bars are control arms. Values as printed, with the review's reference numbers below.")
    figure = plots.figure_html(fig, plots.printed_medians_alt(tidy), caption)
    table = tidy[list(_PROVENANCE_COLUMNS)].rename(columns=_PROVENANCE_COLUMNS)
    return figure, table.to_html(index=False, border=0, classes="provenance-table")


def provenance_explorer(results: pd.DataFrame, trial: str = "TAnDEM", endpoint: str = "mos") -> W.VBox:
    """Pick a trial and an endpoint; see every place the review prints its medians, side by side, with sources."""
    endpoint_labels = [(words, key) for key, (*_, words) in trials.ENDPOINTS.items()]
    names = trials.trial_names(results)
    trial_dd = W.Dropdown(options=names, value=trial if trial in names else (names[0] if names else None),
                          description="Trial", layout=W.Layout(width="22rem"))
    endpoint_tb = W.ToggleButtons(options=endpoint_labels, value=endpoint if endpoint in trials.ENDPOINTS else "mpfs",
                                  description="Endpoint", style={"button_width": "15rem"})
    figure_out, table_out = W.HTML(), W.HTML()
    note = W.HTML()

    def redraw(*_):
        figure_out.value, table_out.value = provenance_view(results, trial_dd.value, endpoint_tb.value)

    if trial not in names:
        note.value = _message(f"No trial called {trial!r} in the trial results; showing {trial_dd.value} instead.")
    trial_dd.observe(redraw, names="value")
    endpoint_tb.observe(redraw, names="value")
    redraw()
    return W.VBox([W.HBox([trial_dd]), endpoint_tb, note, figure_out, table_out])
