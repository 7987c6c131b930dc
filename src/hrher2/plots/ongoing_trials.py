"""Draw the ongoing-trials map (lesson 12) from :mod:`hrher2.ongoing_trials`: Table 3's trials by the drug classes
they combine, with phase and status as printed.

Drug classes keep the palette's fixed colours; a filled square, not colour alone, says a class is present.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from .. import ongoing_trials as _og
from ..palette import DRUG_CLASS
from ._common import alt_text, empty_figure

__all__ = ["CLASS_COLOURS", "ongoing_map_title", "ongoing_map_alt", "ongoing_map_figure"]

#: Table 3's drug classes mapped onto the palette's fixed drug-family colours (OFS is endocrine therapy).
CLASS_COLOURS = {
    "anti-HER2 antibody": DRUG_CLASS["antibody"],
    "anti-HER2 TKI": DRUG_CLASS["TKI"],
    "anti-HER2 ADC": DRUG_CLASS["ADC"],
    "ET": DRUG_CLASS["endocrine"],
    "ovarian function suppression": DRUG_CLASS["endocrine"],
    "CDK4/6 inhibitor": DRUG_CLASS["CDK4/6 inhibitor"],
    "PI3K inhibitor": DRUG_CLASS["PI3K/AKT/mTOR inhibitor"],
    "chemotherapy": DRUG_CLASS["chemotherapy"],
}
_CLASS_SHORT = {"anti-HER2 antibody": "anti-HER2\nantibody", "anti-HER2 TKI": "anti-HER2\nTKI",
                "anti-HER2 ADC": "anti-HER2\nADC", "ET": "ET", "ovarian function suppression": "OFS",
                "CDK4/6 inhibitor": "CDK4/6\ninhibitor", "PI3K inhibitor": "PI3K\ninhibitor",
                "chemotherapy": "chemo-\ntherapy"}


def ongoing_map_title(trials: pd.DataFrame) -> str:
    """A title that states what the selected ongoing trials combine."""
    if trials.empty:
        return "No ongoing trial in Table 3 matches these filters"
    s = _og.map_summary(trials)
    if s["n"] == 1:
        return f"1 ongoing trial shown: {_og.trial_label(trials.iloc[0])}"
    return (f"{s['et_her2']} of {s['n']} ongoing trials shown pair anti-HER2 therapy with ET; "
            f"{s['chemo_free']} include no chemotherapy")


def ongoing_map_alt(trials: pd.DataFrame) -> str:
    """Alt text generated from the data: every trial's classes, phase and status."""
    title = ongoing_map_title(trials)
    if trials.empty:
        return alt_text("Grid of ongoing trials (rows) by drug class (columns)", title)
    matrix = _og.class_matrix(trials)
    present = {r["nct_id"]: ", ".join(c for c in _og.CLASSES if matrix.loc[r["nct_id"], c]) for _, r in trials.iterrows()}
    return alt_text("Grid of ongoing trials (rows) by drug class (columns)", title,
                    [f"{_og.trial_label(r)}, phase {r['phase']}, {r['status']}: {present[r['nct_id']]}."
                     for _, r in trials.iterrows()])


def ongoing_map_figure(trials: pd.DataFrame, width: float = 10.5) -> Figure:
    """Rows: the selected Table 3 trials, grouped under Table 3's strategy rows. Columns: drug classes (a filled
    square where the intervention contains the class), then phase and status as printed."""
    if trials.empty:
        return empty_figure(Figure(figsize=(width, 1.6), dpi=100, layout="constrained"), ongoing_map_title(trials),
                      "Widen the filters to see trials.")
    matrix = _og.class_matrix(trials)
    # one line per strategy header, then one per trial
    lines: list[tuple[str, object]] = []
    for strategy, g in trials.groupby("strategy", sort=False):
        lines.append(("header", strategy))
        lines += [("trial", r) for _, r in g.iterrows()]
    height = 1.6 + 0.27 * len(lines)
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(ongoing_map_title(trials), fontsize=11, loc="left")
    n_cls = len(_og.CLASSES)
    x_phase, x_status = n_cls + 0.35, n_cls + 2.1
    labels, ys, filled, empty = [], [], [], []
    for i, (kind, item) in enumerate(lines):
        y = -i
        if kind == "header":
            ax.text(-0.5, y, item, fontsize=8.5, style="italic", fontweight="bold", va="center", ha="left")
            if i:
                ax.axhline(y + 0.5, color="#BBBBBB", lw=0.6)
            continue
        r = item
        labels.append(_og.trial_label(r))
        ys.append(y)
        for j, cls in enumerate(_og.CLASSES):
            if matrix.loc[r["nct_id"], cls]:
                filled.append((j, y, CLASS_COLOURS[cls]))
            else:
                empty.append((j, y))
        ax.text(x_phase, y, r["phase"].replace(" (real-world study)", " (real-world)"), fontsize=8.5, va="center")
        ax.text(x_status, y, r["status"], fontsize=8.5, va="center")
    # two collections instead of one artist per cell: the widget redraws faster
    if filled:
        xs, yy, cs = zip(*filled)
        ax.scatter(xs, yy, marker="s", s=150, c=list(cs), edgecolors="white", linewidths=0.8)
    if empty:
        xs, yy = zip(*empty)
        ax.scatter(xs, yy, marker=".", s=6, c="#BBBBBB")
    ax.set_yticks(ys, labels, fontsize=8.5)
    ax.set_xticks(list(range(n_cls)) + [x_phase + 0.4, x_status + 0.6],
                  [_CLASS_SHORT[c] for c in _og.CLASSES] + ["Phase", "Status"], fontsize=8)
    ax.xaxis.set_ticks_position("top")
    ax.tick_params(length=0)
    ax.set_xlim(-0.6, x_status + 2.2)
    ax.set_ylim(-len(lines) + 0.4, 0.6)
    ax.spines[:].set_visible(False)
    return fig
