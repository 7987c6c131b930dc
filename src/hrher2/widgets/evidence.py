"""The evidence widgets (lessons 08-11): forest explorer, trial comparator, benefit against harm, case explorer.

Each widget is thin: controls -> a pure ``*_view(...)`` (compute with :mod:`hrher2.forest`,
:mod:`hrher2.comparators`, :mod:`hrher2.benefit_harm` and :mod:`hrher2.eligibility`, draw with :mod:`hrher2.plots`)
-> HTML. The views return strings and never raise: impossible input becomes a message in words.
"""
from __future__ import annotations

import html

import ipywidgets as W
import pandas as pd

from .. import benefit_harm as bh
from .. import comparators, eligibility, forest, plots
from ..data import DataError
from ._common import in_words
from ._common import message as _message

__all__ = ["forest_view", "forest_explorer", "comparator_view", "trial_comparator", "benefit_harm_view",
           "benefit_harm", "case_view", "case_explorer", "CASE_FRAMING"]

_ERRORS = (ValueError, DataError)  # a KeyError (a missing column) is named by @in_words


def _table(frame: pd.DataFrame, columns: dict) -> str:
    """An evidence table as HTML. A column of long text gets a minimum width (``col_space``, a min-width on its
    header), so its cells wrap to a few lines rather than to a word or two a line in a table many screens long."""
    shown = frame[list(columns)].rename(columns=columns)
    longest = {c: int(shown[c].astype("string").fillna("").str.len().max() or 0) for c in shown.columns}
    space = {c: ("18em" if n > 80 else "11em" if n > 30 else None) for c, n in longest.items()}
    return shown.to_html(index=False, border=0, classes="evidence-table", na_rep="",
                         col_space={c: w for c, w in space.items() if w} or None)


def _need(tables: dict, *names: str) -> str | None:
    missing = [n for n in names if n not in tables]
    return f"The tables passed in have no {', '.join(missing)} table (use data.load_all())." if missing else None


# ------------------------------------------------------------------------------------------------ forest
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
    return plots.figure_html(fig, plots.forest_alt(tidy), caption), _table(tidy, _FOREST_COLUMNS)


def forest_explorer(tables: dict, trials=None, endpoint: str = "pfs") -> W.VBox:
    """Choose the endpoint, where the value is printed, and which trials; see their hazard ratios side by side."""
    note = W.HTML(_message(_need(tables, "trial_results")) if _need(tables, "trial_results") else "")
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


# -------------------------------------------------------------------------------------------- comparator
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
    return plots.figure_html(fig, plots.comparator_alt(tidy), caption), _table(tidy, _COMPARATOR_COLUMNS), note


def trial_comparator(tables: dict, table_group: str = "ET ± single anti-HER2 therapy", endpoint: str = "mpfs",
                     source: str = "table") -> W.VBox:
    """Pick a Table 1/2 group, an endpoint and the source (table or text); see both arms of each trial side by side."""
    problem = _need(tables, "trial_results")
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


# -------------------------------------------------------------------------------------- benefit and harm
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
    return plots.figure_html(fig, plots.benefit_harm_alt(tidy), caption), _table(tidy, _BH_COLUMNS)


def benefit_harm(tables: dict) -> W.VBox:
    """Tick the trials to compare; see each one's PFS gain beside its severe-AE rates."""
    problem = _need(tables, "trial_results", "other_outcomes")
    if problem:
        return W.VBox([W.HTML(_message(problem))])
    results, outcomes = tables["trial_results"], tables["other_outcomes"]
    try:
        names = list(bh.benefit_harm(results, outcomes)["trial"])
    except _ERRORS as exc:
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


# ------------------------------------------------------------------------------------------------- cases
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
    except _ERRORS as exc:
        return framing + _message(str(exc)), ""
    caption = ("Each row is a study the review discusses; each column a feature of the case. The key under the "
               "chart names each mark (hollow marks are inferences; the review never reports visceral disease, so "
               "that column is all dashes). The table below gives the source of every mark and what the study showed.")
    fig = plots.case_figure(tidy)
    return framing + plots.figure_html(fig, plots.case_alt(tidy), caption), _table(tidy, _CASE_TABLE)


def case_explorer(tables: dict) -> W.VBox:
    """Describe a patient with HR+/HER2+ advanced breast cancer; see which studies enrolled patients like this."""
    problem = _need(tables, "trial_results")
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
