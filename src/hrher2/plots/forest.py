"""Draw the forest plot of hazard ratios (lessons 07-11, 13) from :func:`hrher2.forest.forest_data`.

``forest_title`` states the finding (the live chart's headlines use it too); ``forest_alt`` writes the alt text from
the same rows; ``forest_figure`` returns a :class:`matplotlib.figure.Figure` (no pyplot state).
"""
from __future__ import annotations


import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator, NullLocator

from ..palette import OKABE_ITO, PRINTED_IN
from ._common import alt_text, empty_figure, fmt_n, new_figure, wrap_title
from ._common import wrap as _wrap

__all__ = ["forest_title", "forest_figure", "forest_alt", "NI_MARGIN_NOTE"]

#: How the non-inferiority margin is labelled: the review does not print it.
NI_MARGIN_NOTE = "NI margin {m:g}: from the primary publication via errata E19, not printed in the review"

#: Fixed meaning used here only: the non-inferiority margin line (Okabe-Ito vermillion, dashed).
NI_COLOUR = OKABE_ITO["vermillion"]


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
        return f"{r.label}: HR {r.hr:g} (95% CI {r.low:g} to {r.high:g}), {fmt_n(r.n)}, {cross}{extra}."

    return alt_text("Forest plot on a log scale with a line of no effect at 1", forest_title(tidy),
                    None if tidy.empty else [row(r) for r in tidy.itertuples()])


def forest_figure(tidy: pd.DataFrame, title: str | None = None, width: float = 8.0) -> Figure:
    """Forest plot: log x axis, line of no effect at 1, CI whiskers, n per row, NI margin where set.

    Marker colour says where the value is printed (table or text); a hollow marker means the interval crosses 1.
    """
    rows = len(tidy)
    fig = new_figure(width, 1.9 + 0.48 * max(rows, 1))
    if tidy.empty:
        return empty_figure(fig, title or forest_title(tidy))
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
        ax.text(1.02, y, f"{r.hr:.2f} ({r.low:.2f}–{r.high:.2f})   {fmt_n(r.n)}", transform=ax.get_yaxis_transform(),
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
    fig.suptitle(wrap_title(title or forest_title(tidy), int(width * 11)), fontsize=10.5, x=0.01, ha="left")
    return fig
