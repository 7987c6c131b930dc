"""Draw the provenance figure (lesson 00): where the review prints a trial's medians.

Figures are built on :class:`matplotlib.figure.Figure` directly (no pyplot state), so drawing never leaks between
cells or widgets.
"""
from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from ..palette import ARM, ARM_HATCH
from ..disagreements import between_places
from ._common import alt_text
from ._common import wrap as _wrap

__all__ = ["printed_medians_title", "printed_medians_figure", "printed_medians_alt"]



def printed_medians_title(tidy: pd.DataFrame) -> str:
    """A title that states what the figure shows: whether the places that print the medians agree."""
    trial = tidy.attrs.get("trial") or (tidy["trial"].iloc[0] if not tidy.empty else "This trial")
    endpoint = tidy.attrs.get("endpoint", "median")
    if tidy.empty:
        return f"{trial}: the review prints no {endpoint}"
    places = tidy["printed_in"].nunique()
    if places < 2:
        return f"{trial}: {endpoint} is printed in one place only ({tidy['printed_in'].iloc[0]})"
    if between_places(tidy).empty:
        return f"{trial}: text and table print the same {endpoint}"
    return f"{trial}: text and table print different {endpoint} values"


def printed_medians_alt(tidy: pd.DataFrame) -> str:
    """Alt text generated from the data: every bar's value, arm, cohort and place printed."""
    if tidy.empty:
        return alt_text("Bar chart", printed_medians_title(tidy))
    parts = []
    for (cohort, where), g in tidy.groupby(["cohort", "printed_in"], sort=False):
        vals = ", ".join(f"{r.arm} arm ({r.arm_label}) {r.months:g} months" for r in g.itertuples())
        parts.append(f"{cohort}, printed in {where}: {vals}.")
    return alt_text("Bar chart", printed_medians_title(tidy), parts)


def printed_medians_figure(tidy: pd.DataFrame, width: float = 7.5, height: float = 3.8) -> Figure:
    """Grouped bars: for each cohort x place printed, the experimental and control medians (months)."""
    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    endpoint = tidy.attrs.get("endpoint", "median")
    ax.set_title(printed_medians_title(tidy), fontsize=11, loc="left")
    if tidy.empty:
        ax.text(0.5, 0.5, "No value printed", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    groups = list(dict.fromkeys(zip(tidy["cohort"], tidy["printed_in"])))
    bar_w = 0.38
    for arm, offset in (("experimental", -bar_w / 2), ("control", bar_w / 2)):
        sub = tidy[tidy["arm"] == arm]
        xs, ys = [], []
        for i, key in enumerate(groups):
            hit = sub[(sub["cohort"] == key[0]) & (sub["printed_in"] == key[1])]
            if not hit.empty:
                xs.append(i + offset)
                ys.append(hit["months"].iloc[0])
        if xs:
            # regimens can be labelled differently in different places (see the table below the figure),
            # so the legend names the arm, not one place's label for it
            bars = ax.bar(xs, ys, bar_w, color=ARM[arm], hatch=ARM_HATCH[arm], edgecolor="white", label=f"{arm} arm")
            ax.bar_label(bars, fmt="%g", padding=2, fontsize=9)
    ax.set_xticks(range(len(groups)), [f"{_wrap(c)}\n[{w}]" for c, w in groups], fontsize=9)
    ax.set_ylabel(f"{endpoint} (months)")
    ax.set_ylim(0, tidy["months"].max() * 1.2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


