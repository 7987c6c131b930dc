"""Draw the evidence figures (lessons 08-11): forest plot, trial comparator, benefit against harm, case grid.

Each ``*_figure(tidy)`` takes the tidy frame of the matching compute function (:mod:`hrher2.forest`,
:mod:`hrher2.comparators`, :mod:`hrher2.benefit_harm`, :mod:`hrher2.eligibility`) and returns a
:class:`matplotlib.figure.Figure` (no pyplot state); each ``*_alt(tidy)`` writes the alt text from the same data.
"""
from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullLocator

from ..palette import ARM, ARM_HATCH, OKABE_ITO, PRINTED_IN
from ._common import alt_text
from ._common import wrap as _wrap

__all__ = ["forest_title", "forest_figure", "forest_alt", "comparator_title", "comparator_figure", "comparator_alt",
           "CROSS_TRIAL_CAVEAT", "benefit_harm_title", "benefit_harm_figure", "benefit_harm_alt",
           "case_title", "case_figure", "case_alt", "NI_MARGIN_NOTE", "VERDICT_STYLE"]

#: Printed on every comparator figure.
CROSS_TRIAL_CAVEAT = ("Compare the two arms within one trial only: different trials enrolled different patients, "
                      "in different years, lines and designs.")

#: How the non-inferiority margin is labelled: the review does not print it.
NI_MARGIN_NOTE = "NI margin {m:g}: from the primary publication via errata E19, not printed in the review"

#: Fixed meaning used here only: the non-inferiority margin line (Okabe-Ito vermillion, dashed).
NI_COLOUR = OKABE_ITO["vermillion"]


def _fig(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _empty(fig: Figure, title: str) -> Figure:
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=11, loc="left")
    ax.text(0.5, 0.5, "Nothing to show", ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()
    return fig


def _wrap_title(title: str, width: int = 88) -> str:
    return "\n".join(_wrap(line, width) for line in title.split("\n"))


def _fmt_n(n) -> str:
    return "n not printed" if n is None or pd.isna(n) else f"n={int(n)}"


# ----------------------------------------------------------------------------------------------------- forest
def forest_title(tidy: pd.DataFrame) -> str:
    """States the finding: how many intervals lie wholly below 1, and what a non-inferiority margin adds."""
    words = tidy.attrs.get("endpoint", "hazard ratio")
    if tidy.empty:
        return f"No {words} hazard ratio to show"
    below = int((tidy["high"] < 1).sum())
    title = f"{words.capitalize()} hazard ratios: {below} of {len(tidy)} intervals lie wholly below 1"
    ni = tidy[tidy["ni_margin"].notna()]
    for r in ni.itertuples():
        side = "below" if r.high < r.ni_margin else "not below"
        title += f";\n{r.trial}'s crosses 1, but its upper limit is {side} its non-inferiority margin"
    return title


def forest_alt(tidy: pd.DataFrame) -> str:
    """Alt text: every row's hazard ratio, interval, n, and whether the interval crosses 1."""
    def row(r) -> str:
        cross = "interval crosses 1" if r.crosses_one else "interval excludes 1"
        extra = f"; non-inferiority margin {r.ni_margin:g} drawn (not printed in the review)" if pd.notna(r.ni_margin) else ""
        return f"{r.label}: HR {r.hr:g} (95% CI {r.low:g} to {r.high:g}), {_fmt_n(r.n)}, {cross}{extra}."

    return alt_text("Forest plot on a log scale with a line of no effect at 1", forest_title(tidy),
                    None if tidy.empty else [row(r) for r in tidy.itertuples()])


def forest_figure(tidy: pd.DataFrame, title: str | None = None, width: float = 8.0) -> Figure:
    """Forest plot: log x axis, line of no effect at 1, CI whiskers, n per row, NI margin where set.

    Marker colour says where the value is printed (table or text); a hollow marker means the interval crosses 1.
    """
    rows = len(tidy)
    fig = _fig(width, 1.9 + 0.48 * max(rows, 1))
    if tidy.empty:
        return _empty(fig, title or forest_title(tidy))
    ax = fig.add_subplot()
    ys = list(range(rows, 0, -1))
    margins = []
    for y, r in zip(ys, tidy.itertuples()):
        colour = PRINTED_IN.get(r.printed_in, OKABE_ITO["black"])
        ax.plot([r.low, r.high], [y, y], color=colour, lw=2, solid_capstyle="butt")
        ax.plot([r.low, r.low], [y - 0.12, y + 0.12], color=colour, lw=2)
        ax.plot([r.high, r.high], [y - 0.12, y + 0.12], color=colour, lw=2)
        ax.plot(r.hr, y, marker="s", ms=9, mec=colour, mew=2, color="white" if r.crosses_one else colour, ls="none")
        if pd.notna(r.ni_margin):
            ax.plot([r.ni_margin, r.ni_margin], [y - 0.4, y + 0.4], color=NI_COLOUR, lw=2, ls="--")
            ax.text(r.ni_margin, y + 0.42, f"NI margin {r.ni_margin:g}", ha="center", va="bottom", fontsize=7.5,
                    color=NI_COLOUR)
            margins.append(r.ni_margin)
        ax.text(1.02, y, f"{r.hr:.2f} ({r.low:.2f}–{r.high:.2f})   {_fmt_n(r.n)}", transform=ax.get_yaxis_transform(),
                va="center", fontsize=8.5)
    ax.axvline(1, color=OKABE_ITO["black"], lw=1)
    ax.set_xscale("log")
    lo = min(tidy["low"].min(), 0.5) * 0.9
    hi = max(tidy["high"].max(), tidy["ni_margin"].max() if tidy["ni_margin"].notna().any() else 0, 1.5) * 1.12
    ax.set_xlim(lo, hi)
    ticks = [t for t in (0.25, 0.4, 0.5, 0.6, 0.8, 1, 1.25, 1.5, 2, 3) if lo <= t <= hi]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticklabels([f"{t:g}" for t in ticks])
    ax.set_yticks(ys, [_wrap(lbl, 34) for lbl in tidy["label"]], fontsize=8.5)
    ax.set_ylim(0.3, rows + 0.7)
    ax.set_xlabel(f"Hazard ratio for {tidy.attrs.get('endpoint', 'the endpoint')} (log scale)\n"
                  "← favours the experimental arm      favours the control arm →", fontsize=9)
    ax.text(1.02, rows + 0.55, "HR (95% CI)   n", transform=ax.get_yaxis_transform(), fontsize=8.5, weight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Line2D([], [], marker="s", color=PRINTED_IN[p], ls="none", label=f"printed in {'a table' if p.startswith('Table') else 'the text'}")
               for p in dict.fromkeys(tidy["printed_in"]) if p in PRINTED_IN]
    handles = list({h.get_label(): h for h in handles}.values())
    handles.append(Line2D([], [], marker="s", mfc="white", mec=OKABE_ITO["black"], ls="none", label="interval crosses 1"))
    for m in dict.fromkeys(margins):
        handles.append(Line2D([], [], color=NI_COLOUR, ls="--", lw=2, label=NI_MARGIN_NOTE.format(m=m)))
    fig.legend(handles=handles, fontsize=7.5, frameon=False, loc="outside lower center", ncols=2 if margins else 3)
    fig.suptitle(_wrap_title(title or forest_title(tidy), int(width * 11)), fontsize=10.5, x=0.01, ha="left")
    return fig


# ------------------------------------------------------------------------------------------------- comparator
def _units(tidy: pd.DataFrame) -> list[tuple]:
    return list(dict.fromkeys(zip(tidy["trial"], tidy["cohort"], tidy["comparison"])))


def comparator_title(tidy: pd.DataFrame) -> str:
    """States the finding: in how many comparisons the experimental arm's median is the longer."""
    words = tidy.attrs.get("endpoint", "median")
    group = tidy.attrs.get("table_group", "")
    if tidy.empty:
        return f"{group}: no {words} printed"
    wins, both = 0, 0
    for key in _units(tidy):
        g = tidy[(tidy["trial"] == key[0]) & (tidy["cohort"] == key[1]) & (tidy["comparison"] == key[2])]
        e = g.loc[g["arm"] == "experimental", "months"]
        c = g.loc[g["arm"] == "control", "months"]
        if len(e) and len(c) and not (math.isnan(e.iloc[0]) or math.isnan(c.iloc[0])):
            both += 1
            wins += int(e.iloc[0] > c.iloc[0])
    where = "the text where it prints one" if tidy.attrs.get("source") == "text" else "the table"
    if both == 0:
        return f"{group}: {words} as printed in {where} (no two-arm comparison printed)"
    return (f"{group}: the experimental arm has the longer {words} in {wins} of {both} comparisons "
            f"(values from {where})")


def comparator_alt(tidy: pd.DataFrame) -> str:
    """Alt text: every bar's trial, cohort, arm, value (or why none), phase, n and where it is printed."""
    if tidy.empty:
        return alt_text("Grouped bar chart", comparator_title(tidy))
    parts = [CROSS_TRIAL_CAVEAT]
    for key in _units(tidy):
        g = tidy[(tidy["trial"] == key[0]) & (tidy["cohort"] == key[1]) & (tidy["comparison"] == key[2])]
        first = g.iloc[0]
        vals = []
        for r in g.itertuples():
            v = f"{r.months:g} months" if not math.isnan(r.months) else f"no value ({r.status})"
            if r.differs:
                v += f" (text and table differ: table {r.table_months:g}, text {r.text_months:g})"
            vals.append(f"{r.arm} arm ({r.arm_label}) {v}")
        parts.append(f"{key[0]}, {key[1]}, phase {first.phase}, {_fmt_n(first.n)}, from {first.value_from}: "
                     + "; ".join(vals) + ".")
    return alt_text("Grouped bar chart", comparator_title(tidy), parts)


def comparator_figure(tidy: pd.DataFrame, width: float = 9.0, height: float = 4.6) -> Figure:
    """Grouped bars of both arms' medians per trial x cohort, annotated with phase, n, cohort and source,
    with the cross-trial caveat printed on the figure. A star marks a value the text and the table print differently."""
    units = _units(tidy)
    width = max(6.5, min(width, 2.6 + 1.6 * len(units))) if len(units) < 5 else max(width, 1.6 * len(units) + 2)
    fig = _fig(width, height)
    if tidy.empty:
        return _empty(fig, comparator_title(tidy))
    ax = fig.add_subplot()
    bar_w = 0.38
    top = tidy["months"].max() if tidy["months"].notna().any() else 1.0
    stars = []
    for i, key in enumerate(units):
        g = tidy[(tidy["trial"] == key[0]) & (tidy["cohort"] == key[1]) & (tidy["comparison"] == key[2])]
        for arm, offset in (("experimental", -bar_w / 2), ("control", bar_w / 2)):
            hit = g[g["arm"] == arm]
            if hit.empty:
                continue
            r = hit.iloc[0]
            x = i + offset
            if math.isnan(r["months"]):
                ax.text(x, top * 0.03, _wrap(r["status"] or "not printed", 9), rotation=90, ha="center", va="bottom",
                        fontsize=7, color=OKABE_ITO["black"])
                continue
            ax.bar(x, r["months"], bar_w, color=ARM[arm], hatch=ARM_HATCH[arm], edgecolor="white")
            inside = _wrap(r["arm_label"], 24)
            longest = max(len(line) for line in inside.split("\n"))
            if r["months"] > top * (0.06 + 0.026 * longest):  # the regimen, inside the bar (it can change with the source)
                ax.text(x, top * 0.02, inside, rotation=90, ha="center", va="bottom",
                        fontsize=7, color="white", weight="bold",
                        bbox=dict(boxstyle="round,pad=0.15", fc=ARM[arm], ec="none"))
            label = f"{r['months']:g}" + ("*" if r["differs"] else "")
            ax.text(x, r["months"] + top * 0.015, label, ha="center", va="bottom", fontsize=8.5)
            if r["differs"]:
                stars.append(f"{key[0]} {arm}: table {r['table_months']:g}, text {r['text_months']:g}"
                             + (" (rounding only)" if r["rounding_only"] else ""))
    ticks = []
    for key in units:
        first = tidy[(tidy["trial"] == key[0]) & (tidy["cohort"] == key[1]) & (tidy["comparison"] == key[2])].iloc[0]
        extra = ""
        if tidy[(tidy["trial"] == key[0]) & (tidy["cohort"] == key[1])]["comparison"].nunique() > 1:
            extra = "\n" + _wrap(key[2].split(" vs ")[0], 16)
        src = "text" if str(first["value_from"]).startswith("Text") else "table"
        ticks.append(f"{_wrap(key[0], 16)}\n{_wrap(key[1], 16)}{extra}\nphase {first['phase']} · {_fmt_n(first['n'])}"
                     f"\n[{src}]")
    ax.set_xticks(range(len(units)), ticks, fontsize=7.5)
    ax.set_ylabel(f"{tidy.attrs.get('endpoint', 'median')} (months)")
    ax.set_ylim(0, top * 1.18)
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Line2D([], [], marker="s", ms=10, color=ARM["experimental"], ls="none", label="experimental arm"),
               Line2D([], [], marker="s", ms=10, color=ARM["control"], ls="none", label="control arm (hatched)")]
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(_wrap_title(comparator_title(tidy), int(width * 9)), fontsize=10.5, loc="left")
    foot = CROSS_TRIAL_CAVEAT
    if stars:
        foot += "\n* Text and table differ: " + "; ".join(stars) + "."
    chars = int(width * 16)
    foot = "\n".join(_wrap(part, chars) for part in foot.split("\n"))
    fig.text(0.01, 0.0, foot, fontsize=8, va="bottom", ha="left", style="italic",
             color=OKABE_ITO["black"])
    bottom = 0.04 + 0.035 * (foot.count("\n") + 1)
    fig.get_layout_engine().set(rect=(0, bottom, 1, 1 - bottom))
    return fig


# ------------------------------------------------------------------------------------------- benefit and harm
def benefit_harm_title(tidy: pd.DataFrame) -> str:
    """States the finding: in how many trials the arm with the longer median PFS also had more severe AEs."""
    if tidy.empty:
        return "No trial prints both a median PFS gain and severe adverse-event rates for both arms"
    more = tidy[(tidy["mpfs_gain"] > 0) & (tidy["ae_difference"] > 0)]
    fewer = tidy[(tidy["mpfs_gain"] > 0) & (tidy["ae_difference"] < 0)]
    title = f"Longer median PFS came with more severe adverse events in {len(more)} of {len(tidy)} trials"
    if len(fewer):
        title += f";\n{', '.join(fewer['trial'])}: longer median PFS and fewer severe adverse events"
    return title


def benefit_harm_alt(tidy: pd.DataFrame) -> str:
    """Alt text: each trial's medians, gain and severe-AE rates for both arms."""
    if tidy.empty:
        return alt_text("Two-panel dot plot", benefit_harm_title(tidy))
    parts = [f"{r.trial} ({r.arm_exp} versus {r.arm_ctrl}): median PFS {r.mpfs_exp:g} versus {r.mpfs_ctrl:g} "
             f"months (gain {r.mpfs_gain:g}); {r.ae_endpoint} {r.ae_exp:g}% versus {r.ae_ctrl:g}%."
             for r in tidy.itertuples()]
    without = tidy.attrs.get("without_numbers") or []
    if without:
        parts.append(f"Not shown, no numbers for both arms: {', '.join(without)}.")
    return alt_text("Two-panel dot plot", benefit_harm_title(tidy), parts)


def benefit_harm_figure(tidy: pd.DataFrame, width: float = 9.0) -> Figure:
    """Two panels sharing the trials: median PFS of both arms (left) and severe-AE rate of both arms (right)."""
    fig = _fig(width, 1.9 + 0.75 * max(len(tidy), 1))
    if tidy.empty:
        return _empty(fig, benefit_harm_title(tidy))
    left, right = fig.subplots(1, 2, sharey=True)
    ys = list(range(len(tidy), 0, -1))
    for ax, (e_col, c_col, unit, xlabel) in zip(
            (left, right), (("mpfs_exp", "mpfs_ctrl", " mo", "Median PFS (months)"),
                            ("ae_exp", "ae_ctrl", "%", "Severe adverse events (% of patients)"))):
        for y, r in zip(ys, tidy.itertuples()):
            e, c = getattr(r, e_col), getattr(r, c_col)
            ax.plot([c, e], [y, y], color=OKABE_ITO["black"], lw=1, alpha=0.5)
            ax.plot(e, y, "o", ms=9, color=ARM["experimental"])
            ax.plot(c, y, "s", ms=9, color=ARM["control"])
            for v, col, dy, va in ((e, ARM["experimental"], 8, "bottom"), (c, ARM["control"], -8, "top")):
                ax.annotate(f"{v:g}{unit}", (v, y), xytext=(0, dy), textcoords="offset points", ha="center",
                            va=va, fontsize=8, color=col)
        ax.set_xlabel(xlabel, fontsize=9)
        ax.set_xlim(0, max(tidy[e_col].max(), tidy[c_col].max()) * 1.18)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylim(0.4, len(tidy) + 0.6)
    labels = [f"{r.trial}\n{_wrap(r.arm_exp, 30)}\nvs {_wrap(r.arm_ctrl, 28)}\n({r.ae_endpoint.replace('>=', '≥')})"
              for r in tidy.itertuples()]
    left.set_yticks(ys, labels, fontsize=7.5)
    handles = [Line2D([], [], marker="o", color=ARM["experimental"], ls="none", label="experimental arm"),
               Line2D([], [], marker="s", color=ARM["control"], ls="none", label="control arm")]
    right.legend(handles=handles, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(_wrap_title(benefit_harm_title(tidy)), fontsize=10.5, x=0.01, ha="left")
    return fig


# ----------------------------------------------------------------------------------------------------- cases
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
    fig = _fig(width, 2.2 + 0.27 * max(len(tidy), 1))
    if tidy.empty:
        return _empty(fig, case_title(tidy))
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
    fig.suptitle(_wrap_title(case_title(tidy), 90), fontsize=10.5, x=0.01, ha="left")
    return fig
