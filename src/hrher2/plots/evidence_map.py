"""Draw the evidence map and the cohort-coverage bars (lessons 01, 12) from :mod:`hrher2.evidence_map`.

The evidence map colours a study by where the review prints it (a table or only the text); text labels and hatches
carry the meaning too.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from ..palette import OKABE_ITO, PATHWAY, PRINTED_IN
from ._common import alt_text, empty_figure
from ._common import wrap as _wrap

__all__ = ["evidence_map_title", "evidence_map_alt", "evidence_map_figure", "cohort_coverage_title",
           "cohort_coverage_alt", "cohort_coverage_figure"]

#: Neutral ink for "other populations" in the coverage figure (Okabe–Ito black, drawn light): not a drug family.
_NEUTRAL = OKABE_ITO["black"]


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
        return empty_figure(Figure(figsize=(width, 1.6), dpi=100, layout="constrained"), evidence_map_title(tidy),
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
        return empty_figure(fig, cohort_coverage_title(tidy), "No study.")
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
