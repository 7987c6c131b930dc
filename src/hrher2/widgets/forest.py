"""The forest explorer (lessons 08-11): trials, endpoint and place printed -> :func:`hrher2.forest.forest_data`
-> :func:`hrher2.plots.forest_figure` -> HTML. The view returns strings and never raises."""
from __future__ import annotations


import ipywidgets as W
import pandas as pd

from .. import forest, plots
from ._common import evidence_table, in_words, missing_tables
from ._common import message as _message

__all__ = ["forest_view", "forest_explorer"]


_FOREST_COLUMNS = {"label": "Row", "hr": "HR", "low": "95% CI low", "high": "95% CI high", "n": "n",
                   "n_from": "n from", "location": "Where printed", "refs": "Review ref.", "errata": "Errata"}


@in_words("forest plot")
def forest_view(results: pd.DataFrame, trials=None, endpoint: str = "pfs", printed_in: str | None = None,
                errata: pd.DataFrame | None = None) -> tuple[str, str]:
    """(figure HTML, table HTML) of the forest plot. ``printed_in``: None/'all', 'Table' or 'Text'."""
    where = None if printed_in in (None, "all") else printed_in
    tidy = forest.forest_data(results, trials=trials or None, endpoint=endpoint, printed_in=where, errata=errata)
    shown = list(dict.fromkeys(tidy["trial"]))
    missing = [t for t in (trials or []) if t not in shown]
    state = (f"Showing {len(tidy)} {endpoint.upper()} hazard ratio(s) from {', '.join(shown) or 'no trial'}, "
             f"printed in {'tables and text' if where is None else where.lower() + 's' if where == 'Table' else 'the text'}."
             + (f" No {endpoint.upper()} hazard ratio is printed for {', '.join(missing)}." if missing else ""))
    caption = (state + " Squares are hazard ratios, whiskers their 95% confidence intervals, on a log scale; left of "
               "the line at 1 favours the experimental arm. Hollow squares: the interval crosses 1.")
    fig = plots.forest_figure(tidy)
    return plots.figure_html(fig, plots.forest_alt(tidy), caption), evidence_table(tidy, _FOREST_COLUMNS)


def forest_explorer(tables: dict, trials=None, endpoint: str = "pfs") -> W.VBox:
    """Choose the endpoint, where the value is printed, and which trials; see their hazard ratios side by side."""
    note = W.HTML(_message(missing_tables(tables, "trial_results")) if missing_tables(tables, "trial_results") else "")
    results = tables.get("trial_results", pd.DataFrame(columns=["trial"]))
    errata = tables.get("errata")
    hr_cols = [c for c in ("pfs_hr", "os_hr") if c in results.columns]
    names = list(dict.fromkeys(results.loc[results[hr_cols].notna().any(axis=1), "trial"])) if hr_cols else []
    chosen = [t for t in (trials or names) if t in names]
    if trials and len(chosen) < len(trials):
        bad = [t for t in trials if t not in names]
        note.value = _message(f"No hazard ratio printed for {', '.join(bad)}; showing the others.")
    endpoint_tb = W.ToggleButtons(options=[("PFS", "pfs"), ("OS", "os")],
                                  value=endpoint if endpoint in forest.HR_ENDPOINTS else "pfs", description="Endpoint")
    where_tb = W.ToggleButtons(options=[("all", "all"), ("tables", "Table"), ("text", "Text")], value="all",
                               description="Printed in")
    trials_sm = W.SelectMultiple(options=names, value=tuple(chosen or names), description="Trials", rows=min(6, len(names) or 1))
    figure_out, table_out = W.HTML(), W.HTML()

    def redraw(*_):
        if not trials_sm.value:
            figure_out.value, table_out.value = _message("Choose at least one trial."), ""
            return
        figure_out.value, table_out.value = forest_view(results, list(trials_sm.value), endpoint_tb.value,
                                                        where_tb.value, errata)

    for w in (endpoint_tb, where_tb, trials_sm):
        w.observe(redraw, names="value")
    redraw()
    return W.VBox([W.HBox([trials_sm, W.VBox([endpoint_tb, where_tb])]), note, figure_out, table_out])
