"""Draw the trial comparator (lessons 08-11) from :func:`hrher2.comparators.comparator_data`: both arms' medians
per trial x cohort, with the cross-trial caveat printed on the figure."""
from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..palette import ARM, ARM_HATCH, OKABE_ITO
from ._common import alt_text, empty_figure, fmt_n, new_figure, wrap_title
from ._common import wrap as _wrap

__all__ = ["comparator_title", "comparator_figure", "comparator_alt", "CROSS_TRIAL_CAVEAT"]

#: Printed on every comparator figure.
CROSS_TRIAL_CAVEAT = ("Compare the two arms within one trial only: different trials enrolled different patients, "
                      "in different years, lines and designs.")


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
        parts.append(f"{key[0]}, {key[1]}, phase {first.phase}, {fmt_n(first.n)}, from {first.value_from}: "
                     + "; ".join(vals) + ".")
    return alt_text("Grouped bar chart", comparator_title(tidy), parts)


def comparator_figure(tidy: pd.DataFrame, width: float = 9.0, height: float = 4.6) -> Figure:
    """Grouped bars of both arms' medians per trial x cohort, annotated with phase, n, cohort and source,
    with the cross-trial caveat printed on the figure. A star marks a value the text and the table print differently."""
    units = _units(tidy)
    width = max(6.5, min(width, 2.6 + 1.6 * len(units))) if len(units) < 5 else max(width, 1.6 * len(units) + 2)
    fig = new_figure(width, height)
    if tidy.empty:
        return empty_figure(fig, comparator_title(tidy))
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
        ticks.append(f"{_wrap(key[0], 16)}\n{_wrap(key[1], 16)}{extra}\nphase {first['phase']} · {fmt_n(first['n'])}"
                     f"\n[{src}]")
    ax.set_xticks(range(len(units)), ticks, fontsize=7.5)
    ax.set_ylabel(f"{tidy.attrs.get('endpoint', 'median')} (months)")
    ax.set_ylim(0, top * 1.18)
    ax.spines[["top", "right"]].set_visible(False)
    handles = [Line2D([], [], marker="s", ms=10, color=ARM["experimental"], ls="none", label="experimental arm"),
               Line2D([], [], marker="s", ms=10, color=ARM["control"], ls="none", label="control arm (hatched)")]
    ax.legend(handles=handles, fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_title(wrap_title(comparator_title(tidy), int(width * 9)), fontsize=10.5, loc="left")
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
