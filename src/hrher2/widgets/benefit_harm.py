"""Benefit against harm (lesson 09): ticked trials -> :func:`hrher2.benefit_harm.benefit_harm` ->
:func:`hrher2.plots.benefit_harm_figure` -> HTML. The view returns strings and never raises."""
from __future__ import annotations


import ipywidgets as W
import pandas as pd

from .. import benefit_harm as bh
from .. import plots
from ._common import ERRORS, evidence_table, in_words, missing_tables
from ._common import message as _message

__all__ = ["benefit_harm_view", "benefit_harm"]


_BH_COLUMNS = {"trial": "Trial", "arm_exp": "Experimental arm", "arm_ctrl": "Control arm", "mpfs_exp": "mPFS exp.",
               "mpfs_ctrl": "mPFS ctrl", "mpfs_gain": "mPFS gain (months)", "ae_endpoint": "Severe AEs",
               "ae_exp": "AE % exp.", "ae_ctrl": "AE % ctrl", "printed_in": "Printed in", "refs": "Review ref."}


@in_words("benefit-against-harm chart")
def benefit_harm_view(results: pd.DataFrame, outcomes: pd.DataFrame, trials=None) -> tuple[str, str]:
    """(figure HTML, table HTML) for the trials that print both a PFS gain and severe-AE rates for both arms."""
    tidy = bh.benefit_harm(results, outcomes)
    if trials:
        unknown = [t for t in trials if t not in set(tidy["trial"])]
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: no median PFS gain with severe-AE rates for both arms. "
                             f"Trials that have both: {', '.join(tidy['trial'])}.")
        without = tidy.attrs.get("without_numbers", [])
        tidy = tidy[tidy["trial"].isin(trials)].reset_index(drop=True)
        tidy.attrs["without_numbers"] = without
    without = tidy.attrs.get("without_numbers") or []
    caption = ("Circles: experimental arm; squares: control arm. Left, median PFS; right, the share of patients "
               "with severe (grade ≥3 or 3–4) adverse events, as printed in the text."
               + (f" Not shown (no numbers for both arms): {', '.join(without)}." if without else ""))
    fig = plots.benefit_harm_figure(tidy)
    return plots.figure_html(fig, plots.benefit_harm_alt(tidy), caption), evidence_table(tidy, _BH_COLUMNS)


def benefit_harm(tables: dict) -> W.VBox:
    """Tick the trials to compare; see each one's PFS gain beside its severe-AE rates."""
    problem = missing_tables(tables, "trial_results", "other_outcomes")
    if problem:
        return W.VBox([W.HTML(_message(problem))])
    results, outcomes = tables["trial_results"], tables["other_outcomes"]
    try:
        names = list(bh.benefit_harm(results, outcomes)["trial"])
    except ERRORS as exc:
        return W.VBox([W.HTML(_message(str(exc)))])
    boxes = [W.Checkbox(value=True, description=n, indent=False, layout=W.Layout(width="12rem")) for n in names]
    figure_out, table_out, note = W.HTML(), W.HTML(), W.HTML()

    def redraw(*_):
        chosen = [b.description for b in boxes if b.value]
        if not chosen:
            note.value = _message("Tick at least one trial.")
            figure_out.value, table_out.value = "", ""
            return
        note.value = ""
        figure_out.value, table_out.value = benefit_harm_view(results, outcomes, chosen)

    for b in boxes:
        b.observe(redraw, names="value")
    redraw()
    return W.VBox([W.HBox(boxes), note, figure_out, table_out])
