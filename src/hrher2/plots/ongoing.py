"""Draw the ongoing-trials map (lesson 12), the evidence map (lessons 01 and 12) and the cohort-coverage bars (lesson 01).

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state). Colours come from
:mod:`hrher2.palette`: drug classes keep their fixed colours, and the evidence map colours a study by where the
review prints it (a table or only the text). Meaning never depends on colour alone: filled squares, text labels and
hatches carry it too.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from .. import ongoing_trials as _og
from ..palette import DRUG_CLASS, OKABE_ITO, PATHWAY, PRINTED_IN
from ._common import alt_text
from ._common import wrap as _wrap

__all__ = ["CLASS_COLOURS", "ongoing_map_title", "ongoing_map_alt", "ongoing_map_figure", "evidence_map_title",
           "evidence_map_alt", "evidence_map_figure", "cohort_coverage_title", "cohort_coverage_alt",
           "cohort_coverage_figure"]

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
#: Neutral ink for "other populations" in the coverage figure (Okabe–Ito black, drawn light): not a drug family.
_NEUTRAL = OKABE_ITO["black"]


def _empty(fig: Figure, title: str, words: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11, loc="left")
    ax.text(0.5, 0.5, words, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


# ---------------------------------------------------------------------------------------------------------------
# Ongoing trials: trials x drug classes
# ---------------------------------------------------------------------------------------------------------------
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
        return _empty(Figure(figsize=(width, 1.6), dpi=100, layout="constrained"), ongoing_map_title(trials),
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


# ---------------------------------------------------------------------------------------------------------------
# Evidence map: table group x design/phase
# ---------------------------------------------------------------------------------------------------------------
def _source_colour(source: str) -> str:
    return PRINTED_IN["Text"] if source == "Text only" else PRINTED_IN["Table 1"]


def evidence_map_title(tidy: pd.DataFrame) -> str:
    """A title that states the shape of the evidence: how much is randomized phase III, how much prints OS."""
    if tidy.empty:
        return "No published study to map"
    total = int(tidy["n_trials"].sum())
    r3 = int(tidy.loc[tidy["design_phase"] == "randomized · III", "n_trials"].sum())
    os_n = int(tidy["n_os_median"].sum())
    return (f"{r3} of the {total} published studies are randomized phase III as printed; "
            f"{os_n} print a median overall survival")


def evidence_map_alt(tidy: pd.DataFrame) -> str:
    """Alt text generated from the data: each group, its design/phase cells and the trials in them."""
    def cell(r) -> str:
        os_part = f"; median OS printed for {r.trials_os_median.replace(';', ', ')}" if r.n_os_median else ""
        return f"{r.table_group} ({r.source}), {r.design_phase}: {r.trials.replace(';', ', ')}{os_part}."

    return alt_text("Grid of study groups (rows) by design and phase (columns)", evidence_map_title(tidy),
                    None if tidy.empty else [cell(r) for r in tidy.itertuples()])


def evidence_map_figure(tidy: pd.DataFrame, width: float = 10.5) -> Figure:
    """Each cell names the studies of one group (row) with one design and printed phase (column); an asterisk marks
    a study for which the review prints a median overall survival. Cell colour: printed in a table or only in the
    text."""
    if tidy.empty:
        return _empty(Figure(figsize=(width, 1.6), dpi=100, layout="constrained"), evidence_map_title(tidy),
                      "No study.")
    groups = [g for g in tidy.attrs.get("groups", list(dict.fromkeys(tidy["table_group"])))
              if g in set(tidy["table_group"])]
    cols = tidy.attrs.get("design_phases", list(dict.fromkeys(tidy["design_phase"])))
    height = 1.9 + 0.52 * len(groups)
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(evidence_map_title(tidy), fontsize=11, loc="left")
    for r in tidy.itertuples():
        x, y = cols.index(r.design_phase), -groups.index(r.table_group)
        colour = _source_colour(r.source)
        ax.add_patch(Rectangle((x - 0.47, y - 0.44), 0.94, 0.88, facecolor=colour, alpha=0.35,
                               edgecolor=colour, lw=1, hatch="//" if r.source == "Text only" else None))
        os_set = set(r.trials_os_median.split(";")) if r.trials_os_median else set()
        names = [t + ("*" if t in os_set else "") for t in r.trials.split(";")]
        ax.text(x, y, "\n".join(_wrap(n, 22) for n in names), ha="center", va="center", fontsize=7.5,
                linespacing=1.05)
    ylabels = ["cited only in the text" if g == "text only"
               else f"{g}\n({tidy.loc[tidy['table_group'] == g, 'source'].iloc[0]})" for g in groups]
    ax.set_yticks([-i for i in range(len(groups))], ylabels, fontsize=8)
    ax.set_xticks(range(len(cols)), [c.replace(" · ", "\nphase ") if c != "real-world" else c for c in cols],
                  fontsize=8.5)
    ax.xaxis.set_ticks_position("top")
    ax.tick_params(length=0)
    ax.set_xlim(-0.55, len(cols) - 0.45)
    ax.set_ylim(-len(groups) + 0.45, 0.55)
    ax.spines[:].set_visible(False)
    ax.legend(handles=[Patch(facecolor=PRINTED_IN["Table 1"], alpha=0.35, edgecolor=PRINTED_IN["Table 1"],
                             label="in Table 1 or 2"),
                       Patch(facecolor=PRINTED_IN["Text"], alpha=0.35, edgecolor=PRINTED_IN["Text"], hatch="//",
                             label="only in the text")],
              fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(0.0, -0.01), ncol=2,
              title="* median overall survival printed", title_fontsize=8, alignment="left")
    return fig


# ---------------------------------------------------------------------------------------------------------------
# Cohort coverage: which populations the review prints results for
# ---------------------------------------------------------------------------------------------------------------
def cohort_coverage_title(tidy: pd.DataFrame) -> str:
    total = tidy.attrs.get("n_trials", 0)
    if tidy.empty or not total:
        return "No study to count"
    sub = int(tidy.loc[tidy["is_subtype"], "n_trials"].sum())
    return f"{sub} of {total} studies print a result for HR+/HER2+ patients on their own"


def cohort_coverage_alt(tidy: pd.DataFrame) -> str:
    return alt_text("Horizontal bar chart", cohort_coverage_title(tidy),
                    [f"{r.population}: {r.n_trials} studies." for r in tidy.itertuples()])


def cohort_coverage_figure(tidy: pd.DataFrame, width: float = 8.0, height: float = 3.2) -> Figure:
    """Bars: number of studies with at least one printed result per population; HR+/HER2+ in the ER-pathway blue."""
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    if tidy.empty:
        return _empty(fig, cohort_coverage_title(tidy), "No study.")
    ax = fig.add_subplot()
    ax.set_title(cohort_coverage_title(tidy), fontsize=10.5, loc="left")
    ys = list(range(len(tidy)))[::-1]
    colours = [PATHWAY["ER pathway"] if s else _NEUTRAL for s in tidy["is_subtype"]]
    bars = ax.barh(ys, tidy["n_trials"], color=colours, alpha=1.0, height=0.6)
    for bar, sub in zip(bars, tidy["is_subtype"]):
        if not sub:
            bar.set_alpha(0.35)
    ax.bar_label(bars, fmt="%d", padding=3, fontsize=9)
    ax.set_yticks(ys, tidy["population"], fontsize=9)
    ax.set_xlabel(f"number of studies (of {tidy.attrs.get('n_trials', '?')}) with at least one printed result")
    ax.set_xlim(0, max(tidy["n_trials"].max(), 1) * 1.15)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
