"""Draw the case grid (lesson 09) from :func:`hrher2.eligibility.case_data`: each study against the described
case's features, with a verdict per criterion."""
from __future__ import annotations


import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..palette import OKABE_ITO
from ._common import alt_text, empty_figure, new_figure, wrap_title

__all__ = ["case_title", "case_figure", "case_alt", "VERDICT_STYLE"]

#: verdict -> (marker, filled?, colour, size). Fixed meanings used here only (Okabe-Ito): a match is bluish green,
#: no match vermillion, "the review is unclear" reddish purple; hollow markers mark an inference.
VERDICT_STYLE = {
    "matches": ("o", True, OKABE_ITO["bluish_green"], 9),
    "matches (inferred)": ("o", False, OKABE_ITO["bluish_green"], 9),
    "the review does not say": ("_", True, OKABE_ITO["black"], 9),
    "not given for this patient": (".", True, OKABE_ITO["black"], 5),
    "the review is unclear": ("D", True, OKABE_ITO["reddish_purple"], 7),
    "probably does not match (inferred)": ("X", False, OKABE_ITO["vermillion"], 9),
    "does not match": ("X", True, OKABE_ITO["vermillion"], 10),
}
_HR_STYLE = {"yes": ("o", True, OKABE_ITO["bluish_green"], 9),
             "HER2+ only": ("s", False, OKABE_ITO["black"], 8),
             "HER2-low": ("X", True, OKABE_ITO["vermillion"], 10)}

_CASE_COLS = [("hr_her2_result", "HR+/HER2+\nresult shown"), ("line", "line of\ntherapy"),
              ("prior_anti_her2", "prior\nanti-HER2"), ("menopause", "menopausal\nstatus"),
              ("visceral", "visceral\ndisease")]


def case_title(tidy: pd.DataFrame) -> str:
    if tidy.empty:
        return "No study to compare with this case"
    k = int(tidy["overall"].str.startswith("enrolled").sum())
    unknown = int((tidy["overall"] == "cannot tell from the review").sum())
    return (f"{k} of {len(tidy)} studies enrolled patients like this, as far as the review says;\n"
            f"for {unknown} more the review does not say enough to tell")


def case_alt(tidy: pd.DataFrame) -> str:
    return alt_text("Grid of studies against the case's features", case_title(tidy),
                    None if tidy.empty else [f"{r.trial}: {r.overall} (line: {r.line}; prior anti-HER2: "
                                             f"{r.prior_anti_her2}; menopausal status: {r.menopause}; visceral "
                                             f"disease: {r.visceral}; HR+/HER2+ result: {r.hr_her2_result})."
                                             for r in tidy.itertuples()])


def _hr_key(value: str) -> str:
    return "yes" if value == "yes" else "HER2-low" if value.startswith("HER2-low") else "HER2+ only"


def case_figure(tidy: pd.DataFrame, width: float = 8.0) -> Figure:
    """A grid: one row per study, one column per feature of the case; one marker per verdict (legend below)."""
    fig = new_figure(width, 2.2 + 0.27 * max(len(tidy), 1))
    if tidy.empty:
        return empty_figure(fig, case_title(tidy))
    ax = fig.add_subplot()
    n = len(tidy)
    ys = list(range(n, 0, -1))
    cells: dict[tuple, tuple[list, list]] = {}
    for j, (col, _) in enumerate(_CASE_COLS):
        for y, value in zip(ys, tidy[col]):
            style = _HR_STYLE[_hr_key(value)] if col == "hr_her2_result" else VERDICT_STYLE[value]
            xs_ys = cells.setdefault(style, ([], []))
            xs_ys[0].append(j)
            xs_ys[1].append(y)
    for (marker, filled, colour, size), (xs, yv) in cells.items():
        ax.plot(xs, yv, ls="none", marker=marker, ms=size, mec=colour, mew=1.8,
                mfc=colour if filled else "white")
    for y, overall in zip(ys, tidy["overall"]):
        if overall.startswith("enrolled"):
            ax.axhspan(y - 0.5, y + 0.5, color=OKABE_ITO["bluish_green"], alpha=0.12, lw=0)
    ax.set_xlim(-0.5, len(_CASE_COLS) - 0.5)
    ax.set_ylim(0.5, n + 0.5)
    ax.set_xticks(range(len(_CASE_COLS)), [w for _, w in _CASE_COLS], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(ys, [f"{t} — {o}" for t, o in zip(tidy["trial"], tidy["overall"])], fontsize=7.5)
    ax.tick_params(length=0)
    for sp in ax.spines.values():
        sp.set_visible(False)
    handles = [Line2D([], [], ls="none", marker=m, ms=sz, mec=c, mew=1.8, mfc=c if f else "white", label=v)
               for v, (m, f, c, sz) in VERDICT_STYLE.items()]
    handles.append(Line2D([], [], ls="none", marker="s", ms=8, mec=OKABE_ITO["black"], mfc="white",
                          label="HER2+ result only (HR+ not shown apart)"))
    fig.legend(handles=handles, fontsize=7.5, frameon=False, loc="outside lower center", ncols=3)
    fig.suptitle(wrap_title(case_title(tidy), 90), fontsize=10.5, x=0.01, ha="left")
    return fig
